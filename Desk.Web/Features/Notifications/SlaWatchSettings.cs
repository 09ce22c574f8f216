using Desk.Domain.Tickets;

namespace Desk.Web.Features.Notifications;

/// <summary>
/// What the desk does when a ticket's SLA target comes near or passes (admins, at /admin/sla/escalation): how long before
/// a due time the assignee is warned, and whom a missed target escalates to (an agent or a team; nobody: assignees are only
/// told). One row; absent until an admin saves, then <see cref="Default"/> applies.
/// </summary>
public sealed class SlaWatchSettings
{
    private SlaWatchSettings() { } // for EF Core

    public static SlaWatchSettings Default => new() { Id = 1, WarnMinutesBefore = 60 };

    /// <summary>Always 1: one row.</summary>
    public int Id { get; private set; } = 1;

    /// <summary>Minutes before a due time the assignee is told it is about to be missed (0: no warning).</summary>
    public int WarnMinutesBefore { get; private set; }

    /// <summary>Whom a missed target escalates to (<see cref="EscalationTarget.Key"/>), or null: nobody.</summary>
    public string? EscalateTo { get; private set; }

    public EscalationTarget? EscalationTarget => EscalationTarget.TryParse(EscalateTo, out var target) ? target : null;

    public void Change(int warnMinutesBefore, EscalationTarget? escalateTo)
    {
        if (warnMinutesBefore is < 0 or > 7 * 24 * 60)
            throw new Desk.Domain.DomainException("The warning must come between 0 minutes and 7 days before the due time.");
        WarnMinutesBefore = warnMinutesBefore;
        EscalateTo = escalateTo?.Key;
    }
}

/// <summary>Which of a ticket's two SLA clocks.</summary>
public enum SlaClock { FirstResponse, Resolution }

/// <summary>Whether the target is about to be missed, or was.</summary>
public enum SlaStage { Warning, Missed }

/// <summary>
/// That the desk has dealt with one stage of one clock of one ticket, for one due time: told the assignee, and for a miss
/// escalated it. Unique over all four, so however many desks look at once, a breach is dealt with once — the second
/// desk's insert fails and its whole transaction (escalation included) rolls back. A new due time (re-assessed) is a new
/// breach.
/// </summary>
public sealed class SlaNotice
{
    private SlaNotice() { } // for EF Core

    public SlaNotice(long ticketId, SlaClock clock, SlaStage stage, DateTime dueAt, DateTime now)
    {
        TicketId = ticketId;
        Clock = clock;
        Stage = stage;
        DueAt = dueAt;
        NoticedAt = now;
    }

    public long Id { get; private set; }
    public long TicketId { get; private set; }
    public SlaClock Clock { get; private set; }
    public SlaStage Stage { get; private set; }
    public DateTime DueAt { get; private set; }
    public DateTime NoticedAt { get; private set; }
}

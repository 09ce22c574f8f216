namespace Desk.Domain.FollowUps;

public enum FollowUpTaskKind
{
    /// <summary>Call or write to the customer a few days after the resolution: is the remedy working?</summary>
    CheckIn,
    /// <summary>A second check-in, a month on (proactive and partnership customers).</summary>
    LaterCheckIn,
    /// <summary>The customer's owner reviews the account with the customer (partnership).</summary>
    AccountReview,
    /// <summary>A manager asked from the win-back list: call a valuable customer who went quiet after a complaint.</summary>
    WinBack,
}

public enum FollowUpTaskOutcome { Done, Skipped }

/// <summary>
/// One piece of after-care with a due date, for the "Follow-ups due" queue. Doing or skipping it is recorded with who,
/// when and a note; a task is settled once and stays settled. A ticket keeps follow-up open while one of its tasks is.
/// </summary>
public sealed class FollowUpTask
{
    private FollowUpTask() { } // for EF Core

    public FollowUpTask(long ticketId, long customerId, FollowUpTaskKind kind, DateTime dueAt, string? assignedTo, string createdBy, DateTime createdAt)
    {
        if (!Enum.IsDefined(kind)) throw new DomainException("{0} is not a kind of follow-up task.", kind);
        if (string.IsNullOrWhiteSpace(createdBy)) throw new DomainException("A follow-up task needs the name of who asked for it.");
        TicketId = ticketId;
        CustomerId = customerId;
        Kind = kind;
        DueAt = dueAt;
        AssignedTo = string.IsNullOrWhiteSpace(assignedTo) ? null : assignedTo.Trim();
        CreatedBy = createdBy.Trim();
        CreatedAt = createdAt;
    }

    public long Id { get; private set; }
    public long TicketId { get; private set; }
    public long CustomerId { get; private set; }
    public FollowUpTaskKind Kind { get; private set; }
    public DateTime DueAt { get; private set; }
    /// <summary>Who should do it; null: anyone on the team.</summary>
    public string? AssignedTo { get; private set; }
    public string CreatedBy { get; private set; } = "";
    public DateTime CreatedAt { get; private set; }
    public FollowUpTaskOutcome? Outcome { get; private set; }
    public string? SettledBy { get; private set; }
    public DateTime? SettledAt { get; private set; }
    /// <summary>What the check-in learned, or why it was skipped.</summary>
    public string? Note { get; private set; }

    public bool IsOpen => Outcome is null;

    /// <summary>The task was done; the note says what came of it (optional).</summary>
    public void Complete(string actor, DateTime now, string? note) => Settle(FollowUpTaskOutcome.Done, actor, now, note);

    /// <summary>The task will not be done; a reason is required, so the record says why.</summary>
    public void Skip(string actor, DateTime now, string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason)) throw new DomainException("Say why the follow-up task is skipped.");
        Settle(FollowUpTaskOutcome.Skipped, actor, now, reason);
    }

    private void Settle(FollowUpTaskOutcome outcome, string actor, DateTime now, string? note)
    {
        if (Outcome is { } settled)
            throw settled == FollowUpTaskOutcome.Done
                ? new DomainException("This follow-up task was already done by {0}.", SettledBy ?? "")
                : new DomainException("This follow-up task was already skipped by {0}.", SettledBy ?? "");
        if (string.IsNullOrWhiteSpace(actor)) throw new DomainException("A follow-up task is settled by someone.");
        var text = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (text is { Length: > 4_000 }) throw new DomainException("The text is too long ({0:N0} characters; at most {1:N0}).", text.Length, 4_000);
        Outcome = outcome;
        SettledBy = actor.Trim();
        SettledAt = now;
        Note = text;
    }
}

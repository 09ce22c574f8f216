using Desk.Domain.Tickets;

namespace Desk.Web.Features.Tickets;

/// <summary>
/// What an agent posts for one step of a ticket. One record serves every step's form; each step reads
/// the fields it needs and the domain refuses what is missing, with its own message.
/// </summary>
public sealed record TicketStepForm
{
    /// <summary>The ticket's version when the agent opened the page: a save over someone else's change is refused.</summary>
    public int Version { get; init; }
    public string? Text { get; init; }
    public string? Assignee { get; init; }
    /// <summary>Whom an escalation goes to: "agent:alice" or "team:Billing" (see <see cref="EscalationTarget.Key"/>); empty for nobody in particular.</summary>
    public string? EscalateTo { get; init; }
    public Severity Severity { get; init; }
    public Impact Impact { get; init; }
    public bool SafetyRisk { get; init; }
    /// <summary>The remedy kind given (an id from the admins' list).</summary>
    public int? RemedyKindId { get; init; }
    public decimal? RemedyCost { get; init; }
    public int? RootCauseId { get; init; }
    public string? RootCauseNote { get; init; }
    public int FollowUpDays { get; init; } = 14;
    public bool CustomerAccepted { get; init; }
    public RejectionReason RejectionReason { get; init; } = RejectionReason.Spam;
    public string? MergeInto { get; init; }
    /// <summary>A canned reply to send when the text is left empty.</summary>
    public int? MacroId { get; init; }
    /// <summary>The newest audit entry the agent's page showed: a refusal lists the ones after it.</summary>
    public long? SeenAuditId { get; init; }
    /// <summary>The newest conversation entry the agent's page showed: a refusal lists the ones after it.</summary>
    public long? SeenEntryId { get; init; }
}

/// <summary>The changes an agent makes that are not workflow steps.</summary>
public enum TicketAction { Reply, Note, FollowUpOutcome }

using Desk.Domain.Customers;
using Desk.Domain.Tickets;

namespace Desk.Seed;

// Plain rows, shaped like the tables the web app's migrations create. The bulk writer inserts them
// as they are; a round-trip test reads them back through EF Core to keep both in step.

internal sealed record CustomerRow(long Id, string Email, string Name, string? Phone, string Language, RelationshipLevel Level, DateTime FirstSeenAt);

internal sealed record OrderRow(long Id, string ExternalRef, long CustomerId, DateTime PlacedAt, decimal Amount, string Product, string Category);

internal sealed record ConversationRow(long Id, long TicketId, ConversationEntryKind Kind, string Author, DateTime At, string Body);

internal sealed record AuditRow(long Id, long TicketId, string Actor, DateTime At, TicketState? FromState, TicketTrigger? Trigger, TicketState ToState, string? Comment);

/// <summary>A follow-up survey as the web app stores it; the answer's fields are null until the customer answers.</summary>
internal sealed record SurveyRow(long Id, long TicketId, long CustomerId, string Language, DateTime CreatedAt, DateTime SendAfter, DateTime? SentAt,
    DateTime? ExpiresAt, string? TokenHash, DateTime? AnsweredAt, int? OutcomeSatisfaction, int? HandlingSatisfaction, int? Intention,
    bool? AcceptsDecision, int? Reliability, int? Responsiveness, int? Assurance, int? Empathy, int? Tangibles, string? Comment);

/// <summary>An open after-care task of a ticket still in follow-up, as the follow-up planner makes it on resolve.</summary>
internal sealed record FollowUpTaskRow(long Id, long TicketId, long CustomerId, Desk.Domain.FollowUps.FollowUpTaskKind Kind, DateTime DueAt,
    string? AssignedTo, DateTime CreatedAt);

internal sealed class TicketRow
{
    public long Id;
    public int Version;
    public TicketState State;
    public TicketKind Kind;
    public Channel Channel;
    public Severity Severity;
    public Impact Impact;
    public bool SafetyRisk;
    public long CustomerId;
    public RelationshipLevel CustomerLevel;
    public bool IsRepeatComplaint;
    public string Subject = "";
    public string Description = "";
    public int? RemedySoughtId;
    public string? OrderReference;
    public string? Product;
    public string? AssignedTo;
    public string? EscalationReason;
    public DateTime ReceivedAt;
    public DateTime UpdatedAt;
    public DateTime? CustomerWroteAt;
    public DateTime? AcknowledgedAt;
    public DateTime? FirstRespondedAt;
    public DateTime FirstResponseDueAt;
    public DateTime ResolutionDueAt;
    public DateTime? ResolvedAt;
    public DateTime? FollowUpDueAt;
    public DateTime? FollowUpRecordedAt;
    public DateTime? ClosedAt;
    public int? RemedyGivenId;
    public decimal? RemedyCost;
    public int? RootCauseId;
    public string? RootCauseNote;
    public string? Decision;
    public bool? CustomerAccepted;
    public string? FollowUpNote;
    public RejectionReason? RejectionReason;
    public long? MergedIntoTicketId;
    public int ReopenCount;
}

/// <summary>One slice of generated data, written in one transaction.</summary>
internal sealed class Batch
{
    public List<CustomerRow> Customers { get; } = [];
    public List<OrderRow> Orders { get; } = [];
    public List<TicketRow> Tickets { get; } = [];
    public List<ConversationRow> Conversation { get; } = [];
    public List<AuditRow> Audit { get; } = [];
    public List<SurveyRow> Surveys { get; } = [];
    public List<FollowUpTaskRow> FollowUpTasks { get; } = [];
    /// <summary>Filled only when the caller builds the search index beside the load (not rows of a table of their own).</summary>
    public List<TicketText> SearchTexts { get; } = [];

    public int RowCount => Customers.Count + Orders.Count + Tickets.Count + Conversation.Count + Audit.Count + Surveys.Count + FollowUpTasks.Count;
}

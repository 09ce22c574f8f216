namespace Desk.Domain.Tickets;

public enum TicketKind { Complaint, Suggestion, Compliment, Question }

public enum Channel { Email, Web, Phone, Api, InPerson }

/// <summary>Minor or major potential loss: drives the SLA and the rows of the recovery matrix.</summary>
public enum Severity { Minor, Major }

/// <summary>How far the problem reaches (ISO 10002 7.5 "impact").</summary>
public enum Impact { Low, Medium, High }

public enum RejectionReason { Spam, NotAComplaint, Duplicate }

public enum ConversationEntryKind
{
    /// <summary>From the customer.</summary>
    Inbound,
    /// <summary>From the desk to the customer.</summary>
    Outbound,
    /// <summary>Between agents; never shown to the customer.</summary>
    InternalNote,
    /// <summary>Written by the desk itself (assessment, assignment, follow-up outcome).</summary>
    SystemEvent,
}

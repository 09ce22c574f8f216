namespace Desk.Domain.Tickets;

/// <summary>The steps that move a ticket through its workflow; each has an intent method on <see cref="Ticket"/>.</summary>
public enum TicketTrigger
{
    Acknowledge,
    /// <summary>Initial assessment (ISO 10002 7.5): severity, impact, safety. Does not change the state.</summary>
    Assess,
    /// <summary>Give the ticket to an agent, who starts work on it (or takes it over).</summary>
    Assign,
    RequestInfo,
    CustomerReplied,
    Escalate,
    Resolve,
    StartFollowUp,
    Close,
    Reopen,
    /// <summary>Reject as spam or not a complaint.</summary>
    Reject,
    /// <summary>Reject as a duplicate, merged into another ticket.</summary>
    Merge,
}

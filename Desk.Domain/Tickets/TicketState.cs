namespace Desk.Domain.Tickets;

/// <summary>Where a ticket stands in the complaints-handling process (ISO 10002, clause 7).</summary>
public enum TicketState
{
    /// <summary>Received (7.2): numbered, with the facts and the remedy the customer asks for.</summary>
    New,
    /// <summary>Acknowledged to the customer (7.4).</summary>
    Acknowledged,
    /// <summary>Assessed and under investigation by an agent (7.5, 7.6).</summary>
    InProgress,
    /// <summary>The desk asked the customer for information and waits for the answer.</summary>
    AwaitingCustomer,
    /// <summary>Stuck or serious: handed to someone with more authority (7.7).</summary>
    Escalated,
    /// <summary>Decided and communicated (7.8): remedy given and root cause recorded.</summary>
    Resolved,
    /// <summary>After-care: survey and check-ins under way (7.9, 8.3).</summary>
    FollowUp,
    /// <summary>Closed, with whether the customer accepted the decision (7.9).</summary>
    Closed,
    /// <summary>Spam, or merged into another ticket. Never counted as a complaint.</summary>
    Rejected,
}

public static class TicketStates
{
    /// <summary>The states in which a ticket is still being handled: the agents' open queue.</summary>
    public static IReadOnlyList<TicketState> Open { get; } =
        [TicketState.New, TicketState.Acknowledged, TicketState.InProgress, TicketState.AwaitingCustomer, TicketState.Escalated];
}

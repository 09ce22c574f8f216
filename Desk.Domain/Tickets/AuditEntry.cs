namespace Desk.Domain.Tickets;

/// <summary>
/// One line of a ticket's audit trail: who took which step when, from which state to which, and why.
/// The receipt is the first line, with no previous state and no trigger.
/// </summary>
public sealed class AuditEntry
{
    private AuditEntry() { } // for EF Core

    internal AuditEntry(string actor, DateTime at, TicketState? from, TicketTrigger? trigger, TicketState to, string? comment)
    {
        Actor = actor;
        At = at;
        FromState = from;
        Trigger = trigger;
        ToState = to;
        Comment = comment;
    }

    /// <summary>The receipt: by the customer themselves, or filed for them by <paramref name="filedBy"/> (an agent who took a call or a visit).</summary>
    internal static AuditEntry Received(string customerEmail, DateTime at, Channel channel, string? filedBy = null) =>
        filedBy is null ? new(customerEmail, at, null, null, TicketState.New, $"Received by {channel}")
            : new(filedBy, at, null, null, TicketState.New, $"Received by {channel}, filed by {filedBy} for the customer");

    /// <summary>A change of the ticket's tags: no workflow step, so no trigger, and the state stays as it was.</summary>
    internal static AuditEntry Tags(string actor, DateTime at, TicketState state, string comment) =>
        new(actor, at, state, null, state, comment);

    /// <summary>The receipt: the first line, with no state before it.</summary>
    public bool IsReceipt => Trigger is null && FromState is null;

    /// <summary>
    /// Personal data out of the trail: the customer's address as the actor of the receipt, and free text a person typed
    /// (reasons, comments), which may name or describe them. The steps, their times and the desk's own words stay.
    /// </summary>
    internal void RemovePersonalData(string customerEmail)
    {
        if (string.Equals(Actor, customerEmail, StringComparison.OrdinalIgnoreCase) || Actor.Contains('@', StringComparison.Ordinal))
            Actor = Ticket.CustomerPlaceholder;
        if (Trigger is TicketTrigger.Escalate or TicketTrigger.Reopen or TicketTrigger.Reject or TicketTrigger.Close && Comment is not null)
            Comment = Ticket.Removed;
    }

    public long Id { get; private set; }
    public long TicketId { get; private set; }
    public string Actor { get; private set; } = "";
    public DateTime At { get; private set; }
    public TicketState? FromState { get; private set; }
    public TicketTrigger? Trigger { get; private set; }
    public TicketState ToState { get; private set; }
    public string? Comment { get; private set; }
}

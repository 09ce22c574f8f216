namespace Desk.Domain.Tickets;

/// <summary>One item of a ticket's conversation: a customer message, a reply, an internal note or a system event.</summary>
public sealed class ConversationEntry
{
    private ConversationEntry() { } // for EF Core

    internal ConversationEntry(ConversationEntryKind kind, string author, DateTime at, string body)
    {
        Kind = kind;
        Author = author;
        At = at;
        Body = body;
    }

    public long Id { get; private set; }
    public long TicketId { get; private set; }
    public ConversationEntryKind Kind { get; private set; }
    /// <summary>The customer's address for inbound mail, the agent's name otherwise.</summary>
    public string Author { get; private set; } = "";
    public DateTime At { get; private set; }
    public string Body { get; private set; } = "";

    /// <summary>The text removed (erasure or retention); an inbound message's author, the customer's address, too.</summary>
    internal void RemovePersonalData()
    {
        Body = Ticket.Removed;
        if (Kind == ConversationEntryKind.Inbound) Author = Ticket.CustomerPlaceholder;
    }

    /// <summary>Whether the customer sees it: notes and system events stay inside the desk.</summary>
    public bool IsPublic => Kind is ConversationEntryKind.Inbound or ConversationEntryKind.Outbound;
}

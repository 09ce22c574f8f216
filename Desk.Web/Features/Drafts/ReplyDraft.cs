namespace Desk.Web.Features.Drafts;

/// <summary>
/// What an agent has typed in a ticket's reply box and not sent yet, one per agent and ticket. Kept in the database (not the
/// browser), so a refused send, a reload, a crash or another desk behind the balancer loses nothing; gone once it is sent.
/// </summary>
public sealed class ReplyDraft
{
    private ReplyDraft() { } // for EF Core

    public ReplyDraft(long ticketId, string agent, string text, DateTime now)
    {
        TicketId = ticketId;
        Agent = agent;
        Change(text, now);
    }

    /// <summary>At most this many characters are kept (a reply may be no longer).</summary>
    public const int MaxLength = 1_000_000;

    public long Id { get; private set; }
    public long TicketId { get; private set; }
    /// <summary>The agent's user name, as the conversation names authors.</summary>
    public string Agent { get; private set; } = "";
    public string Text { get; private set; } = "";
    public DateTime UpdatedAt { get; private set; }

    public void Change(string text, DateTime now)
    {
        Text = text.Length <= MaxLength ? text : text[..MaxLength];
        UpdatedAt = now;
    }
}

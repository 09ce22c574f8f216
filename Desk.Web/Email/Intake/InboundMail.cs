namespace Desk.Web.Email.Intake;

/// <summary>What the desk did with a mail it received.</summary>
public enum InboundOutcome
{
    /// <summary>The mail opened a new ticket.</summary>
    Opened,
    /// <summary>The mail was added to an existing ticket (a reply).</summary>
    Added,
    /// <summary>Written by a robot (auto-reply, bounce, report, list): kept, but opens nothing and is answered by nothing.</summary>
    Robot,
    /// <summary>Sent by the desk itself (its own address): kept, never taken in again, so the desk cannot talk to itself.</summary>
    Own,
}

/// <summary>
/// Every mail the desk took in, with its raw bytes: the full original stays available whatever the conversation shows,
/// and <see cref="DedupeKey"/> (the Message-ID, or a hash of the bytes when there is none) makes taking the same mail
/// in twice — a re-fetch after a crash, one mail sent to two of the desk's addresses — a no-op.
/// </summary>
public sealed class InboundMail
{
    private InboundMail() { } // for EF Core

    public InboundMail(string dedupeKey, string? messageId, string source, string from, string subject, DateTime receivedAt,
        InboundOutcome outcome, string? note, byte[] raw)
    {
        DedupeKey = dedupeKey;
        MessageId = messageId;
        Source = source;
        From = from;
        Subject = subject;
        ReceivedAt = receivedAt;
        Outcome = outcome;
        Note = note;
        Raw = raw;
        Size = raw.Length;
    }

    public long Id { get; private set; }
    public string DedupeKey { get; private set; } = "";
    public string? MessageId { get; private set; }
    /// <summary>Where it came from: "drop folder" or a mailbox's name.</summary>
    public string Source { get; private set; } = "";
    public string From { get; private set; } = "";
    public string Subject { get; private set; } = "";
    public DateTime ReceivedAt { get; private set; }
    public InboundOutcome Outcome { get; private set; }
    /// <summary>Why it was treated so (a robot's evidence, notes on parts not kept).</summary>
    public string? Note { get; private set; }
    public long? TicketId { get; private set; }
    public long? ConversationEntryId { get; private set; }
    /// <summary>The mail's HTML body, sanitised; null when it had none.</summary>
    public string? Html { get; private set; }
    public long Size { get; private set; }
    public byte[] Raw { get; private set; } = [];

    public void LinkTo(long ticketId, long? conversationEntryId, string? safeHtml)
    {
        TicketId = ticketId;
        ConversationEntryId = conversationEntryId;
        Html = safeHtml;
    }

    public const string HashPrefix = "sha256:";

    /// <summary>The Message-ID when the mail has one (the same mail fetched twice or sent to two addresses keeps it), else a hash of the bytes.</summary>
    public static string KeyFor(string? messageId, byte[] raw) =>
        string.IsNullOrWhiteSpace(messageId) ? HashOf(raw) : "mid:" + messageId.Trim();

    public static string HashOf(byte[] raw) => HashPrefix + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(raw));
}

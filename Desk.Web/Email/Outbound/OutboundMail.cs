namespace Desk.Web.Email.Outbound;

public enum OutboundKind
{
    Acknowledgement, Reply, WinBack, Survey, PasswordLink,
    /// <summary>A notice to an agent (assigned, escalated, SLA…); see <c>Features/Notifications</c>. Not tied to a ticket's thread.</summary>
    AgentNotice,
    /// <summary>The dashboard mailed to a manager who asked for it (weekly or monthly); see <c>Features/Digest</c>. Not tied to a ticket.</summary>
    ReportDigest,
}

public enum OutboundState
{
    /// <summary>Waiting to be sent (again, after <see cref="OutboundMail.NextAttemptAt"/>).</summary>
    Queued,
    Sent,
    /// <summary>Given up after too many failed attempts; an admin can send it again.</summary>
    Dead,
    /// <summary>Sent, but a bounce came back for it.</summary>
    Bounced,
}

/// <summary>
/// The outbox: a mail to a customer, written in the same transaction as the change that needs it, sent afterwards by
/// <see cref="MailSender"/> with retries and back-off. Everything needed to build the message is kept here, so a resend
/// sends the same mail with the same Message-ID.
/// </summary>
public sealed partial class OutboundMail
{
    private OutboundMail() { } // for EF Core

    public OutboundMail(long? ticketId, OutboundKind kind, string to, string toName, string subject, string body, string language,
        string messageId, string? inReplyTo, string? references, DateTime now)
    {
        TicketId = ticketId;
        Kind = kind;
        To = to;
        ToName = toName;
        Subject = subject;
        Body = body;
        Language = language;
        MessageId = messageId;
        InReplyTo = inReplyTo;
        References = references;
        CreatedAt = now;
        NextAttemptAt = now;
    }

    public long Id { get; private set; }
    public long? TicketId { get; private set; }
    public OutboundKind Kind { get; private set; }
    public string To { get; private set; } = "";
    public string ToName { get; private set; } = "";
    public string Subject { get; private set; } = "";
    /// <summary>The plain-text part (for a reply: the agent's Markdown as typed, and the signature).</summary>
    public string Body { get; private set; } = "";
    /// <summary>An HTML part beside <see cref="Body"/> (an agent's reply, formatted and sanitised); null: plain text only.</summary>
    public string? HtmlBody { get; private set; }
    /// <summary>For an agent's reply, the conversation entry it carries: its files go with the mail as attachments.</summary>
    public long? ConversationEntryId { get; private set; }
    public Desk.Domain.Tickets.ConversationEntry? ReplyEntry { get; private set; }
    public string Language { get; private set; } = "en";
    /// <summary>Without angle brackets, as MimeKit reads and writes it.</summary>
    public string MessageId { get; private set; } = "";
    public string? InReplyTo { get; private set; }
    /// <summary>Message-IDs separated by spaces, oldest first.</summary>
    public string? References { get; private set; }
    public OutboundState State { get; private set; }
    public int Attempts { get; private set; }
    public DateTime NextAttemptAt { get; private set; }
    public string? LastError { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime? SentAt { get; private set; }

    /// <summary>An acknowledgement is an automatic answer (RFC 3834): it says so, and robots must not answer it.</summary>
    public bool IsAutoReply => Kind == OutboundKind.Acknowledgement;

    /// <summary>Carries the agent's reply <paramref name="entry"/> (its files are attached when sent) with an HTML part.</summary>
    public OutboundMail Carrying(Desk.Domain.Tickets.ConversationEntry entry, string htmlBody)
    {
        ReplyEntry = entry;
        HtmlBody = htmlBody;
        return this;
    }

    /// <summary>With an HTML part beside the plain text (a mail the desk composed itself, such as the report digest).</summary>
    public OutboundMail WithHtml(string htmlBody)
    {
        HtmlBody = htmlBody;
        return this;
    }

    /// <summary>
    /// A sender took it (see <see cref="MailSender"/>): no other sender takes it before <paramref name="until"/>, by
    /// when it has been sent or failed — or that sender died, and another sends it then.
    /// </summary>
    public void Claimed(DateTime until) => NextAttemptAt = until;

    /// <summary>
    /// Sent: the desk's copy of the body loses its private links (<see cref="WithoutPrivateLinks"/>), so a copy of the
    /// database does not open the customer's status page or survey. The customer's mail has them; the desk keeps only
    /// their hashes.
    /// </summary>
    public void Sent(DateTime now)
    {
        State = OutboundState.Sent;
        SentAt = now;
        Attempts++;
        LastError = null;
        Body = WithoutPrivateLinks(Body);
        HtmlBody = HtmlBody is null ? null : WithoutPrivateLinks(HtmlBody);
    }

    /// <summary>What stands in a sent mail's copy where its private link's token was.</summary>
    public const string RemovedToken = "[link removed from the desk's copy after sending]";

    /// <summary><paramref name="body"/> with the token of every status, survey, address-confirmation and set-password link replaced by <see cref="RemovedToken"/>.</summary>
    public static string WithoutPrivateLinks(string body) => PrivateLink().Replace(body, "$1" + RemovedToken);

    [System.Text.RegularExpressions.GeneratedRegex(@"(/(?:status|survey|confirm|account/set-password)/)[A-Za-z0-9_\-]{16,}")]
    private static partial System.Text.RegularExpressions.Regex PrivateLink();

    /// <summary>A failed attempt: tried again after a back-off that doubles (10 s, 20 s, … at most an hour), dead after <paramref name="maxAttempts"/>.</summary>
    public void Failed(DateTime now, string error, int maxAttempts)
    {
        Attempts++;
        LastError = error.Length <= 1_000 ? error : error[..1_000];
        if (Attempts >= maxAttempts)
        {
            State = OutboundState.Dead;
            return;
        }
        var wait = TimeSpan.FromSeconds(Math.Min(3600, 10 * Math.Pow(2, Attempts - 1)));
        NextAttemptAt = now + wait;
    }

    public void Bounced(string reason)
    {
        State = OutboundState.Bounced;
        LastError = reason.Length <= 1_000 ? reason : reason[..1_000];
    }

    /// <summary>An admin sends a dead or bounced mail again: queued at once, attempts counted afresh.</summary>
    public void Resend(DateTime now)
    {
        if (State is not (OutboundState.Dead or OutboundState.Bounced))
            throw new Desk.Domain.DomainException("Only a mail that failed can be sent again.");
        State = OutboundState.Queued;
        Attempts = 0;
        NextAttemptAt = now;
    }
}

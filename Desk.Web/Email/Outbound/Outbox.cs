using Desk.Domain.Customers;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Desk.Web.Email.Outbound;

/// <summary>
/// Puts mails to customers in the outbox, in the caller's unit of work: they commit or roll back with the change that
/// needs them, and <see cref="MailSender"/> sends them after. Every mail carries In-Reply-To and References to the
/// ticket's earlier mails so the customer's client threads them.
/// </summary>
public sealed class Outbox(DeskDbContext db, IOptions<MailOptions> options, TimeProvider clock, DeskSignals signals)
{
    private MailOptions Options => options.Value;

    /// <summary>
    /// The acknowledgement of a new ticket with its private status link, unless this address had
    /// <see cref="MailOptions.AcknowledgementsPerAddressPerHour"/> already in the last hour (then false: a robot that
    /// slipped through cannot make the desk mail it forever). <paramref name="inReplyTo"/>: the customer's Message-ID.
    /// </summary>
    public async Task<bool> QueueAcknowledgementAsync(Ticket ticket, Customer customer, string statusToken, string? inReplyTo, CancellationToken ct,
        string? confirmationToken = null)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var since = now.AddHours(-1);
        var recent = await db.OutboundMails.CountAsync(m => m.To == customer.Email && m.Kind == OutboundKind.Acknowledgement && m.CreatedAt > since, ct)
            + db.OutboundMails.Local.Count(m => m.To == customer.Email && m.Kind == OutboundKind.Acknowledgement && m.Id == 0);
        if (recent >= Options.AcknowledgementsPerAddressPerHour) return false;

        var (subject, body) = MailTemplates.Acknowledgement(customer.Language, ticket.Number, customer.Name, ticket.Subject,
            StatusUrl(statusToken), Options.DisplayName, confirmationToken is null ? null : $"{Options.PublicBaseUrl.TrimEnd('/')}/confirm/{confirmationToken}");
        db.OutboundMails.Add(new OutboundMail(ticket.Id, OutboundKind.Acknowledgement, customer.Email, customer.Name, subject, body,
            customer.Language, NewMessageId(ticket.Number), inReplyTo, inReplyTo, now));
        return true;
    }

    /// <summary>
    /// A mail for every reply to the customer added to <paramref name="ticket"/> in this unit of work (not saved yet): plain
    /// text and formatted HTML, with the author's signature and the files saved with the reply. None
    /// while the ticket's contact is unverified: the address's owner has not said the complaint is theirs, so the replies
    /// are only on the status page of whoever filed it.
    /// </summary>
    public async Task QueueRepliesAsync(Ticket ticket, CancellationToken ct)
    {
        var replies = ticket.Conversation.Where(e => e.Kind == ConversationEntryKind.Outbound && e.Id == 0).ToList();
        if (replies.Count == 0 || ticket.ContactUnverified) return;
        var customer = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == ticket.CustomerId, ct);
        if (!customer.CanBeMailed) return; // no address (filed by phone or in person) or erased: the replies are on the status page
        var thread = await ThreadAsync(ticket.Id, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var reply in replies)
        {
            var signature = await Features.Signatures.AgentSignatures.ReadAsync(db, reply.Author, ct);
            var (subject, body) = MailTemplates.Reply(customer.Language, ticket.Number, ticket.Subject, reply.Body, Options.DisplayName, signature);
            var html = MailTemplates.ReplyHtml(customer.Language, ticket.Number, reply.Body, Options.DisplayName, signature);
            var messageId = NewMessageId(ticket.Number);
            db.OutboundMails.Add(new OutboundMail(ticket.Id, OutboundKind.Reply, customer.Email, customer.Name, subject, body, customer.Language,
                messageId, thread.LastOrDefault(), thread.Count == 0 ? null : string.Join(' ', thread), now).Carrying(reply, html));
            thread.Add(messageId);
        }
    }

    /// <summary>
    /// A manager's personal note to a customer who went quiet after <paramref name="ticket"/>, in the words they approved
    /// (see <c>Features/WinBackMail</c>): threaded to the ticket's earlier mails like a reply. The ticket's tag is added to
    /// the subject when the words lack it, so a reply finds its ticket. Refuses a customer without an address.
    /// </summary>
    public async Task QueueWinBackAsync(Ticket ticket, Customer customer, string subject, string body, CancellationToken ct)
    {
        RequireAddress(customer);
        var tag = MailTemplates.SubjectTag(ticket.Number);
        if (!subject.Contains(tag, StringComparison.OrdinalIgnoreCase)) subject = $"{subject} {tag}";
        var thread = await ThreadAsync(ticket.Id, ct);
        db.OutboundMails.Add(new OutboundMail(ticket.Id, OutboundKind.WinBack, customer.Email, customer.Name, subject, body, customer.Language,
            NewMessageId(ticket.Number), thread.LastOrDefault(), thread.Count == 0 ? null : string.Join(' ', thread), clock.GetUtcNow().UtcDateTime));
    }

    /// <summary>A customer with no address (phone or walk-in complaint) or an erased one is never mailed: callers check first;
    /// this is the last guard, so such a mail never sits in the outbox failing.</summary>
    private static void RequireAddress(Customer customer)
    {
        if (!customer.CanBeMailed)
            throw new Desk.Domain.DomainException("{0} has no e-mail address (the complaint came by phone or in person): no mail can be sent. Call them instead.", customer.Name);
    }

    /// <summary>The follow-up survey with its private link, threaded to the ticket's earlier mails, in the customer's language.</summary>
    public async Task QueueSurveyAsync(Ticket ticket, Customer customer, string token, DateTime closes, bool inviteCallBack, string? callBackPhone,
        CancellationToken ct)
    {
        RequireAddress(customer);
        var thread = await ThreadAsync(ticket.Id, ct);
        var (subject, body) = MailTemplates.Survey(customer.Language, ticket.Number, customer.Name, ticket.Subject, SurveyUrl(token, customer.Language),
            closes, inviteCallBack, callBackPhone, Options.DisplayName);
        db.OutboundMails.Add(new OutboundMail(ticket.Id, OutboundKind.Survey, customer.Email, customer.Name, subject, body, customer.Language,
            NewMessageId(ticket.Number), thread.LastOrDefault(), thread.Count == 0 ? null : string.Join(' ', thread), clock.GetUtcNow().UtcDateTime));
    }

    /// <summary>Tells the senders to look now, this desk's and the others' (call after committing); they also look every second on their own.</summary>
    public void Wake() => signals.Raise(DeskSignals.Outbox);

    /// <summary>The Message-IDs of the ticket's mails both ways, oldest first, at most the last 20 (References stays short).</summary>
    private async Task<List<string>> ThreadAsync(long ticketId, CancellationToken ct)
    {
        var inbound = await db.InboundMails.Where(m => m.TicketId == ticketId && m.MessageId != null && m.Outcome != Intake.InboundOutcome.Robot)
            .Select(m => new { At = m.ReceivedAt, Id = m.MessageId! }).ToListAsync(ct);
        var outbound = await db.OutboundMails.Where(m => m.TicketId == ticketId)
            .Select(m => new { At = m.CreatedAt, Id = m.MessageId }).ToListAsync(ct);
        outbound.AddRange(db.OutboundMails.Local.Where(m => m.TicketId == ticketId && m.Id == 0).Select(m => new { At = m.CreatedAt, Id = m.MessageId }));
        return inbound.Concat(outbound).OrderBy(m => m.At).Select(m => m.Id).Distinct().TakeLast(20).ToList();
    }

    private string StatusUrl(string token) => $"{Options.PublicBaseUrl.TrimEnd('/')}/status/{token}";

    /// <summary>The survey page in the customer's language (the page offers the other one too).</summary>
    private string SurveyUrl(string token, string language) =>
        $"{Options.PublicBaseUrl.TrimEnd('/')}/survey/{token}" + (language == "zh" ? "?culture=zh-CN" : "");

    /// <summary>Unique and unguessable, with the ticket number for people reading headers; the desk's domain on the right.</summary>
    private string NewMessageId(string ticketNumber)
    {
        var at = Options.Address.LastIndexOf('@');
        var domain = at >= 0 ? Options.Address[(at + 1)..] : "desk.local";
        return $"{ticketNumber}.{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12))}@{domain}";
    }
}

/// <summary>Wakes the sender when mail was queued, so it need not wait for its next look.</summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _pulse = new(0, 1);

    public void Pulse()
    {
        try { _pulse.Release(); } catch (SemaphoreFullException) { } // already woken
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _pulse.WaitAsync(timeout, ct);
}

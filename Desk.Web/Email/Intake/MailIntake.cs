using System.Text.RegularExpressions;
using Desk.Domain;
using Desk.Domain.Customers;
using Desk.Domain.Email;
using Desk.Domain.Sla;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Email.Outbound;
using Desk.Web.Features.Attachments;
using Desk.Web.Features.Public;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Desk.Web.Email.Intake;

public enum IntakeOutcome { Opened, Added, Robot, Own, Duplicate, Quarantined }

/// <summary>What became of one mail: a ticket opened or added to, a robot's mail set aside, a duplicate, or a quarantine entry.</summary>
public sealed record IntakeResult(IntakeOutcome Outcome, long? TicketId, string? Reason);

/// <summary>
/// Takes one raw mail in, whatever its source (a mailbox, the drop folder, an admin's retry), in one transaction:
/// a customer's new mail opens a ticket (customer found or created by address, acknowledged by mail with the private
/// status link), a reply lands in its ticket (In-Reply-To/References against the desk's mails both ways, then the ticket
/// number in the subject from the ticket's customer), robots' mail opens and answers nothing (a bounce marks the mail
/// it bounces failed), the same mail twice is taken once, and a mail that cannot be parsed or stored is quarantined
/// with its reason and bytes. Only a failure to store anything at all (the database is down) throws: the source then
/// keeps the mail and offers it again later.
/// </summary>
public sealed partial class MailIntake(DeskDbContext db, SlaPolicy sla, RepeatComplaintPolicy repeats, TimeProvider clock, Outbox outbox,
    IOptions<MailOptions> mailOptions, IOptions<DeskDatabaseOptions> databaseOptions, IOptions<PublicFormOptions> formOptions, ILogger<MailIntake> log)
{
    private const string NoText = "(no text)";

    static MailIntake() => MailContent.RegisterEncodings();

    /// <summary>Takes one mail in. One instance may take many in a row (a poller's batch): each starts with a clean slate.</summary>
    public async Task<IntakeResult> TakeAsync(byte[] raw, string source, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        try
        {
            return await TakeOrThrowAsync(raw, source, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException && !IsDatabaseDown(e))
        {
            db.ChangeTracker.Clear();
            var reason = e switch
            {
                MailParseException => e.Message,
                DomainException => e.Message,
                _ => $"{e.GetType().Name}: {e.Message}",
            };
            log.LogWarning("Mail from {Source} quarantined: {Reason}", source, reason);
            return await QuarantineAsync(raw, source, reason, ct);
        }
    }

    private async Task<IntakeResult> TakeOrThrowAsync(byte[] raw, string source, CancellationToken ct)
    {
        var settings = mailOptions.Value;
        var limit = settings.MaxMailMegabytes * 1024L * 1024;
        if (raw.Length > limit)
            return await QuarantineAsync(raw, source, $"The mail is {raw.Length / 1024.0 / 1024.0:0.#} MB, larger than the {settings.MaxMailMegabytes} MB limit (Desk:Mail:MaxMailMegabytes).", ct);

        var message = MailContent.Parse(raw);
        var key = InboundMail.KeyFor(message.MessageId, raw);
        if (await db.InboundMails.AsNoTracking().Where(m => m.DedupeKey == key).Select(m => new { m.TicketId, m.Outcome }).FirstOrDefaultAsync(ct) is { } seen)
            return new IntakeResult(IntakeOutcome.Duplicate, seen.TicketId, $"taken in before ({seen.Outcome})");

        var sender = message.From.Mailboxes.FirstOrDefault() ?? message.Sender ?? message.ReplyTo.Mailboxes.FirstOrDefault();
        var fromAddress = Address(sender?.Address);
        var subject = (message.Subject ?? "").Trim();
        var now = clock.GetUtcNow().UtcDateTime;

        var verdict = RobotMail.Classify(message);
        if (verdict.IsRobot) return await SetAsideRobotAsync(raw, source, message, key, fromAddress, subject, verdict, now, ct);
        if (settings.AllAddresses.Any(a => string.Equals(Address(a), fromAddress, StringComparison.Ordinal)))
            return await RecordAsync(new InboundMail(key, message.MessageId, source, fromAddress, Cut(subject, 1_000), now, InboundOutcome.Own,
                "sent from the desk's own address", raw), IntakeOutcome.Own, null, ct);
        if (fromAddress.Length == 0 || !fromAddress.Contains('@'))
            throw new MailParseException("The mail has no sender address (From), so there is no one to answer.");

        var body = MailContent.Extract(message, settings.MaxAttachmentMegabytes * 1024L * 1024);
        var threadTicketId = await FindThreadAsync(message, subject, fromAddress, ct);

        await using var transaction = await db.BeginWriteAsync(ct);
        if (await db.InboundMails.AnyAsync(m => m.DedupeKey == key, ct)) // another poller took it while this one parsed
            return new IntakeResult(IntakeOutcome.Duplicate, null, "taken in before");

        Ticket? ticket = null;
        long? followsTicketId = null;
        if (threadTicketId is { } threadId)
        {
            ticket = await LoadFollowingMergesAsync(threadId, ct);
            var text = ReplyText.NewText(body.Text);
            if (ticket is not null && !ticket.TakeCustomerMessage(fromAddress, now, text.Length == 0 ? NoText : text, databaseOptions.Value.ReopenWindow))
            {
                followsTicketId = ticket.Id; // closed for good: the customer's new message starts a ticket that follows it
                ticket = null;
            }
        }

        string? statusToken = null;
        Customer? customer = null;
        if (ticket is null)
        {
            (ticket, customer, statusToken) = await OpenAsync(message, sender!, fromAddress, subject, body, followsTicketId, now, ct);
        }
        await db.SaveChangesAsync(ct);

        var entry = ticket.Conversation.Where(e => e.Kind == ConversationEntryKind.Inbound).MaxBy(e => e.Id)!;
        foreach (var file in body.Attachments)
            db.Attachments.Add(new Attachment(ticket.Id, entry.Id, AttachmentRules.SafeName(file.FileName), DownloadType(file.ContentType), file.Content, now, file.ContentId));
        var inbound = new InboundMail(key, message.MessageId, source, fromAddress, Cut(subject, 1_000), now,
            customer is null ? InboundOutcome.Added : InboundOutcome.Opened, body.Notes.Count == 0 ? null : Cut(string.Join(" ", body.Notes), 4_000), raw);
        inbound.LinkTo(ticket.Id, entry.Id, body.Html);
        db.InboundMails.Add(inbound);
        if (customer is not null && statusToken is not null
            && !await outbox.QueueAcknowledgementAsync(ticket, customer, statusToken, message.MessageId, ct))
            ticket.RecordEvent(now, $"No acknowledgement was sent: {customer.Email} had {mailOptions.Value.AcknowledgementsPerAddressPerHour} in the last hour already (a robot mailing the desk?).");
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        outbox.Wake();
        return new IntakeResult(customer is null ? IntakeOutcome.Added : IntakeOutcome.Opened, ticket.Id, null);
    }

    private async Task<(Ticket Ticket, Customer Customer, string Token)> OpenAsync(MimeMessage message, MailboxAddress sender, string address,
        string subject, MailBody body, long? followsTicketId, DateTime now, CancellationToken ct)
    {
        var language = GuessLanguage(subject + "\n" + body.Text);
        var customer = await db.Customers.SingleOrDefaultAsync(c => c.Email == address, ct);
        if (customer is null)
        {
            var name = string.IsNullOrWhiteSpace(sender.Name) ? address[..address.IndexOf('@')] : sender.Name.Trim();
            customer = new Customer(address, Cut(name, 200), now, language);
            db.Customers.Add(customer);
            await db.SaveChangesAsync(ct);
        }
        var previousComplaintAt = await db.Tickets
            .Where(t => t.CustomerId == customer.Id && t.Kind == TicketKind.Complaint && t.State != TicketState.Rejected)
            .MaxAsync(t => (DateTime?)t.ReceivedAt, ct);
        var text = body.Text.Trim();
        var intake = new TicketIntake(TicketKind.Complaint, Channel.Email, Severity.Minor,
            Cut(subject.Length > 0 ? subject : FirstWords(text), 300), Cut(text.Length > 0 ? text : NoText, 100_000),
            FollowsTicketId: followsTicketId);
        var ticket = Ticket.Receive(intake, customer, sla, repeats, previousComplaintAt, now);
        ticket.Acknowledge("desk", now);
        if (followsTicketId is { } earlier) ticket.RecordEvent(now, $"Follows {TicketNumber.Format(earlier)}, closed longer ago than the reopen window.");
        db.Tickets.Add(ticket);
        await db.SaveChangesAsync(ct);
        var (link, token) = StatusLink.Create(ticket.Id, now, TimeSpan.FromDays(formOptions.Value.LinkLifetimeDays));
        db.StatusLinks.Add(link);
        return (ticket, customer, token);
    }

    /// <summary>
    /// The ticket a reply belongs to: any Message-ID in In-Reply-To/References that the desk sent or received (so a
    /// CC'd participant's reply threads too), else "[D-000123]" in the subject when the sender is that ticket's customer.
    /// </summary>
    private async Task<long?> FindThreadAsync(MimeMessage message, string subject, string fromAddress, CancellationToken ct)
    {
        var ids = message.References.Append(message.InReplyTo).OfType<string>().Where(id => id.Length is > 0 and <= 1_000).Distinct().ToList();
        if (ids.Count > 0)
        {
            var sent = await db.OutboundMails.Where(m => ids.Contains(m.MessageId) && m.TicketId != null)
                .OrderByDescending(m => m.Id).Select(m => m.TicketId).FirstOrDefaultAsync(ct);
            if (sent is not null) return sent;
            var received = await db.InboundMails.Where(m => m.MessageId != null && ids.Contains(m.MessageId) && m.TicketId != null)
                .OrderByDescending(m => m.Id).Select(m => m.TicketId).FirstOrDefaultAsync(ct);
            if (received is not null) return received;
        }
        foreach (Match match in SubjectTicketNumber().Matches(subject))
        {
            if (!TicketNumber.TryParse(match.Groups[1].Value, out var id)) continue;
            var customerEmail = await db.Tickets.Where(t => t.Id == id)
                .Join(db.Customers, t => t.CustomerId, c => c.Id, (t, c) => c.Email).FirstOrDefaultAsync(ct);
            if (customerEmail == fromAddress) return id;
        }
        return null;
    }

    /// <summary>The ticket, or the one it was merged into (the conversation goes on there).</summary>
    private async Task<Ticket?> LoadFollowingMergesAsync(long id, CancellationToken ct)
    {
        for (var hops = 0; hops < 10; hops++)
        {
            var ticket = await db.Tickets.Include(t => t.Conversation).SingleOrDefaultAsync(t => t.Id == id, ct);
            if (ticket?.MergedIntoTicketId is not { } target) return ticket;
            id = target;
        }
        return null;
    }

    private async Task<IntakeResult> SetAsideRobotAsync(byte[] raw, string source, MimeMessage message, string key, string fromAddress,
        string subject, RobotVerdict verdict, DateTime now, CancellationToken ct)
    {
        var note = $"{verdict.Author}: {verdict.Reason}";
        long? ticketId = null;
        var ids = verdict.OriginalMessageIds.Where(id => id.Length <= 300).Distinct().ToList();
        await using var transaction = await db.BeginWriteAsync(ct);
        if (verdict.Author == MailAuthor.Bounce && ids.Count > 0)
        {
            // A bounce of a mail the desk sent: that mail failed, and the ticket says so. Nothing else changes.
            foreach (var failed in await db.OutboundMails.Where(m => ids.Contains(m.MessageId)).ToListAsync(ct))
            {
                failed.Bounced(Cut($"Bounced: {subject}", 1_000));
                ticketId ??= failed.TicketId;
                if (failed.TicketId is { } id && await db.Tickets.FindAsync([id], ct) is { } ticket)
                    ticket.RecordEvent(now, $"The mail to {failed.To} (\"{Cut(failed.Subject, 200)}\") could not be delivered: \"{Cut(subject, 300)}\".");
            }
        }
        else if (ids.Count > 0)
        {
            ticketId = await db.OutboundMails.Where(m => ids.Contains(m.MessageId)).Select(m => m.TicketId).FirstOrDefaultAsync(ct);
        }
        var mail = new InboundMail(key, message.MessageId, source, Cut(fromAddress, 400), Cut(subject, 1_000), now, InboundOutcome.Robot, Cut(note, 4_000), raw);
        if (ticketId is { } linked) mail.LinkTo(linked, null, null); // for reference only: an auto-reply never changes the ticket
        db.InboundMails.Add(mail);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new IntakeResult(IntakeOutcome.Robot, ticketId, note);
    }

    private async Task<IntakeResult> RecordAsync(InboundMail mail, IntakeOutcome outcome, long? ticketId, CancellationToken ct)
    {
        db.InboundMails.Add(mail);
        await db.SaveChangesAsync(ct);
        return new IntakeResult(outcome, ticketId, mail.Note);
    }

    private async Task<IntakeResult> QuarantineAsync(byte[] raw, string source, string reason, CancellationToken ct)
    {
        var hash = InboundMail.HashOf(raw);
        if (!await db.QuarantinedMails.AnyAsync(q => q.Hash == hash && q.State == QuarantineState.Waiting, ct))
        {
            db.QuarantinedMails.Add(new QuarantinedMail(source, clock.GetUtcNow().UtcDateTime, reason, raw));
            await db.SaveChangesAsync(ct);
        }
        return new IntakeResult(IntakeOutcome.Quarantined, null, reason);
    }

    /// <summary>Chinese when CJK characters make up a good share of the letters, English otherwise (the desk's two languages).</summary>
    public static string GuessLanguage(string text)
    {
        int letters = 0, cjk = 0;
        foreach (var c in text)
        {
            if (!char.IsLetter(c)) continue;
            letters++;
            if (c is >= '\u3400' and <= '\u9FFF' or >= '\uF900' and <= '\uFAFF') cjk++;
        }
        return letters > 0 && cjk * 5 >= letters ? "zh" : "en";
    }

    /// <summary>Attachments are only ever downloads; the few types a browser may show as themselves keep their type, the rest are bytes.</summary>
    private static string DownloadType(string contentType)
    {
        var type = contentType.ToLowerInvariant();
        return type is "image/png" or "image/jpeg" or "image/gif" or "image/webp" or "application/pdf" or "text/plain" ? type : "application/octet-stream";
    }

    private static bool IsDatabaseDown(Exception e) =>
        e is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 5 or 6 or 10 or 13 or 14 } // busy, locked, I/O, full, cannot open
        || e.InnerException is { } inner && IsDatabaseDown(inner);

    /// <summary>The address as the desk keys customers by; robots' odd senders ("MAILER-DAEMON") as they are, lower-cased.</summary>
    private static string Address(string? address)
    {
        var trimmed = (address ?? "").Trim();
        try
        {
            return trimmed.Length == 0 ? "" : Customer.NormalizeEmail(trimmed);
        }
        catch (DomainException)
        {
            return trimmed.ToLowerInvariant();
        }
    }

    private static string FirstWords(string text)
    {
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
        return line.Length == 0 ? NoText : Cut(line, 80);
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    [GeneratedRegex(@"\[(D-\d{6,18})\]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SubjectTicketNumber();
}

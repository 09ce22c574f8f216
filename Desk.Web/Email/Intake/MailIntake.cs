using System.Globalization;
using System.Text.RegularExpressions;
using Desk.Domain;
using Desk.Domain.Customers;
using Desk.Domain.Email;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Email.Outbound;
using Desk.Web.Features.Attachments;
using Desk.Web.Features.Arrival;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Desk.Web.Email.Intake;

public enum IntakeOutcome { Opened, Added, Robot, Own, Duplicate, Quarantined }

/// <summary>What became of one mail: a ticket opened or added to, a robot's mail set aside, a duplicate, or a quarantine entry.</summary>
public sealed record IntakeResult(IntakeOutcome Outcome, long? TicketId, string? Reason);

/// <summary>
/// Takes one raw mail in, whatever its source (a mailbox, the drop folder, an admin's retry), in one transaction:
/// a customer's new mail opens a ticket (<see cref="ComplaintArrival"/>: customer found or created by address, acknowledged
/// by mail with the private status link), a reply lands in its ticket (<see cref="CustomerWroteAgain"/>, found by
/// In-Reply-To/References against the desk's mails both ways, then the ticket number in the subject from the ticket's customer), robots' mail opens and answers nothing (a bounce marks the mail
/// it bounces failed), the same mail twice is taken once, and a mail that cannot be parsed or stored is quarantined
/// with its reason and bytes. Only a failure to store anything at all (the database is down) throws: the source then
/// keeps the mail and offers it again later.
/// </summary>
public sealed partial class MailIntake(DeskDbContext db, ComplaintArrival arrival, CustomerWroteAgain wroteAgain, TimeProvider clock, Outbox outbox,
    IOptions<MailOptions> mailOptions, Operations.DeskMeters meters, ILogger<MailIntake> log)
{
    private const string NoText = "(no text)";

    static MailIntake() => MailContent.RegisterEncodings();

    /// <summary>Takes one mail in, in a transaction of its own (an admin's retry; tests).</summary>
    public async Task<IntakeResult> TakeAsync(byte[] raw, string source, CancellationToken ct) =>
        (await TakeManyAsync([raw], source, ct))[0];

    /// <summary>
    /// Takes a poller's batch in: every mail is read and judged first (no database work), then all are stored in one
    /// write transaction — one commit, and one search-index segment, for the batch instead of one per mail. A mail that
    /// fails while being stored rolls the batch back, and the batch is then stored mail by mail so that only that mail
    /// is quarantined. Results come back in the order of <paramref name="raws"/>; when this returns, all are committed
    /// and the source may mark them done. Throws only when nothing could be stored (the database is down).
    /// </summary>
    public Task<IReadOnlyList<IntakeResult>> TakeManyAsync(IReadOnlyList<byte[]> raws, string source, CancellationToken ct) =>
        TakeManyAsync(Read(raws, ct), source, ct);

    /// <summary>
    /// <see cref="TakeManyAsync(IReadOnlyList{byte[]}, string, CancellationToken)"/>'s first half: every mail parsed,
    /// classified and decoded, on all cores, with no database work. A source may read its next batch this way while the
    /// one before is being stored (the drop folder does), so parsing and storing overlap.
    /// </summary>
    public ReadMails Read(IReadOnlyList<byte[]> raws, CancellationToken ct)
    {
        var mails = new ReadMail[raws.Count];
        if (raws.Count == 1) mails[0] = Prepare(raws[0]);
        else if (raws.Count > 1) Parallel.For(0, raws.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct },
            i => mails[i] = Prepare(raws[i])); // parsing and decoding is most of a mail's work, and needs no database
        return new ReadMails(mails);
    }

    /// <summary>Mails as <see cref="Read"/> left them: parsed and judged, not stored yet.</summary>
    public sealed class ReadMails
    {
        internal ReadMails(ReadMail[] mails) => Mails = mails;

        internal ReadMail[] Mails { get; }

        public int Count => Mails.Length;
    }

    /// <summary>
    /// <see cref="TakeManyAsync(IReadOnlyList{byte[]}, string, CancellationToken)"/>'s second half: the mails <see cref="Read"/>
    /// read, stored in one write transaction (or mail by mail when the batch fails), results in their order.
    /// </summary>
    public async Task<IReadOnlyList<IntakeResult>> TakeManyAsync(ReadMails read, string source, CancellationToken ct)
    {
        var mails = read.Mails;
        if (mails.Length == 0) return [];
        db.ChangeTracker.Clear();
        if (db.Database.GetDbConnection().State != System.Data.ConnectionState.Open)
            await db.Database.OpenConnectionAsync(ct); // one connection for the batch, not one open per query
        db.Database.AutoSavepointsEnabled = false; // nothing is retried inside a transaction: a failure redoes the batch mail by mail
        var results = new IntakeResult[mails.Length];
        var queued = false;
        try
        {
            await using (var transaction = await db.BeginWriteAsync(ct))
            {
                var keys = mails.Where(m => m.Refused is null).Select(m => m.Key).Distinct().ToList();
                var unseen = keys.Except(await db.InboundMails.Where(m => keys.Contains(m.DedupeKey)).Select(m => m.DedupeKey).ToListAsync(ct)).ToHashSet();
                for (var i = 0; i < mails.Length; i++)
                {
                    db.ChangeTracker.Clear();
                    (results[i], var acknowledged) = await StoreAsync(mails[i], source, unseen, ct);
                    queued |= acknowledged;
                }
                await transaction.CommitAsync(ct);
            }
        }
        catch (Exception e) when ((mails.Length > 1 || db.Provider.IsConflict(e)) && e is not OperationCanceledException && !IsDatabaseDown(e))
        {
            log.LogWarning("A batch of {Count} mails from {Source} failed ({Error}); storing them one by one.", mails.Length, source, e.Message);
            for (var i = 0; i < mails.Length; i++)
            {
                (results[i], var acknowledged) = await StoreAloneAsync(mails[i], source, ct);
                queued |= acknowledged;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException && !IsDatabaseDown(e))
        {
            results[0] = await QuarantineAsync(mails[0].Raw, source, ReasonOf(e), ct);
        }
        finally
        {
            db.ChangeTracker.Clear();
            db.Database.AutoSavepointsEnabled = true;
        }
        if (queued) outbox.Wake();
        meters.Taken(results);
        return results;
    }

    /// <summary>
    /// Cuts a poller's list into the batches <see cref="TakeManyAsync"/> takes: at most 50 mails and 16 MB each (a big mail
    /// goes alone), so one write transaction stays short enough that an agent's note waiting behind it is not kept long.
    /// </summary>
    public static IEnumerable<List<T>> Batches<T>(IEnumerable<T> items, Func<T, long> size)
    {
        const int MaxMails = 50;
        const long MaxBytes = 16L * 1024 * 1024;
        var batch = new List<T>();
        long bytes = 0;
        foreach (var item in items)
        {
            var length = size(item);
            if (batch.Count > 0 && (batch.Count == MaxMails || bytes + length > MaxBytes))
            {
                yield return batch;
                batch = [];
                bytes = 0;
            }
            batch.Add(item);
            bytes += length;
        }
        if (batch.Count > 0) yield return batch;
    }

    /// <summary>
    /// One mail in its own transaction; a failure quarantines it. Another desk storing the same mail or creating the
    /// same customer at the same moment is not a failure: stored again, the mail finds theirs (a duplicate, a customer).
    /// </summary>
    private async Task<(IntakeResult, bool)> StoreAloneAsync(ReadMail mail, string source, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            try
            {
                await using var transaction = await db.BeginWriteAsync(ct);
                var stored = await StoreAsync(mail, source, null, ct);
                await transaction.CommitAsync(ct);
                return stored;
            }
            catch (Exception e) when (attempt < 3 && db.Provider.IsConflict(e))
            {
                log.LogInformation("A mail from {Source} raced another desk storing the same row ({Error}); storing it again.", source, e.Message);
            }
            catch (Exception e) when (e is not OperationCanceledException && !IsDatabaseDown(e))
            {
                db.ChangeTracker.Clear();
                return (await QuarantineAsync(mail.Raw, source, ReasonOf(e), ct), false);
            }
        }
    }

    private string ReasonOf(Exception e) => e switch
    {
        MailParseException or DomainException => e.Message,
        _ => $"{e.GetType().Name}: {e.Message}",
    };

    /// <summary>A mail read and judged: everything the write transaction needs, or why it cannot be taken in.</summary>
    internal sealed record ReadMail(byte[] Raw, string? Refused, MimeMessage? Message = null, string Key = "", MailboxAddress? Sender = null,
        string FromAddress = "", string Subject = "", RobotVerdict? Robot = null, bool Own = false, MailBody? Body = null)
    {
        /// <summary>The language guessed from the subject and text (for a customer the desk does not know yet).</summary>
        public string Language { get; init; } = "en";

        /// <summary>The text stripped as a reply's, or as a first mail's: worked out here when the mail looks like one, else in the transaction.</summary>
        public string? NewText { get; init; }

        /// <summary>The text stripped as a first mail's (see <see cref="NewText"/>).</summary>
        public string? FirstText { get; init; }
    }

    /// <summary>Parses, classifies and decodes one mail; no database work, so it runs before the write transaction.</summary>
    private ReadMail Prepare(byte[] raw)
    {
        var settings = mailOptions.Value;
        var limit = settings.MaxMailMegabytes * 1024L * 1024;
        if (raw.Length > limit)
            return new ReadMail(raw, $"The mail is {raw.Length / 1024.0 / 1024.0:0.#} MB, larger than the {settings.MaxMailMegabytes} MB limit (Desk:Mail:MaxMailMegabytes).");
        try
        {
            var message = MailContent.Parse(raw);
            var key = InboundMail.KeyFor(message.MessageId, raw);
            var sender = message.From.Mailboxes.FirstOrDefault() ?? message.Sender ?? message.ReplyTo.Mailboxes.FirstOrDefault();
            var fromAddress = Address(sender?.Address);
            var subject = MailContent.SubjectOf(message);
            var read = new ReadMail(raw, null, message, key, sender, fromAddress, subject);

            var verdict = RobotMail.Classify(message);
            if (verdict.IsRobot) return read with { Robot = verdict };
            if (settings.AllAddresses.Any(a => string.Equals(Address(a), fromAddress, StringComparison.Ordinal))) return read with { Own = true };
            if (fromAddress.Length == 0 || !fromAddress.Contains('@'))
                return read with { Refused = "The mail has no sender address (From), so there is no one to answer." };
            var body = MailContent.Extract(message, settings.MaxAttachmentMegabytes * 1024L * 1024);
            // Stripping quotes is a good part of a mail's work: done here, on both cores and outside the write transaction,
            // as a reply (it names a mail or a ticket number) or as a first mail; the other, when it turns out to be needed, there.
            var reply = message.References.Count > 0 || !string.IsNullOrEmpty(message.InReplyTo) || SubjectTicketNumber().IsMatch(subject);
            return read with
            {
                Body = body,
                Language = GuessLanguage(subject + "\n" + body.Text),
                NewText = reply ? ReplyText.NewText(body.Text) : null,
                FirstText = reply ? null : ReplyText.FirstMessageText(body.Text),
            };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new ReadMail(raw, ReasonOf(e));
        }
    }

    /// <summary>
    /// Stores one read mail inside the caller's write transaction; true when an acknowledgement was queued.
    /// <paramref name="unseen"/>: dedupe keys this transaction has looked up already and not found (one query for a batch).
    /// </summary>
    private async Task<(IntakeResult, bool)> StoreAsync(ReadMail mail, string source, HashSet<string>? unseen, CancellationToken ct)
    {
        if (mail.Refused is { } refused)
        {
            log.LogWarning("Mail from {Source} quarantined: {Reason}", source, refused);
            return (await QuarantineAsync(mail.Raw, source, refused, ct), false);
        }
        if (unseen?.Remove(mail.Key) != true // the same mail twice in one batch: the second time it is looked up, and found
            && await db.InboundMails.AsNoTracking().Where(m => m.DedupeKey == mail.Key).Select(m => new { m.TicketId, m.Outcome }).FirstOrDefaultAsync(ct) is { } seen)
            return (new IntakeResult(IntakeOutcome.Duplicate, seen.TicketId, $"taken in before ({seen.Outcome})"), false);

        var message = mail.Message!;
        var now = clock.GetUtcNow().UtcDateTime;
        if (mail.Robot is { } verdict) return (await SetAsideRobotAsync(mail, source, verdict, now, ct), false);
        if (mail.Own)
            return (await RecordAsync(new InboundMail(mail.Key, message.MessageId, source, mail.FromAddress, Cut(mail.Subject, 1_000), now, InboundOutcome.Own,
                "sent from the desk's own address", mail.Raw), IntakeOutcome.Own, null, ct), false);

        var body = mail.Body!;
        var notes = body.Notes.ToList();
        var files = body.Attachments
            .Select(f => new UploadedFile(AttachmentRules.SafeName(f.FileName), DownloadType(f.ContentType), f.Content, f.ContentId)).ToList();
        var language = mail.Language;
        var name = Cut(string.IsNullOrWhiteSpace(mail.Sender!.Name) ? mail.FromAddress[..mail.FromAddress.IndexOf('@')] : mail.Sender.Name.Trim(), 200);
        Ticket ticket;
        ConversationEntry entry;
        Arrived? opened;
        if (await FindThreadAsync(message, mail.Subject, mail.FromAddress, ct) is { } threadId
            && await wroteAgain.TakeAsync(threadId, new CustomerWriting(mail.FromAddress, Shown(mail.NewText ?? ReplyText.NewText(body.Text), notes) is { Length: > 0 } newText ? newText : NoText, Channel.Email, files)
            {
                Subject = mail.Subject,
                Name = name,
                Language = language,
                InReplyTo = message.MessageId,
            }, ct) is { } again)
        {
            // A ticket closed for good or rejected: the mail opened a new one that follows it.
            (ticket, entry, opened) = again.Follower is { } follower ? (follower.Ticket, follower.Message, follower) : (again.Ticket, again.Message!, null);
        }
        else
        {
            // The first mail is stripped like a reply (customers open complaints by answering a shop's mail), but never
            // down to nothing: FirstMessageText keeps the whole text then.
            var text = Shown(mail.FirstText ?? ReplyText.FirstMessageText(body.Text), notes).Trim();
            var intake = new TicketIntake(TicketKind.Complaint, Channel.Email, Severity.Minor,
                Cut(mail.Subject.Length > 0 ? mail.Subject : FirstWords(text), 300), text.Length > 0 ? text : NoText);
            opened = await arrival.ReceiveUnsavedAsync(new ArrivingComplaint(mail.FromAddress, name, language, intake, files) { InReplyTo = message.MessageId }, ct);
            (ticket, entry) = (opened.Ticket, opened.Message);
        }

        var inbound = new InboundMail(mail.Key, message.MessageId, source, mail.FromAddress, Cut(mail.Subject, 1_000), now,
            opened is null ? InboundOutcome.Added : InboundOutcome.Opened, notes.Count == 0 ? null : Cut(string.Join(" ", notes.Distinct()), 4_000), mail.Raw);
        inbound.LinkTo(ticket.Id, entry.Id, body.Html);
        db.InboundMails.Add(inbound);
        await db.SaveChangesAsync(ct); // with a new ticket's files, status link and acknowledgement: one save for them all
        return (new IntakeResult(opened is null ? IntakeOutcome.Added : IntakeOutcome.Opened, ticket.Id, null), opened?.Acknowledged == true);
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

    private async Task<IntakeResult> SetAsideRobotAsync(ReadMail read, string source, RobotVerdict verdict, DateTime now, CancellationToken ct)
    {
        var (raw, message, key, fromAddress, subject) = (read.Raw, read.Message!, read.Key, read.FromAddress, read.Subject);
        var note = $"{verdict.Author}: {verdict.Reason}";
        long? ticketId = null;
        var ids = verdict.OriginalMessageIds.Where(id => id.Length <= 300).Distinct().ToList();
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

    private bool IsDatabaseDown(Exception e) => db.Provider.IsUnavailable(e);

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

    /// <summary>The most of a mail's text a ticket holds: what the domain takes as one customer message.</summary>
    private const int MaxShownText = 1_000_000;

    private const string RestInOriginal = "\n\n[…] The rest of this text is in the original mail (.eml).";

    /// <summary>
    /// The text as the ticket shows it: whole up to <see cref="MaxShownText"/> characters (a long line is never cut);
    /// beyond that cut at a line break where there is one near, with a mark at the cut and a note on the message, so
    /// the agent knows to open the original. Never silently.
    /// </summary>
    private static string Shown(string text, List<string> notes)
    {
        if (text.Length <= MaxShownText)
            return text;
        var cut = MaxShownText - RestInOriginal.Length;
        var lineBreak = text.LastIndexOf('\n', cut - 1, 10_000);
        if (lineBreak > 0) cut = lineBreak;
        else if (char.IsHighSurrogate(text[cut - 1])) cut--;
        notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"The text is {text.Length:N0} characters long; the first {cut:N0} are shown and the whole text is in the original mail (.eml)."));
        return text[..cut].TrimEnd() + RestInOriginal;
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    [GeneratedRegex(@"\[(D-\d{6,18})\]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SubjectTicketNumber();
}

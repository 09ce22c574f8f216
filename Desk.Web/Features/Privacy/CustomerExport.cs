using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Privacy;

/// <summary>
/// "What do you hold on me" (GDPR art. 15 and 20, PIPL art. 45): everything the desk holds on one customer as a ZIP —
/// <c>customer.json</c> (who they are, their orders, surveys, follow-up tasks and the privacy trail about them), one
/// <c>tickets/D-….json</c> per ticket (its fields, conversation, audit trail, the mails the desk wrote), the files they
/// sent under <c>tickets/D-…/attachments/</c> and the original mails as received under <c>mails/</c>. Written straight
/// to the output as it is read, a ticket, an order, a file at a time: a customer with years of history never sits in
/// memory whole.
/// </summary>
public static class CustomerExport
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    private const int FlushAbove = 64 * 1024;

    /// <summary>The download's file name.</summary>
    public static string FileName(long customerId, DateTime now) => $"customer-{customerId}-{now:yyyyMMdd-HHmm}.zip";

    /// <summary>Whether there is such a customer (checked before the answer starts: a 404 cannot follow a 200).</summary>
    public static Task<bool> ExistsAsync(DeskDbContext db, long customerId, CancellationToken ct) =>
        db.Customers.AnyAsync(c => c.Id == customerId, ct);

    /// <summary>Records who exported whom (the privacy trail), before the export starts.</summary>
    public static async Task RecordAsync(DeskDbContext db, long customerId, string actor, DateTime now, CancellationToken ct)
    {
        var tickets = await db.Tickets.LongCountAsync(t => t.CustomerId == customerId, ct);
        db.PrivacyEvents.Add(new PrivacyEvent(PrivacyAction.Export, actor, now, customerId, new PrivacyCounts(tickets, 0, 0)));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Writes the ZIP of customer <paramref name="customerId"/> to <paramref name="output"/> (which need not seek).</summary>
    public static async Task WriteAsync(DeskDbContext db, long customerId, DateTime now, Stream output, CancellationToken ct)
    {
        var customer = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == customerId, ct);
        await using var pending = new PendingWrites(output);
        await using (var zip = await ZipArchive.CreateAsync(pending, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, ct))
            await WriteEntriesAsync(db, customer, now, zip, pending, ct);
        await pending.DrainAsync(ct); // the central directory
    }

    private static async Task WriteEntriesAsync(DeskDbContext db, Desk.Domain.Customers.Customer customer, DateTime now, ZipArchive zip,
        PendingWrites pending, CancellationToken ct)
    {
        var customerId = customer.Id;
        Task Entry(string name, Func<Stream, Task> write) => WriteEntryAsync(zip, pending, name, write, ct);

        await Entry("README.txt", async stream =>
        {
            await using var text = new StreamWriter(stream, leaveOpen: true);
            await text.WriteAsync($"""
                Everything the desk held on customer {customerId} on {now:yyyy-MM-dd HH:mm} UTC.
                customer.json          who the customer is, their orders, surveys, follow-up tasks, and the privacy trail about them
                tickets/D-….json       each ticket: its details, conversation, audit trail and the mails the desk sent
                tickets/D-…/attachments/  the files the customer sent
                mails/                 the original mails as the desk received them (.eml)
                Times are UTC.

                """);
        });

        await Entry("customer.json", stream => WriteCustomerAsync(db, customer, now, stream, ct));

        var ticketIds = await db.Tickets.AsNoTracking().Where(t => t.CustomerId == customerId).OrderBy(t => t.Id).Select(t => t.Id).ToListAsync(ct);
        foreach (var ticketId in ticketIds)
        {
            var number = TicketNumber.Format(ticketId);
            await Entry($"tickets/{number}.json", stream => WriteTicketAsync(db, ticketId, stream, ct));
            var files = await db.Attachments.AsNoTracking().Where(a => a.TicketId == ticketId).OrderBy(a => a.Id)
                .Select(a => new { a.Id, a.FileName }).ToListAsync(ct);
            foreach (var file in files)
            {
                var content = await db.Attachments.AsNoTracking().Where(a => a.Id == file.Id).Select(a => a.Content).SingleAsync(ct);
                await Entry($"tickets/{number}/attachments/{file.Id}-{EntryName(file.FileName)}", s => s.WriteAsync(content, ct).AsTask());
            }
        }

        var email = customer.Email;
        var mails = await db.InboundMails.AsNoTracking()
            .Where(m => m.Size > 0 && ((m.TicketId != null && ticketIds.Contains(m.TicketId.Value)) || m.From.ToLower() == email))
            .OrderBy(m => m.Id).Select(m => new { m.Id, m.TicketId }).ToListAsync(ct);
        foreach (var mail in mails)
        {
            var raw = await db.InboundMails.AsNoTracking().Where(m => m.Id == mail.Id).Select(m => m.Raw).SingleAsync(ct);
            var prefix = mail.TicketId is { } t ? TicketNumber.Format(t) + "-" : "";
            await Entry($"mails/{prefix}mail-{mail.Id}.eml", s => s.WriteAsync(raw, ct).AsTask());
        }
    }

    private static async Task WriteEntryAsync(ZipArchive zip, PendingWrites pending, string name, Func<Stream, Task> write, CancellationToken ct)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Fastest);
        await using (var stream = await entry.OpenAsync(ct))
            await write(stream);
        await pending.DrainAsync(ct); // the entry's tail, written as the entry closed
    }

    private static async Task WriteCustomerAsync(DeskDbContext db, Desk.Domain.Customers.Customer c, DateTime now, Stream stream, CancellationToken ct)
    {
        await using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("exportedAt", now);
        json.WritePropertyName("customer");
        JsonSerializer.Serialize(json, new
        {
            c.Id, c.Email, c.Name, c.Phone, c.Language, c.Level, c.FirstSeenAt, c.Owner, c.LevelDecidedBy, c.LevelDecidedAt, c.ErasedAt,
        }, Json);
        await WriteArrayAsync(json, "orders", db.Orders.AsNoTracking().Where(o => o.CustomerId == c.Id).OrderBy(o => o.PlacedAt).ThenBy(o => o.Id)
            .Select(o => new { o.ExternalRef, o.PlacedAt, o.Amount, o.Product, o.Category }).AsAsyncEnumerable(), ct);
        await WriteArrayAsync(json, "surveys", db.Surveys.AsNoTracking().Where(s => s.CustomerId == c.Id).OrderBy(s => s.Id)
            .Select(s => new
            {
                Ticket = s.TicketId, s.Language, s.SentAt, s.AnsweredAt, s.OutcomeSatisfaction, s.HandlingSatisfaction, s.Intention, s.AcceptsDecision,
                s.Reliability, s.Responsiveness, s.Assurance, s.Empathy, s.Tangibles, s.Comment,
            }).AsAsyncEnumerable(), ct);
        await WriteArrayAsync(json, "followUpTasks", db.FollowUpTasks.AsNoTracking().Where(f => f.CustomerId == c.Id).OrderBy(f => f.Id)
            .Select(f => new { Ticket = f.TicketId, f.Kind, f.DueAt, f.AssignedTo, f.Outcome, f.SettledAt, f.Note }).AsAsyncEnumerable(), ct);
        await WriteArrayAsync(json, "privacyTrail", db.PrivacyEvents.AsNoTracking().Where(p => p.CustomerId == c.Id).OrderBy(p => p.Id)
            .Select(p => new { p.Action, p.Actor, p.At }).AsAsyncEnumerable(), ct);
        json.WriteEndObject();
        await json.FlushAsync(ct);
    }

    private static async Task WriteTicketAsync(DeskDbContext db, long ticketId, Stream stream, CancellationToken ct)
    {
        var t = await db.Tickets.AsNoTracking().Include(x => x.Conversation).Include(x => x.AuditTrail).AsSplitQuery().SingleAsync(x => x.Id == ticketId, ct);
        await using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WritePropertyName("ticket");
        JsonSerializer.Serialize(json, new
        {
            t.Number, t.State, t.Kind, t.Channel, t.Severity, t.Impact, t.SafetyRisk, t.Subject, t.Description, t.OrderReference, t.Product,
            t.ReceivedAt, t.AcknowledgedAt, t.FirstRespondedAt, t.ResolvedAt, t.ClosedAt, t.RemedyCost, t.Decision, t.CustomerAccepted,
            t.FollowUpNote, t.RejectionReason, t.ReopenCount, t.PersonalDataRemovedAt,
        }, Json);
        json.WritePropertyName("conversation");
        JsonSerializer.Serialize(json, t.Conversation.OrderBy(e => e.At).Select(e => new { e.Kind, e.Author, e.At, e.Body }), Json);
        json.WritePropertyName("auditTrail");
        JsonSerializer.Serialize(json, t.AuditTrail.OrderBy(a => a.At).Select(a => new { a.At, a.Actor, a.FromState, a.Trigger, a.ToState, a.Comment }), Json);
        await json.FlushAsync(ct);
        await WriteArrayAsync(json, "mailsSent", db.OutboundMails.AsNoTracking().Where(m => m.TicketId == ticketId).OrderBy(m => m.Id)
            .Select(m => new { m.Kind, m.To, m.Subject, m.Body, m.State, m.CreatedAt, m.SentAt }).AsAsyncEnumerable(), ct);
        json.WriteEndObject();
        await json.FlushAsync(ct);
    }

    private static async Task WriteArrayAsync<T>(Utf8JsonWriter json, string name, IAsyncEnumerable<T> rows, CancellationToken ct)
    {
        json.WriteStartArray(name);
        await foreach (var row in rows.WithCancellation(ct))
        {
            JsonSerializer.Serialize(json, row, Json);
            if (json.BytesPending > FlushAbove) await json.FlushAsync(ct);
        }
        json.WriteEndArray();
    }

    /// <summary>A file name safe inside a ZIP: no folders, no characters a file system refuses.</summary>
    private static string EntryName(string fileName)
    {
        var name = new string(fileName.Select(ch => ch is '/' or '\\' or ':' or '*' or '?' or '"' or '<' or '>' or '|' || char.IsControl(ch) ? '_' : ch).ToArray());
        return name.Length == 0 ? "file" : name;
    }
}

using System.Text;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Api;

/// <summary>A ticket in the API's list.</summary>
public sealed record ApiTicketRow(string Number, TicketKind Kind, TicketState State, Severity Severity, Channel Channel, string Subject,
    long CustomerId, string? AssignedTo, bool IsRepeatComplaint, DateTime ReceivedAt, DateTime UpdatedAt, int Version);

/// <summary>One page of tickets; <c>Next</c> is the link to the page after it, null on the last.</summary>
public sealed record ApiTicketPage(IReadOnlyList<ApiTicketRow> Items, string? Next);

/// <summary>One item of a ticket's conversation. <c>Public</c> is false for internal notes and the desk's own events.</summary>
public sealed record ApiConversationEntry(DateTime At, ConversationEntryKind Kind, string Author, string Body, bool Public);

/// <summary>A ticket with its whole conversation, oldest first.</summary>
public sealed record ApiTicket(ApiTicketRow Ticket, string Description, string? OrderReference, string? Product,
    IReadOnlyList<ApiConversationEntry> Conversation);

/// <summary>The filters of the list; null means "any".</summary>
public sealed record ApiTicketFilter(TicketState? State, Severity? Severity, Channel? Channel, DateTime? UpdatedSince);

/// <summary>
/// Reads for the tickets API, projected to rows. The list is paged by keyset on the ticket id, ascending: a cursor is
/// the last id seen, so a page never repeats or skips a ticket however many arrive meanwhile (new tickets have higher
/// ids and come on later pages), and a page costs the same however deep it is.
/// </summary>
public static class TicketsApiQueries
{
    public static async Task<(IReadOnlyList<ApiTicketRow> Rows, bool More)> PageAsync(DeskDbContext db, ApiTicketFilter filter, long after, int limit, CancellationToken ct)
    {
        var tickets = db.Tickets.AsNoTracking().Where(t => t.Id > after);
        if (filter.State is { } state) tickets = tickets.Where(t => t.State == state);
        if (filter.Severity is { } severity) tickets = tickets.Where(t => t.Severity == severity);
        if (filter.Channel is { } channel) tickets = tickets.Where(t => t.Channel == channel);
        if (filter.UpdatedSince is { } since) tickets = tickets.Where(t => t.UpdatedAt >= since);
        var rows = await tickets.OrderBy(t => t.Id).Take(limit + 1)
            .Select(t => new { t.Id, t.Kind, t.State, t.Severity, t.Channel, t.Subject, t.CustomerId, t.AssignedTo, t.IsRepeatComplaint, t.ReceivedAt, t.UpdatedAt, t.Version })
            .ToListAsync(ct);
        return ([.. rows.Take(limit).Select(t => new ApiTicketRow(TicketNumber.Format(t.Id), t.Kind, t.State, t.Severity, t.Channel, t.Subject,
            t.CustomerId, t.AssignedTo, t.IsRepeatComplaint, t.ReceivedAt, t.UpdatedAt, t.Version))], rows.Count > limit);
    }

    public static async Task<int?> VersionAsync(DeskDbContext db, long id, CancellationToken ct) =>
        await db.Tickets.AsNoTracking().Where(t => t.Id == id).Select(t => (int?)t.Version).SingleOrDefaultAsync(ct);

    public static async Task<ApiTicket?> TicketAsync(DeskDbContext db, long id, CancellationToken ct)
    {
        var t = await db.Tickets.AsNoTracking().Where(t => t.Id == id)
            .Select(t => new { t.Id, t.Kind, t.State, t.Severity, t.Channel, t.Subject, t.CustomerId, t.AssignedTo, t.IsRepeatComplaint, t.ReceivedAt, t.UpdatedAt, t.Version,
                t.Description, t.OrderReference, t.Product })
            .SingleOrDefaultAsync(ct);
        if (t is null) return null;
        var conversation = await db.ConversationEntries.AsNoTracking().Where(e => e.TicketId == id).OrderBy(e => e.At).ThenBy(e => e.Id)
            .Select(e => new { e.At, e.Kind, e.Author, e.Body }).ToListAsync(ct);
        return new ApiTicket(new ApiTicketRow(TicketNumber.Format(t.Id), t.Kind, t.State, t.Severity, t.Channel, t.Subject, t.CustomerId, t.AssignedTo,
                t.IsRepeatComplaint, t.ReceivedAt, t.UpdatedAt, t.Version), t.Description, t.OrderReference, t.Product,
            [.. conversation.Select(e => new ApiConversationEntry(e.At, e.Kind, e.Author, e.Body,
                e.Kind is ConversationEntryKind.Inbound or ConversationEntryKind.Outbound))]);
    }

    /// <summary>The cursor after a ticket: opaque to callers (they pass back what <c>next</c> holds), the id inside.</summary>
    public static string Cursor(long id) => Convert.ToBase64String(Encoding.ASCII.GetBytes("t" + id)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryReadCursor(string? cursor, out long id)
    {
        id = 0;
        if (string.IsNullOrEmpty(cursor)) return true;
        try
        {
            var padded = cursor.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            var text = Encoding.ASCII.GetString(Convert.FromBase64String(padded));
            return text.StartsWith('t') && long.TryParse(text.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out id);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

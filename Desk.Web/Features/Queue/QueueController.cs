using System.Globalization;
using Desk.Domain.Customers;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Queue;

/// <summary>The agent's queue (read-only for now): newest first, by view, keyset-paged so page 500 costs what page 1 does.</summary>
[Authorize(Policy = DeskPolicies.WorksTickets)]
public sealed class QueueController(DeskDbContext db, TimeProvider clock) : Controller
{
    public const int PageSize = 50;

    private static readonly TicketState[] OpenStates =
        [TicketState.New, TicketState.Acknowledged, TicketState.InProgress, TicketState.AwaitingCustomer, TicketState.Escalated];

    [HttpGet("/")]
    public async Task<IActionResult> Index([FromQuery] string? view, [FromQuery] string? q, [FromQuery] string? after, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var selected = QueueViews.Find(view);
        var tickets = db.Tickets.AsNoTracking();

        if (!string.IsNullOrWhiteSpace(q))
        {
            // A ticket number opens the ticket; an address lists that customer's tickets.
            if (TicketNumber.TryParse(q, out var id) && await tickets.AnyAsync(t => t.Id == id, ct))
                return RedirectToAction("Show", "Tickets", new { number = TicketNumber.Format(id) });
            var email = q.Trim().ToLowerInvariant();
            var customerIds = db.Customers.Where(c => c.Email == email).Select(c => c.Id);
            tickets = tickets.Where(t => customerIds.Contains(t.CustomerId));
        }
        else
        {
            tickets = selected.Key switch
            {
                "open" => tickets.Where(t => OpenStates.Contains(t.State)),
                "all" => tickets,
                _ => tickets.Where(t => t.State == selected.State),
            };
        }

        if (Cursor.TryParse(after, out var cursor))
            tickets = tickets.Where(t => t.ReceivedAt < cursor.ReceivedAt || (t.ReceivedAt == cursor.ReceivedAt && t.Id < cursor.Id));

        var rows = await (
            from t in tickets.OrderByDescending(t => t.ReceivedAt).ThenByDescending(t => t.Id).Take(PageSize + 1)
            join c in db.Customers on t.CustomerId equals c.Id
            orderby t.ReceivedAt descending, t.Id descending
            select new QueueRow(t.Id, t.Subject, c.Name, c.Email, c.Level, t.State, t.Severity, t.Kind, t.Channel, t.AssignedTo,
                t.ReceivedAt, t.ResolutionDueAt, t.ResolvedAt, t.IsRepeatComplaint)).ToListAsync(ct);

        var next = rows.Count > PageSize ? new Cursor(rows[PageSize - 1].ReceivedAt, rows[PageSize - 1].Id).ToString() : null;
        return View(new QueuePage(rows.Take(PageSize).ToList(), selected, q, next, after is not null, now));
    }

    /// <summary>Where a page ends: the last row's receipt time and id, so the next page starts strictly after it.</summary>
    private readonly record struct Cursor(DateTime ReceivedAt, long Id)
    {
        public override string ToString() =>
            string.Create(CultureInfo.InvariantCulture, $"{ReceivedAt.Ticks}-{Id}");

        public static bool TryParse(string? text, out Cursor cursor)
        {
            cursor = default;
            var parts = text?.Split('-');
            if (parts is not [var ticks, var id]
                || !long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var t) || t > DateTime.MaxValue.Ticks
                || !long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var i))
                return false;
            cursor = new Cursor(new DateTime(t, DateTimeKind.Utc), i);
            return true;
        }
    }
}

public sealed record QueueRow(
    long Id, string Subject, string CustomerName, string CustomerEmail, RelationshipLevel CustomerLevel,
    TicketState State, Severity Severity, TicketKind Kind, Channel Channel, string? AssignedTo,
    DateTime ReceivedAt, DateTime ResolutionDueAt, DateTime? ResolvedAt, bool IsRepeatComplaint)
{
    public string Number => TicketNumber.Format(Id);
}

public sealed record QueuePage(IReadOnlyList<QueueRow> Rows, QueueView View, string? Search, string? NextCursor, bool IsLaterPage, DateTime Now);

public sealed record QueueView(string Key, string Label, TicketState? State);

public static class QueueViews
{
    public static IReadOnlyList<QueueView> All { get; } =
    [
        new("open", "Open", null),
        .. Enum.GetValues<TicketState>().Select(s => new QueueView(s.ToString(), Shared.Badges.StateLabel(s), s)),
        new("all", "All", null),
    ];

    public static QueueView Find(string? key) =>
        All.FirstOrDefault(v => string.Equals(v.Key, key, StringComparison.OrdinalIgnoreCase)) ?? All[0];
}

using System.Globalization;
using Desk.Domain.Customers;
using Desk.Domain.Search;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Features.Shared;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Queue;

/// <summary>The agent's queue (read-only for now): newest first, by view, keyset-paged so page 500 costs what page 1 does.</summary>
[Authorize(Policy = DeskPolicies.WorksTickets)]
public sealed class QueueController(DeskDbContext db, TimeProvider clock, QueueCounts counts, QueueChoicesCache choicesCache) : Controller
{
    /// <summary>The filter's lists (agents, top-level causes) change rarely: read at most every 30 s; admins' edits clear them.</summary>

    public const int PageSize = 50;

    private const string IsOpen = Data.Configurations.TicketConfiguration.OpenColumn;

    [HttpGet("/")]
    public async Task<IActionResult> Index(QueueFilter filter, [FromServices] Microsoft.Extensions.Options.IOptions<Desk.Domain.Loyalty.LoyaltyThresholds> thresholds,
        [FromServices] Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> text, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var me = User.Identity!.Name!;
        var view = QueueViews.Find(filter.View);
        var tickets = db.Tickets.AsNoTracking();

        IQueryable<long>? hits = null;
        if (!string.IsNullOrWhiteSpace(filter.Q))
        {
            var q = filter.Q.Trim();
            // A ticket number opens the ticket; an address lists that customer's tickets; other text goes to the
            // full-text index (subject, conversation, customer's name and address), every word must occur.
            if (TicketNumber.TryParse(q, out var id) && await tickets.AnyAsync(t => t.Id == id, ct))
                return RedirectToAction("Show", "Tickets", new { number = TicketNumber.Format(id) });
            if (q.Contains('@', StringComparison.Ordinal) && !q.Contains(' ', StringComparison.Ordinal))
            {
                var email = q.ToLowerInvariant();
                var customerIds = db.Customers.Where(c => c.Email == email).Select(c => c.Id);
                tickets = tickets.Where(t => customerIds.Contains(t.CustomerId));
            }
            else
            {
                hits = db.TicketSearch(q);
            }
        }
        else
        {
            tickets = view.Key switch
            {
                "open" => tickets.Where(t => EF.Property<int>(t, IsOpen) == 1),
                "mine" => tickets.Where(t => t.AssignedTo == me && EF.Property<int>(t, IsOpen) == 1),
                "team" => Teams.TeamQueue.Filter(tickets, db, me),
                "unassigned" => tickets.Where(t => t.AssignedTo == null && EF.Property<int>(t, IsOpen) == 1),
                "overdue" => tickets.Where(t => EF.Property<int>(t, IsOpen) == 1 && t.ResolutionDueAt < now),
                "followups" => tickets.Where(t => t.State == TicketState.FollowUp && t.FollowUpDueAt <= now + QueueViews.FollowUpsDueWithin),
                "all" => tickets,
                _ => tickets.Where(t => t.State == view.State),
            };
        }

        if (filter.Severity is { } severity) tickets = tickets.Where(t => t.Severity == severity);
        if (filter.Kind is { } kind) tickets = tickets.Where(t => t.Kind == kind);
        if (filter.Channel is { } channel) tickets = tickets.Where(t => t.Channel == channel);
        if (filter.Assignee is { Length: > 0 } assignee)
            tickets = assignee == "-" ? tickets.Where(t => t.AssignedTo == null) : tickets.Where(t => t.AssignedTo == assignee);
        if (filter.RootCause is { } cause)
            tickets = tickets.Where(t => t.RootCauseId == cause || db.RootCauses.Any(c => c.Id == t.RootCauseId && c.ParentId == cause));
        // Bulk, views and tags: the tag filter walks the tag's index (TicketTags by name, then ticket).
        if (!string.IsNullOrWhiteSpace(filter.Tag))
        {
            var tag = TagName.TryNormalize(filter.Tag);
            // As IN (…), not EXISTS: the database may start from the tag's tickets (a rare tag) or walk the queue's order and
            // probe (a common one), whichever its statistics say is cheaper.
            var tagged = db.TicketTags.Where(g => g.Name == tag).Select(g => g.TicketId);
            tickets = tickets.Where(t => tagged.Contains(t.Id));
        }
        var soon = now + Badges.DueSoonWithin;
        tickets = filter.Sla switch
        {
            SlaStatus.Overdue => tickets.Where(t => t.ResolvedAt == null && EF.Property<int>(t, IsOpen) == 1 && t.ResolutionDueAt < now),
            SlaStatus.DueSoon => tickets.Where(t => t.ResolvedAt == null && EF.Property<int>(t, IsOpen) == 1 && t.ResolutionDueAt >= now && t.ResolutionDueAt < soon),
            SlaStatus.OnTime => tickets.Where(t => t.ResolvedAt == null && EF.Property<int>(t, IsOpen) == 1 && t.ResolutionDueAt >= soon),
            SlaStatus.Met => tickets.Where(t => t.ResolvedAt != null && t.ResolvedAt <= t.ResolutionDueAt),
            SlaStatus.Missed => tickets.Where(t => t.ResolvedAt != null && t.ResolvedAt > t.ResolutionDueAt),
            _ => tickets,
        };

        // Drill-down from the reports: only when asked for, then counted (the number the report's cell showed).
        long? drillCount = null;
        if (filter.HasDrillDown)
        {
            tickets = await QueueDrillDown.ApplyAsync(tickets, filter, db, now, thresholds.Value, ct);
            drillCount = hits is null ? await tickets.CountAsync(ct) : await hits.Join(tickets, h => h, t => t.Id, (h, t) => h).CountAsync(ct);
        }

        // In the chosen order (newest first unless asked), keyset-paged. Search results come in the index's order (ticket
        // id, newest first), which lets SQLite walk the index backwards and stop at a page instead of sorting every match.
        var order = QueueOrder.For(view, filter);
        var hasCursor = QueueCursor.TryParse(filter.After, out var cursor);
        IQueryable<Ticket> page;
        if (hits is null)
        {
            if (hasCursor) tickets = order.After(tickets, cursor);
            page = order.Apply(tickets).Take(PageSize + 1);
        }
        else
        {
            if (hasCursor) hits = hits.Where(h => h < cursor.Id);
            page = (from h in hits join t in tickets on h equals t.Id orderby h descending select t).Take(PageSize + 1);
        }

        // The reader's own "last seen" row beside each ticket (one key seek per row): unread and customer-replied marks.
        var rows = await (
            from t in page
            join c in db.Customers on t.CustomerId equals c.Id
            from seen in db.Set<Live.TicketView>().Where(v => v.UserName == me && v.TicketId == t.Id).DefaultIfEmpty()
            select new QueueRow(t.Id, t.Subject, c.Name, c.Email, c.Level, t.State, t.Severity, t.Kind, t.Channel, t.AssignedTo,
                t.ReceivedAt, t.ResolutionDueAt, t.ResolvedAt, t.IsRepeatComplaint)
            {
                ContactUnverified = t.ContactUnverified,
                LastActivityAt = t.UpdatedAt, Version = t.Version, CustomerWroteAt = t.CustomerWroteAt,
                SeenVersion = seen == null ? null : seen.SeenVersion, SeenAt = seen == null ? null : seen.SeenAt, Reader = me,
            }).ToListAsync(ct);
        rows = hits is null ? order.Apply(rows) : [.. rows.OrderByDescending(r => r.Id)];

        var next = rows.Count > PageSize
            ? (hits is null ? order.CursorAfter(rows[PageSize - 1]) : new QueueCursor(rows[PageSize - 1].ReceivedAt, rows[PageSize - 1].Id)).ToString()
            : null;
        var choices = await choicesCache.GetAsync(db, ct);
        rows = rows.Take(PageSize).ToList();
        return View(new QueuePage(rows, view, filter, next, now, choices, await counts.ReadAsync(me, now, ct))
        {
            Order = order,
            // Bulk, views and tags: the shown tickets' tags and the agent's saved views, one small query each.
            Tags = await QueueTags.OfAsync(db, rows, ct),
            SavedViews = await SavedViewsController.ListAsync(db, User, ct),
            DrillCount = drillCount,
            DrillChips = filter.HasDrillDown ? await QueueDrillDown.ChipsAsync(filter, view.Key, db, text, ct) : [],
        });
    }

    /// <summary>
    /// The queue view rendered from made-up rows without touching the database: the ceiling the bench sets beside
    /// the real page (same authentication, localization and view). Answers 404 unless Desk:Bench:RenderOnly is true.
    /// </summary>
    [HttpGet("/bench/render-only")]
    public IActionResult RenderOnly([FromServices] IConfiguration configuration)
    {
        if (!configuration.GetValue<bool>("Desk:Bench:RenderOnly")) return NotFound();
        var now = clock.GetUtcNow().UtcDateTime;
        var states = Enum.GetValues<TicketState>();
        var rows = Enumerable.Range(1, PageSize).Select(i => new QueueRow(1_000_000 - i, $"Kettle number {i} leaks from the base",
            $"Customer {i}", $"customer{i}@example.org", (RelationshipLevel)(i % 5), states[i % states.Length], (Severity)(i % 2),
            (TicketKind)(i % 4), (Channel)(i % 4), i % 3 == 0 ? null : "alice", now.AddHours(-i), now.AddHours(24 - i), null, i % 7 == 0)).ToList();
        var choices = new QueueChoices([.. Enumerable.Range(1, 12).Select(i => $"agent{i}")],
            [.. Enumerable.Range(1, 10).Select(i => new RootCauseOption(i * 10, $"Cause {i}", $"原因 {i}"))]);
        var counts = new QueueCountsSnapshot(QueueViews.All.ToDictionary(v => v.Key, v => (long)v.Key.Length * 1000, StringComparer.OrdinalIgnoreCase));
        return View("Index", new QueuePage(rows, QueueViews.All[0], new QueueFilter(), "639000000000000000-1", now, choices, counts));
    }
}

public sealed record QueueRow(
    long Id, string Subject, string CustomerName, string CustomerEmail, RelationshipLevel CustomerLevel,
    TicketState State, Severity Severity, TicketKind Kind, Channel Channel, string? AssignedTo,
    DateTime ReceivedAt, DateTime ResolutionDueAt, DateTime? ResolvedAt, bool IsRepeatComplaint)
{
    /// <summary>A web complaint under a known address that its owner has not confirmed (see <see cref="Ticket.ContactUnverified"/>).</summary>
    public bool ContactUnverified { get; init; }

    // ---- live awareness: the order's keys and the reader's marks ----
    /// <summary>The ticket's last change (<see cref="Ticket.UpdatedAt"/>): the "Last activity" column and sort.</summary>
    public DateTime LastActivityAt { get; init; }
    public int Version { get; init; }
    public DateTime? CustomerWroteAt { get; init; }
    /// <summary>The version and change time the reader last opened the ticket at; null when they never have.</summary>
    public int? SeenVersion { get; init; }
    public DateTime? SeenAt { get; init; }
    /// <summary>Who reads the queue: a ticket of theirs they never opened is news to them.</summary>
    public string? Reader { get; init; }

    /// <summary>News since the reader last opened it; a ticket never opened is news only to its assignee.</summary>
    public bool Unread => SeenVersion is { } seen ? Version > seen : AssignedTo is not null && AssignedTo == Reader;

    /// <summary>The customer wrote after the reader last opened the ticket (or, never opened, after it arrived).</summary>
    public bool CustomerReplied => CustomerWroteAt is { } wrote && wrote > (SeenAt ?? ReceivedAt);

    public string Number => TicketNumber.Format(Id);
}

public sealed record QueuePage(IReadOnlyList<QueueRow> Rows, QueueView View, QueueFilter Filter, string? NextCursor, DateTime Now, QueueChoices Choices, QueueCountsSnapshot Counts)
{
    public bool IsLaterPage => Filter.After is not null;

    /// <summary>The order the rows are in (the view's own unless the reader chose one).</summary>
    public QueueOrder Order { get; init; } = new(QueueSort.Received, SortDirection.Desc);

    /// <summary>The query string that sorts this view by <paramref name="sort"/>: its natural direction first, the other on a second click.</summary>
    public string SortQuery(QueueSort sort)
    {
        var dir = Order.Sort == sort
            ? (Order.Descending ? SortDirection.Asc : SortDirection.Desc)
            : QueueOrder.NaturalDirection(sort);
        return (Filter with { View = View.Key, Sort = sort, Dir = dir }).ToQuery(view: View.Key);
    }

    /// <summary>The shown tickets' tags, by ticket id.</summary>
    public ILookup<long, string> Tags { get; init; } = Array.Empty<string>().ToLookup(_ => 0L);

    /// <summary>How many tickets the drill-down filters leave (null without any): the report cell's number.</summary>
    public long? DrillCount { get; init; }

    /// <summary>The active drill-down filters, readable, each with the link that clears it.</summary>
    public IReadOnlyList<DrillChip> DrillChips { get; init; } = [];

    /// <summary>The reading agent's own saved views.</summary>
    public IReadOnlyList<SavedViewLink> SavedViews { get; init; } = [];
}

public sealed record QueueChoices(IReadOnlyList<string> Agents, IReadOnlyList<RootCauseOption> RootCauses)
{
    /// <summary>The admins' tag list, offered by the tag filter and the bulk bar.</summary>
    public IReadOnlyList<string> CuratedTags { get; init; } = [];
}

public sealed record RootCauseOption(int Id, string Name, string NameZh)
{
    /// <summary>The name in the reader's language.</summary>
    public string Display => System.Globalization.CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal) ? NameZh : Name;
}

public sealed record QueueView(string Key, string Label, TicketState? State);

public static class QueueViews
{
    /// <summary>"Follow-ups due" lists follow-ups due within this, so agents can plan the next two days.</summary>
    public static readonly TimeSpan FollowUpsDueWithin = TimeSpan.FromDays(2);

    /// <summary>The saved views agents live in, then one per state.</summary>
    public static IReadOnlyList<QueueView> Saved { get; } =
    [
        new("mine", "My open", null),
        new("team", "My team's", null),
        new("overdue", "Overdue", null),
        new("unassigned", "Unassigned", null),
        new("followups", "Follow-ups due", null),
    ];

    public static IReadOnlyList<QueueView> All { get; } =
    [
        new("open", "Open", null),
        .. Saved,
        .. Enum.GetValues<TicketState>().Select(s => new QueueView(s.ToString(), Shared.Badges.StateLabel(s), s)),
        new("all", "All", null),
    ];

    public static QueueView Find(string? key) =>
        All.FirstOrDefault(v => string.Equals(v.Key, key, StringComparison.OrdinalIgnoreCase)) ?? All[0];
}

using System.Globalization;
using System.Linq.Expressions;
using Desk.Domain.Tickets;

namespace Desk.Web.Features.Queue;

/// <summary>What the queue can be sorted by: each a time column ending an index, with the id after it.</summary>
public enum QueueSort
{
    /// <summary>When the ticket arrived.</summary>
    Received,

    /// <summary>The ticket's last change of any kind: a message, a note, a step.</summary>
    Activity,

    /// <summary>When the resolution is due (the SLA); ascending, the longest overdue comes first.</summary>
    Due,
}

public enum SortDirection
{
    Asc,
    Desc,
}

/// <summary>
/// The queue's order: a sort key and a direction, the id breaking ties the same way. A page ends with a cursor holding
/// the last row's key and id, and the next page starts strictly after it — keyset paging for every sort, so page 500
/// costs what page 1 does.
/// </summary>
public sealed record QueueOrder(QueueSort Sort, SortDirection Direction)
{
    public bool Descending => Direction == SortDirection.Desc;

    /// <summary>The order asked for, else the view's own: oldest-overdue first in "Overdue", newest first elsewhere.</summary>
    public static QueueOrder For(QueueView view, QueueFilter filter)
    {
        var sort = filter.Sort ?? (view.Key == "overdue" ? QueueSort.Due : QueueSort.Received);
        return new(sort, filter.Dir ?? NaturalDirection(sort));
    }

    /// <summary>The direction a column sorts in on its first click: times that pass newest first, due times soonest first.</summary>
    public static SortDirection NaturalDirection(QueueSort sort) => sort == QueueSort.Due ? SortDirection.Asc : SortDirection.Desc;

    public Expression<Func<Ticket, DateTime>> Key => Sort switch
    {
        QueueSort.Activity => t => t.UpdatedAt,
        QueueSort.Due => t => t.ResolutionDueAt,
        _ => t => t.ReceivedAt,
    };

    /// <summary>The row's sort key, as <see cref="Key"/> reads it from the ticket.</summary>
    public DateTime KeyOf(QueueRow row) => Sort switch
    {
        QueueSort.Activity => row.LastActivityAt,
        QueueSort.Due => row.ResolutionDueAt,
        _ => row.ReceivedAt,
    };

    /// <summary><paramref name="tickets"/> in this order.</summary>
    public IOrderedQueryable<Ticket> Apply(IQueryable<Ticket> tickets) => Descending
        ? tickets.OrderByDescending(Key).ThenByDescending(t => t.Id)
        : tickets.OrderBy(Key).ThenBy(t => t.Id);

    /// <summary>Rows read back (in no particular order) put in this order.</summary>
    public List<QueueRow> Apply(IEnumerable<QueueRow> rows) => Descending
        ? [.. rows.OrderByDescending(KeyOf).ThenByDescending(r => r.Id)]
        : [.. rows.OrderBy(KeyOf).ThenBy(r => r.Id)];

    /// <summary>
    /// The tickets strictly after <paramref name="cursor"/> in this order. The first condition is implied by the second;
    /// it is there as a plain range, which PostgreSQL can start its index walk from (it takes none from the OR).
    /// </summary>
    public IQueryable<Ticket> After(IQueryable<Ticket> tickets, QueueCursor cursor)
    {
        var lambda = Key; // one instance: its body uses its own parameter
        var t = lambda.Parameters[0];
        var key = lambda.Body;
        // Read through a captured object, so EF sends the cursor as parameters and reuses one plan for every page.
        var box = Expression.Constant(new CursorBox(cursor.Key, cursor.Id));
        var at = Expression.Property(box, nameof(CursorBox.Key));
        var id = Expression.Property(box, nameof(CursorBox.Id));
        var ticketId = Expression.Property(t, nameof(Ticket.Id));
        Expression within, beyond, tieBeyond;
        if (Descending)
        {
            within = Expression.LessThanOrEqual(key, at);
            beyond = Expression.LessThan(key, at);
            tieBeyond = Expression.LessThan(ticketId, id);
        }
        else
        {
            within = Expression.GreaterThanOrEqual(key, at);
            beyond = Expression.GreaterThan(key, at);
            tieBeyond = Expression.GreaterThan(ticketId, id);
        }
        var body = Expression.AndAlso(within, Expression.OrElse(beyond, Expression.AndAlso(Expression.Equal(key, at), tieBeyond)));
        return tickets.Where(Expression.Lambda<Func<Ticket, bool>>(body, t));
    }

    /// <summary>The cursor after <paramref name="row"/>, the last of a page.</summary>
    public QueueCursor CursorAfter(QueueRow row) => new(KeyOf(row), row.Id);

    private sealed record CursorBox(DateTime Key, long Id);
}

/// <summary>Where a page ends: the last row's sort key and id, written "ticks-id".</summary>
public readonly record struct QueueCursor(DateTime Key, long Id)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Key.Ticks}-{Id}");

    public static bool TryParse(string? text, out QueueCursor cursor)
    {
        cursor = default;
        var parts = text?.Split('-');
        if (parts is not [var ticks, var id]
            || !long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var t) || t > DateTime.MaxValue.Ticks
            || !long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var i))
            return false;
        cursor = new QueueCursor(new DateTime(t, DateTimeKind.Utc), i);
        return true;
    }
}

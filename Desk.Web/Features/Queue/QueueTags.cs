using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Queue;

/// <summary>The tags of the tickets a queue page shows: one query over the tag table's key for the page's ids.</summary>
public static class QueueTags
{
    public static async Task<ILookup<long, string>> OfAsync(DeskDbContext db, IReadOnlyList<QueueRow> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return Array.Empty<string>().ToLookup(_ => 0L);
        var ids = rows.Select(r => r.Id).ToList();
        var tags = await db.TicketTags.AsNoTracking().Where(t => ids.Contains(t.TicketId))
            .OrderBy(t => t.Name).Select(t => new { t.TicketId, t.Name }).ToListAsync(ct);
        return tags.ToLookup(t => t.TicketId, t => t.Name);
    }
}

using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Tags;

/// <summary>A ticket's tags and what the add box offers.</summary>
public sealed record TagsPanel(long TicketId, IReadOnlyList<string> OnTicket, IReadOnlyList<string> Curated)
{
    /// <summary>With a list, agents choose from it; without one, they tag freely (see <see cref="CuratedTag"/>).</summary>
    public bool FreeTagsAllowed => Curated.Count == 0;
}

/// <summary>Reads for the tag pieces of the ticket page and the admins' list: rows, never the ticket.</summary>
public sealed class TagQueries(DeskDbContext db, Shared.ReferenceCache reference)
{
    public async Task<TagsPanel> PanelAsync(long ticketId, CancellationToken ct = default) => new(
        ticketId,
        await db.TicketTags.AsNoTracking().Where(t => t.TicketId == ticketId).OrderBy(t => t.Name).Select(t => t.Name).ToListAsync(ct),
        reference.Get(db).CuratedTags); // the ticket page's: kept per desk

    /// <summary>The admins' list as it is in the database now.</summary>
    public async Task<IReadOnlyList<string>> CuratedAsync(CancellationToken ct = default) =>
        await db.CuratedTags.AsNoTracking().OrderBy(t => t.Name).Select(t => t.Name).ToListAsync(ct);
}

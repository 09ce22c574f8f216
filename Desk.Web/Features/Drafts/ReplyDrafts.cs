using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Drafts;

/// <summary>Reads, keeps and drops agents' reply drafts. Every desk reads the same rows: nothing is held in memory.</summary>
public sealed class ReplyDrafts(DeskDbContext db, TimeProvider clock)
{
    /// <summary>The agent's draft for the ticket, or null.</summary>
    public Task<string?> ReadAsync(long ticketId, string agent, CancellationToken ct) =>
        db.Set<ReplyDraft>().AsNoTracking().Where(d => d.TicketId == ticketId && d.Agent == agent).Select(d => d.Text).SingleOrDefaultAsync(ct);

    /// <summary>
    /// Keeps <paramref name="text"/> as the agent's draft (an empty one is dropped) and saves at once. Two saves racing (two
    /// tabs) both end with one row: the loser of the insert updates the winner's.
    /// </summary>
    public async Task KeepAsync(long ticketId, string agent, string? text, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var draft = await db.Set<ReplyDraft>().SingleOrDefaultAsync(d => d.TicketId == ticketId && d.Agent == agent, ct);
            var now = clock.GetUtcNow().UtcDateTime;
            if (string.IsNullOrWhiteSpace(text))
            {
                if (draft is null) return;
                db.Remove(draft);
            }
            else if (draft is null) db.Add(new ReplyDraft(ticketId, agent, text, now));
            else draft.Change(text, now);
            try
            {
                await db.SaveChangesAsync(ct);
                return;
            }
            catch (Exception e) when (attempt == 0 && e is DbUpdateException or ConcurrencyConflictException)
            {
                db.ChangeTracker.Clear(); // the other save won: read its row and change that
            }
        }
    }

    /// <summary>Drops the agent's draft in the caller's unit of work (saved with the reply it became).</summary>
    public async Task DropAsync(long ticketId, string agent, CancellationToken ct)
    {
        var draft = await db.Set<ReplyDraft>().SingleOrDefaultAsync(d => d.TicketId == ticketId && d.Agent == agent, ct);
        if (draft is not null) db.Remove(draft);
    }
}

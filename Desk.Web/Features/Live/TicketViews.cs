using Desk.Domain.Tickets;
using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Live;

/// <summary>Writes the "last seen" row (<see cref="TicketView"/>) when an agent opens a ticket.</summary>
public sealed class TicketViews(DeskDbContext db, ILogger<TicketViews> log)
{
    /// <summary>
    /// <paramref name="user"/> sees <paramref name="ticket"/> as loaded. Written only when the version moved since their
    /// last look; a failure is logged and the page is shown anyway (a mark is comfort, not record).
    /// </summary>
    public async Task SawAsync(string user, Ticket ticket, CancellationToken ct)
    {
        try
        {
            var row = await db.Set<TicketView>().SingleOrDefaultAsync(v => v.UserName == user && v.TicketId == ticket.Id, ct);
            if (row is null) db.Add(new TicketView(user, ticket.Id, ticket.Version, ticket.UpdatedAt));
            else if (!row.Saw(ticket.Version, ticket.UpdatedAt)) return;
            await db.SaveChangesAsync(ct);
        }
        catch (Exception e) when (e is DbUpdateException || db.Provider.IsUnavailable(e) || db.Provider.IsConflict(e))
        {
            // Two tabs opening the same ticket at once: the other wrote the row. Busy database: next time.
            log.LogInformation("Did not record that {User} saw ticket {Ticket} ({Error}).", user, ticket.Number, e.Message);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}

using Desk.Domain;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Features.Tags;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Desk.Web.Features.Tickets;

/// <summary>
/// Tags on the ticket page (its views are the ticket page's, so it lives with them): add and remove, each a line in the ticket's audit trail. A tag is no workflow step and
/// conflicts with nothing an agent types, so it does not ask for the version the page showed: a save that meets
/// someone else's change is tried once more on the fresh ticket.
/// </summary>
[Authorize(Policy = DeskPolicies.WorksTickets)]
public sealed class TicketTagsController(DeskDbContext db, TimeProvider clock, TagQueries tags, TicketPageQuery pages, TicketSteps steps,
    IStringLocalizer<SharedResource> text) : Controller
{
    [HttpPost("/tickets/{number}/tags")]
    public Task<IActionResult> Add(string number, string? tag, CancellationToken ct) =>
        ChangeAsync(number, "Tag added", async (ticket, actor, now) =>
        {
            var name = TagName.Normalize(tag);
            var curated = await tags.CuratedAsync(ct);
            if (curated.Count > 0 && !curated.Contains(name) && !ticket.Tags.Any(t => t.Name == name))
                throw new DomainException("\"{0}\" is not on the desk's list of tags: choose one from the list, or ask an admin to add it.", name);
            ticket.AddTag(actor, now, name);
        }, ct);

    [HttpPost("/tickets/{number}/tags/remove")]
    public Task<IActionResult> Remove(string number, string? tag, CancellationToken ct) =>
        ChangeAsync(number, "Tag removed", (ticket, actor, now) =>
        {
            ticket.RemoveTag(actor, now, tag ?? "");
            return Task.CompletedTask;
        }, ct);

    private async Task<IActionResult> ChangeAsync(string number, string done, Func<Ticket, string, DateTime, Task> change, CancellationToken ct)
    {
        if (!TicketNumber.TryParse(number, out var id)) return NotFound();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var ticket = await db.Tickets.Include(t => t.Tags).SingleOrDefaultAsync(t => t.Id == id, ct);
                if (ticket is null) return NotFound();
                await change(ticket, User.Identity!.Name!, clock.GetUtcNow().UtcDateTime);
                await db.SaveChangesAsync(ct);
                return Redirect($"/tickets/{ticket.Number}?done={Uri.EscapeDataString(done)}#tags");
            }
            catch (ConcurrencyConflictException) when (attempt == 1)
            {
                db.ChangeTracker.Clear();
            }
            catch (Exception e) when (e is DomainException or ConcurrencyConflictException)
            {
                db.ChangeTracker.Clear();
                var fresh = await steps.LoadAsync(id, tracked: false, ct);
                if (fresh is null) return NotFound();
                Response.StatusCode = e is DomainException ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status409Conflict;
                return View("Show", await pages.ReadAsync(fresh, User.Identity!.Name!, null, text.Localize(e), ct));
            }
        }
    }
}

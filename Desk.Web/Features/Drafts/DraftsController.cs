using Desk.Domain.Tickets;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Drafts;

/// <summary>The reply box's autosave: every few seconds while the agent types, and when they leave the page.</summary>
[Authorize(Policy = DeskPolicies.WorksTickets)]
public sealed class DraftsController(Data.DeskDbContext db, ReplyDrafts drafts) : Controller
{
    /// <summary>Keeps the posted text as the signed-in agent's draft of the ticket (empty: no draft). 204, or 404 for no such ticket.</summary>
    [HttpPost("/tickets/{number}/draft")]
    public async Task<IActionResult> Keep(string number, [FromForm] string? text, CancellationToken ct)
    {
        if (!TicketNumber.TryParse(number, out var id) || !await db.Tickets.AnyAsync(t => t.Id == id, ct)) return NotFound();
        await drafts.KeepAsync(id, User.Identity!.Name!, text, ct);
        return NoContent();
    }
}

using Desk.Web.Data;
using Desk.Web.Email.Outbound;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Reports.WinBack;

/// <summary>The win-back list's one write: POST /reports/win-back/{id}/mail. Kept apart from the report so it can move on its own.</summary>
[Authorize(Policy = DeskPolicies.ReadsReports)]
public sealed class WinBackMailController : Controller
{
    /// <summary>Sends the win-back mail through the outbox and notes it on the ticket, in one transaction.</summary>
    [HttpPost("/reports/win-back/{ticketId:long}/mail")]
    public async Task<IActionResult> SendWinBack(long ticketId, [FromServices] DeskDbContext db, [FromServices] Outbox outbox,
        [FromServices] TimeProvider clock, CancellationToken ct)
    {
        await using var transaction = await db.BeginWriteAsync(ct);
        var ticket = await db.Tickets.Include(t => t.Conversation).SingleOrDefaultAsync(t => t.Id == ticketId, ct);
        if (ticket is null) return NotFound();
        var customer = await db.Customers.SingleAsync(c => c.Id == ticket.CustomerId, ct);
        await outbox.QueueWinBackAsync(ticket, customer, ct);
        ticket.RecordEvent(clock.GetUtcNow().UtcDateTime, $"Win-back mail sent to {customer.Email} by {User.Identity!.Name}.");
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        outbox.Wake();
        TempData["WinBackSent"] = customer.Email;
        return Redirect("/reports/win-back");
    }
}

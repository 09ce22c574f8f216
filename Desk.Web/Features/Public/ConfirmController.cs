using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Features.Arrival;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Public;

/// <summary>
/// The owner of an address confirms a web complaint filed under it (the link in its acknowledgement, mailed to that
/// address only). Opening the link changes nothing — mail scanners open links too; the button posts. A wrong, used or
/// expired link is a 404.
/// </summary>
[AllowAnonymous]
public sealed class ConfirmController(DeskDbContext db, TimeProvider clock) : Controller
{
    [HttpGet("/confirm/{token}")]
    public async Task<IActionResult> Show(string token, CancellationToken ct)
    {
        var found = await FindAsync(token, ct);
        return found is null ? NotFound() : View("Confirm", new ConfirmPage(token, found.Value.Ticket.Number, found.Value.Ticket.Subject, found.Value.Ticket.ReceivedAt, false));
    }

    [HttpPost("/confirm/{token}")]
    [PublicPostLimit(countsHere: true)]
    public async Task<IActionResult> Confirm(string token, [FromServices] RepeatComplaintPolicy repeats, CancellationToken ct)
    {
        await using var transaction = await db.BeginWriteAsync(ct);
        var found = await FindAsync(token, ct);
        if (found is null) return NotFound();
        var (confirmation, ticket) = found.Value;
        var address = await db.Customers.Where(c => c.Id == ticket.CustomerId).Select(c => c.Email).SingleAsync(ct);
        var previous = await ComplaintArrival.PreviousComplaintAtAsync(db, ticket.CustomerId, ticket, ct);
        ticket.ConfirmContact(address, clock.GetUtcNow().UtcDateTime, repeats, previous);
        db.ContactConfirmations.Remove(confirmation); // used once
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return View("Confirm", new ConfirmPage(token, ticket.Number, ticket.Subject, ticket.ReceivedAt, true));
    }

    private async Task<(ContactConfirmation Confirmation, Ticket Ticket)?> FindAsync(string token, CancellationToken ct)
    {
        if (!StatusLink.LooksLikeToken(token)) return null;
        var hash = StatusLink.Hash(token);
        var confirmation = await db.ContactConfirmations.SingleOrDefaultAsync(c => c.TokenHash == hash, ct);
        if (confirmation is null || !confirmation.IsValidAt(clock.GetUtcNow().UtcDateTime)) return null;
        var ticket = await db.Tickets.Include(t => t.Conversation).SingleOrDefaultAsync(t => t.Id == confirmation.TicketId, ct);
        return ticket is null ? null : (confirmation, ticket);
    }
}

public sealed record ConfirmPage(string Token, string Number, string Subject, DateTime ReceivedAt, bool Confirmed);

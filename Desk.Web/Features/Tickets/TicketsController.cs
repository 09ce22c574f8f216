using Desk.Domain.Customers;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Tickets;

/// <summary>One ticket: its facts, conversation, audit trail, SLA clocks, the customer beside it, and the steps permitted now.</summary>
[Authorize(Policy = DeskPolicies.WorksTickets)]
public sealed class TicketsController(DeskDbContext db, TimeProvider clock) : Controller
{
    [HttpGet("/tickets/{number}")]
    public async Task<IActionResult> Show(string number, CancellationToken ct)
    {
        if (!TicketNumber.TryParse(number, out var id)) return NotFound();
        var ticket = await db.Tickets.AsNoTracking().AsSplitQuery()
            .Include(t => t.Conversation).Include(t => t.AuditTrail)
            .SingleOrDefaultAsync(t => t.Id == id, ct);
        if (ticket is null) return NotFound();
        if (number != ticket.Number) return RedirectToActionPermanent(nameof(Show), new { number = ticket.Number });

        var now = clock.GetUtcNow().UtcDateTime;
        var customer = await db.Customers.AsNoTracking()
            .Where(c => c.Id == ticket.CustomerId)
            .Select(c => new CustomerPanel(c.Id, c.Name, c.Email, c.Phone, c.Language, c.Level, c.FirstSeenAt,
                db.Orders.Count(o => o.CustomerId == c.Id),
                db.Orders.Where(o => o.CustomerId == c.Id).Sum(o => (decimal?)o.Amount) ?? 0m))
            .SingleAsync(ct);
        var orders = await db.Orders.AsNoTracking()
            .Where(o => o.CustomerId == ticket.CustomerId)
            .OrderByDescending(o => o.PlacedAt).Take(10)
            .Select(o => new OrderLine(o.ExternalRef, o.PlacedAt, o.Amount, o.Product, o.Category))
            .ToListAsync(ct);
        var otherTickets = await db.Tickets.AsNoTracking()
            .Where(t => t.CustomerId == ticket.CustomerId && t.Id != ticket.Id)
            .OrderByDescending(t => t.ReceivedAt).Take(10)
            .Select(t => new OtherTicket(t.Id, t.Subject, t.State, t.ReceivedAt))
            .ToListAsync(ct);
        var rootCause = ticket.RootCauseId is { } causeId
            ? await db.RootCauses.AsNoTracking().Where(c => c.Id == causeId)
                .Select(c => new RootCauseName(c.Name, db.RootCauses.Where(p => p.Id == c.ParentId).Select(p => p.Name).FirstOrDefault()))
                .SingleOrDefaultAsync(ct)
            : null;

        return View(new TicketPage(ticket, customer, orders, otherTickets, rootCause, ticket.AvailableSteps(now), now));
    }
}

public sealed record TicketPage(
    Ticket Ticket, CustomerPanel Customer, IReadOnlyList<OrderLine> Orders, IReadOnlyList<OtherTicket> OtherTickets,
    RootCauseName? RootCause, IReadOnlyList<TicketTrigger> AvailableSteps, DateTime Now);

public sealed record CustomerPanel(long Id, string Name, string Email, string? Phone, string Language, RelationshipLevel Level,
    DateTime FirstSeenAt, int OrderCount, decimal LifetimeValue);

public sealed record OrderLine(string ExternalRef, DateTime PlacedAt, decimal Amount, string? Product, string? Category);

public sealed record OtherTicket(long Id, string Subject, TicketState State, DateTime ReceivedAt)
{
    public string Number => TicketNumber.Format(Id);
}

public sealed record RootCauseName(string Name, string? ParentName)
{
    public override string ToString() => ParentName is null ? Name : $"{ParentName} › {Name}";
}

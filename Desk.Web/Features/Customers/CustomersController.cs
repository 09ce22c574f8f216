using Desk.Domain.Customers;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Customers;

/// <summary>A customer as agents see them: who they are, what they bought, every ticket they opened.</summary>
[Authorize(Policy = DeskPolicies.WorksTickets)]
public sealed class CustomersController(DeskDbContext db, LoyaltyScoring loyalty, TimeProvider clock) : Controller
{
    [HttpGet("/customers/{id:long}")]
    public async Task<IActionResult> Show(long id, CancellationToken ct)
    {
        var customer = await db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct);
        if (customer is null) return NotFound();
        var orders = db.Orders.AsNoTracking().Where(o => o.CustomerId == id);
        var page = new CustomerPage(
            customer,
            await orders.CountAsync(ct),
            await orders.SumAsync(o => (decimal?)o.Amount, ct) ?? 0m,
            await orders.MaxAsync(o => (DateTime?)o.PlacedAt, ct),
            await orders.OrderByDescending(o => o.PlacedAt).Take(50)
                .Select(o => new CustomerOrder(o.ExternalRef, o.PlacedAt, o.Amount, o.Product, o.Category)).ToListAsync(ct),
            await db.Tickets.AsNoTracking().Where(t => t.CustomerId == id && !t.ContactUnverified).OrderByDescending(t => t.ReceivedAt).Take(50)
                .Select(t => new CustomerTicket(t.Id, t.Subject, t.State, t.Kind, t.Severity, t.ReceivedAt, t.IsRepeatComplaint)).ToListAsync(ct),
            await loyalty.PanelAsync(customer, ct))
        {
            Users = await db.Users.AsNoTracking().OrderBy(u => u.UserName).Select(u => u.UserName!).ToListAsync(ct),
        };
        return View(page);
    }

    /// <summary>
    /// An agent or manager accepts the suggested level or sets another; the suggestion of this moment is recorded with
    /// the decision, so the page can say whether it was an override. Back to <see cref="LevelDecision.ReturnUrl"/> when
    /// it is a page of the desk, else to the customer.
    /// </summary>
    [HttpPost("/customers/{id:long}/level")]
    public async Task<IActionResult> DecideLevel(long id, LevelDecision form, CancellationToken ct)
    {
        if (!ModelState.IsValid || !Enum.IsDefined(form.Level)) return BadRequest();
        var customer = await db.Customers.SingleOrDefaultAsync(c => c.Id == id, ct);
        if (customer is null) return NotFound();
        var panel = await loyalty.PanelAsync(customer, ct);
        customer.DecideLevel(form.Level, panel.Pending ? null : panel.Assessment.SuggestedLevel, User.Identity?.Name ?? "", clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return LocalRedirect(form.ReturnUrl is { } back && Url.IsLocalUrl(back) ? back : $"/customers/{id}");
    }

    /// <summary>
    /// A manager names the desk user who owns the relationship (partnership customers' account reviews go to them), or
    /// nobody. Only existing users can be named.
    /// </summary>
    [HttpPost("/customers/{id:long}/owner")]
    [Authorize(Policy = DeskPolicies.ReadsReports)]
    public async Task<IActionResult> AssignOwner(long id, [FromForm] string? owner, CancellationToken ct)
    {
        var customer = await db.Customers.SingleOrDefaultAsync(c => c.Id == id, ct);
        if (customer is null) return NotFound();
        if (!string.IsNullOrWhiteSpace(owner) && !await db.Users.AnyAsync(u => u.UserName == owner.Trim(), ct)) return BadRequest();
        customer.AssignOwner(owner);
        await db.SaveChangesAsync(ct);
        return LocalRedirect($"/customers/{id}");
    }
}

/// <summary>The level form: the level chosen and the page to go back to.</summary>
public sealed record LevelDecision(RelationshipLevel Level, string? ReturnUrl);

public sealed record CustomerPage(Customer Customer, int OrderCount, decimal LifetimeValue, DateTime? LastOrderAt,
    IReadOnlyList<CustomerOrder> Orders, IReadOnlyList<CustomerTicket> Tickets, LoyaltyPanel Loyalty)
{
    /// <summary>The desk's users, for the owner form.</summary>
    public IReadOnlyList<string> Users { get; init; } = [];
}

public sealed record CustomerOrder(string ExternalRef, DateTime PlacedAt, decimal Amount, string? Product, string? Category);

public sealed record CustomerTicket(long Id, string Subject, TicketState State, TicketKind Kind, Severity Severity, DateTime ReceivedAt, bool IsRepeat)
{
    public string Number => TicketNumber.Format(Id);
}

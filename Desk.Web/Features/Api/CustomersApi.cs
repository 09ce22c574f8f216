using System.ComponentModel;
using Desk.Domain;
using Desk.Domain.Customers;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Api;

/// <summary>An order of a customer's, as the shop sent it.</summary>
public sealed record ApiCustomerOrder(string ExternalRef, DateTime PlacedAt, decimal Amount, string? Product, string? Category);

/// <summary>A ticket of a customer's.</summary>
public sealed record ApiCustomerTicket(string Number, TicketKind Kind, TicketState State, Severity Severity, string Subject, DateTime ReceivedAt, bool IsRepeatComplaint);

/// <summary>A customer with their orders and tickets, newest first (at most <see cref="CustomersApi.MaxListed"/> of each; the counts are of all).</summary>
public sealed record ApiCustomer(long Id, string Email, string Name, string? Phone, string Language, RelationshipLevel Level, DateTime FirstSeenAt,
    [property: Description("Every order's count and total, however many are listed.")] int OrderCount, decimal LifetimeValue,
    IReadOnlyList<ApiCustomerOrder> Orders,
    [property: Description("Tickets filed under an address the desk knew already are left out until their owner confirms them, as on the customer's page.")] int TicketCount,
    IReadOnlyList<ApiCustomerTicket> Tickets);

/// <summary>
/// <c>GET /api/v1/customers/{id}</c> and <c>GET /api/v1/customers?email=</c> (scope <see cref="ApiScopes.CustomersRead"/>):
/// a customer as agents see them on the customer's page, with the same orders and tickets (unconfirmed ones left out).
/// </summary>
public static class CustomersApi
{
    public const int MaxListed = 100;

    public static IEndpointRouteBuilder MapCustomersApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/customers/{id:long}", async (long id, DeskDbContext db, CancellationToken ct) =>
                await CustomerAsync(db, c => c.Id == id, ct) is { } customer ? Results.Ok(customer) : NoCustomer($"There is no customer {id}."))
            .RequireScope(ApiScopes.CustomersRead)
            .Produces<ApiCustomer>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetCustomer")
            .WithTags("Customers")
            .WithSummary("A customer with their orders and tickets");
        app.MapGet("/api/v1/customers", async ([Description("The customer's e-mail address (any case).")] string? email, DeskDbContext db, CancellationToken ct) =>
            {
                string address;
                try
                {
                    address = Customer.NormalizeEmail(email);
                }
                catch (DomainException e)
                {
                    return ApiIdempotency.Problem(StatusCodes.Status400BadRequest, e.Message, "Send ?email= with the customer's address.");
                }
                return await CustomerAsync(db, c => c.Email == address, ct) is { } customer ? Results.Ok(customer) : NoCustomer($"There is no customer with the address {address}.");
            })
            .RequireScope(ApiScopes.CustomersRead)
            .Produces<ApiCustomer>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("FindCustomerByEmail")
            .WithTags("Customers")
            .WithSummary("The customer with an e-mail address, with their orders and tickets");
        return app;
    }

    private static IResult NoCustomer(string title) => ApiIdempotency.Problem(StatusCodes.Status404NotFound, title, null);

    private static async Task<ApiCustomer?> CustomerAsync(DeskDbContext db, System.Linq.Expressions.Expression<Func<Customer, bool>> which, CancellationToken ct)
    {
        var c = await db.Customers.AsNoTracking().Where(which)
            .Select(c => new { c.Id, c.Email, c.Name, c.Phone, c.Language, c.Level, c.FirstSeenAt }).SingleOrDefaultAsync(ct);
        if (c is null) return null;
        var orders = db.Orders.AsNoTracking().Where(o => o.CustomerId == c.Id);
        var tickets = db.Tickets.AsNoTracking().Where(t => t.CustomerId == c.Id && !t.ContactUnverified);
        var ticketRows = await tickets.OrderByDescending(t => t.ReceivedAt).ThenByDescending(t => t.Id).Take(MaxListed)
            .Select(t => new { t.Id, t.Kind, t.State, t.Severity, t.Subject, t.ReceivedAt, t.IsRepeatComplaint }).ToListAsync(ct);
        return new ApiCustomer(c.Id, c.Email, c.Name, c.Phone, c.Language, c.Level, c.FirstSeenAt,
            await orders.CountAsync(ct), await orders.SumAsync(o => (decimal?)o.Amount, ct) ?? 0m,
            await orders.OrderByDescending(o => o.PlacedAt).ThenByDescending(o => o.Id).Take(MaxListed)
                .Select(o => new ApiCustomerOrder(o.ExternalRef, o.PlacedAt, o.Amount, o.Product, o.Category)).ToListAsync(ct),
            await tickets.CountAsync(ct),
            [.. ticketRows.Select(t => new ApiCustomerTicket(TicketNumber.Format(t.Id), t.Kind, t.State, t.Severity, t.Subject, t.ReceivedAt, t.IsRepeatComplaint))]);
    }
}

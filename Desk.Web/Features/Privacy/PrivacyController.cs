using Desk.Domain;
using Desk.Web.Data;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Desk.Web.Features.Privacy;

/// <summary>A customer's export and erasure, from the customer page: managers and admins only.</summary>
[Authorize(Policy = DeskPolicies.HandlesPersonalData)]
public sealed class PrivacyController(DeskDbContext db, CustomerErasure erasure, TimeProvider clock, IStringLocalizer<SharedResource> text) : Controller
{
    /// <summary>The ZIP of everything held on the customer, streamed as it is read; the export is recorded first.</summary>
    [HttpGet("/customers/{id:long}/export")]
    public async Task<IResult> Export(long id, CancellationToken ct)
    {
        if (!await CustomerExport.ExistsAsync(db, id, ct)) return Results.NotFound();
        var now = clock.GetUtcNow().UtcDateTime;
        await CustomerExport.RecordAsync(db, id, User.Identity?.Name ?? "", now, ct);
        Response.Headers.CacheControl = "no-store";
        return Results.Stream(output => CustomerExport.WriteAsync(db, id, now, output, ct), "application/zip", CustomerExport.FileName(id, now));
    }

    [HttpGet("/customers/{id:long}/erase")]
    public async Task<IActionResult> Confirm(long id, CancellationToken ct) =>
        await PageAsync(id, null, ct) is { } page ? View("Erase", page) : NotFound();

    /// <summary>Erases the customer once the manager has typed their address; a wrong address erases nothing and says so.</summary>
    [HttpPost("/customers/{id:long}/erase")]
    public async Task<IActionResult> Erase(long id, [FromForm] string? address, CancellationToken ct)
    {
        try
        {
            if (await erasure.EraseAsync(id, address, User.Identity?.Name ?? "", ct) is null) return NotFound();
            return LocalRedirect($"/customers/{id}");
        }
        catch (DomainException e)
        {
            db.ChangeTracker.Clear();
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return await PageAsync(id, text.Localize(e), ct) is { } page ? View("Erase", page) : NotFound();
        }
    }

    private async Task<ErasePage?> PageAsync(long id, string? error, CancellationToken ct) =>
        await db.Customers.AsNoTracking().Where(c => c.Id == id)
            .Select(c => new ErasePage(c.Id, c.Name, c.Email, c.ErasedAt,
                db.Tickets.Count(t => t.CustomerId == id), db.Orders.Count(o => o.CustomerId == id), error))
            .SingleOrDefaultAsync(ct);
}

/// <summary>The erase page: who is about to be erased, how much they have, and what went wrong the last time.</summary>
public sealed record ErasePage(long Id, string Name, string Email, DateTime? ErasedAt, int Tickets, int Orders, string? Error);

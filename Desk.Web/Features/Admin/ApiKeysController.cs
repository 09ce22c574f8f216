using Desk.Domain;
using Desk.Web.Data;
using Desk.Web.Features.Api;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Admin;

/// <summary>
/// API keys (admins): create one for a program, see it once, revoke it. A key opens the API and nothing else; the page
/// itself, like every page, takes the admin's cookie and never a key.
/// </summary>
[Authorize(Policy = DeskPolicies.ConfiguresDesk)]
public sealed class ApiKeysController(DeskDbContext db, TimeProvider clock, Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> text) : Controller
{
    private const string Page = "/admin/api-keys";

    [HttpGet(Page)]
    public async Task<IActionResult> Index(CancellationToken ct) => View("ApiKeys", await PageAsync(null, null, null, [], ct));

    [HttpPost(Page)]
    public async Task<IActionResult> Create(string? name, string[]? scopes, CancellationToken ct)
    {
        try
        {
            var (key, secret) = ApiKey.Create(name, scopes, User.Identity?.Name ?? "", clock.GetUtcNow().UtcDateTime);
            db.ApiKeys.Add(key);
            await db.SaveChangesAsync(ct);
            // Shown in this answer only: not stored, not put in a redirect, not cached.
            Response.Headers.CacheControl = "no-store";
            return View("ApiKeys", await PageAsync(new NewApiKey(key.Name, secret, key.ScopeList), null, null, [], ct));
        }
        catch (DomainException e)
        {
            db.ChangeTracker.Clear();
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("ApiKeys", await PageAsync(null, text.Localize(e), name, scopes ?? [], ct));
        }
    }

    [HttpPost(Page + "/{id:long}/revoke")]
    public async Task<IActionResult> Revoke(long id, CancellationToken ct)
    {
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == id, ct);
        if (key is null) return NotFound();
        key.Revoke(User.Identity?.Name ?? "", clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return Redirect(Page);
    }

    private async Task<ApiKeysPage> PageAsync(NewApiKey? created, string? error, string? name, IReadOnlyList<string> chosen, CancellationToken ct) =>
        new(await db.ApiKeys.AsNoTracking().OrderBy(k => k.RevokedAt != null).ThenByDescending(k => k.CreatedAt).ToListAsync(ct),
            created, error, name, chosen);
}

/// <summary>A key just created: the only time its secret is shown.</summary>
public sealed record NewApiKey(string Name, string Secret, IReadOnlyList<string> Scopes);

/// <summary>The page; <paramref name="Chosen"/> keeps the admin's ticks when a new key was refused.</summary>
public sealed record ApiKeysPage(IReadOnlyList<ApiKey> Keys, NewApiKey? Created, string? Error, string? Name, IReadOnlyList<string> Chosen);

using Desk.Domain;
using Desk.Web.Data;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Desk.Web.Features.Webhooks;

/// <summary>
/// Webhooks (admins): register a URL and the events it wants, see its secret once, read its delivery log, turn it off
/// and on, remove it. A hook the desk turned off for failing says so at the top of the page.
/// </summary>
[Authorize(Policy = DeskPolicies.ConfiguresDesk)]
public sealed class WebhooksController(DeskDbContext db, WebhookQueries queries, IDataProtectionProvider protection, TimeProvider clock,
    IOptions<WebhookOptions> options, IStringLocalizer<SharedResource> text) : Controller
{
    private const string Page = "/admin/webhooks";

    [HttpGet(Page)]
    public async Task<IActionResult> Index(CancellationToken ct) => View("Webhooks", await PageAsync(null, null, null, [], ct));

    [HttpPost(Page)]
    public async Task<IActionResult> Create(string? url, WebhookEvents[]? events, CancellationToken ct)
    {
        var chosen = events ?? [];
        try
        {
            var (hook, secret) = Webhook.Create(url, chosen.Aggregate(WebhookEvents.None, (all, e) => all | e), User.Identity?.Name ?? "",
                clock.GetUtcNow().UtcDateTime, protection.CreateProtector(Webhook.SecretPurpose));
            db.Set<Webhook>().Add(hook);
            await db.SaveChangesAsync(ct);
            // Shown in this answer only: not put in a redirect, not cached.
            Response.Headers.CacheControl = "no-store";
            return View("Webhooks", await PageAsync(new NewWebhook(hook.Id, hook.Url, secret), null, null, [], ct));
        }
        catch (DomainException e)
        {
            db.ChangeTracker.Clear();
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Webhooks", await PageAsync(null, text.Localize(e), url, chosen, ct));
        }
    }

    [HttpPost(Page + "/{id:long}/disable")]
    public Task<IActionResult> Disable(long id, CancellationToken ct) => ChangeAsync(id, h => h.Disable(clock.GetUtcNow().UtcDateTime), ct);

    [HttpPost(Page + "/{id:long}/enable")]
    public Task<IActionResult> Enable(long id, CancellationToken ct) => ChangeAsync(id, h => h.Enable(), ct);

    [HttpPost(Page + "/{id:long}/remove")]
    public Task<IActionResult> Remove(long id, CancellationToken ct) => ChangeAsync(id, h => db.Set<Webhook>().Remove(h), ct);

    private async Task<IActionResult> ChangeAsync(long id, Action<Webhook> change, CancellationToken ct)
    {
        var hook = await db.Set<Webhook>().SingleOrDefaultAsync(h => h.Id == id, ct);
        if (hook is null) return NotFound();
        change(hook);
        await db.SaveChangesAsync(ct);
        return Redirect(Page);
    }

    private async Task<WebhooksPage> PageAsync(NewWebhook? created, string? error, string? url, IReadOnlyList<WebhookEvents> chosen, CancellationToken ct) =>
        new(await queries.HooksAsync(ct), created, error, url, chosen, options.Value.DisableAfterDays);
}

/// <summary>A hook just created: the only time its secret is shown.</summary>
public sealed record NewWebhook(long Id, string Url, string Secret);

/// <summary>The page; <paramref name="Url"/> and <paramref name="Chosen"/> keep the admin's input when a new hook was refused.</summary>
public sealed record WebhooksPage(IReadOnlyList<WebhookRow> Hooks, NewWebhook? Created, string? Error, string? Url, IReadOnlyList<WebhookEvents> Chosen,
    double DisableAfterDays);

using System.Globalization;
using Desk.Web.Features.Shared;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Desk.Web.Features.Account;

/// <summary>A person's own settings: for now, the time zone their pages show times in.</summary>
[Authorize(Policy = DeskPolicies.WorksTickets)]
public sealed class PreferencesController(UserManager<DeskUser> users, SignInManager<DeskUser> signIn, IOptions<DeskTimeZoneOptions> desk,
    IStringLocalizer<SharedResource> text) : Controller
{
    [HttpGet("/account/preferences")]
    public async Task<IActionResult> Show(bool saved = false)
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        return View("Preferences", Page(user.TimeZone, saved ? text["Saved. Times are now shown in {0}.", AgentTime.ZoneName].Value : null, null));
    }

    [HttpPost("/account/preferences")]
    public async Task<IActionResult> Save(PreferencesForm form)
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        var chosen = string.IsNullOrWhiteSpace(form.TimeZone) ? null : AgentTime.Find(form.TimeZone);
        if (!string.IsNullOrWhiteSpace(form.TimeZone) && chosen is null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            ModelState.AddModelError(nameof(PreferencesForm.TimeZone), text["This desk does not know the time zone {0}. Choose one from the list.", form.TimeZone]);
            return View("Preferences", Page(form.TimeZone, null, form.TimeZone));
        }
        user.TimeZone = chosen?.Id;
        var result = await users.UpdateAsync(user);
        if (!result.Succeeded) throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        await signIn.RefreshSignInAsync(user); // the new zone into this browser's cookie, at once
        return Redirect("/account/preferences?saved=true");
    }

    private PreferencesPage Page(string? chosen, string? done, string? unknown)
    {
        var now = DateTime.UtcNow;
        var zones = TimeZoneInfo.GetSystemTimeZones()
            .Where(z => z.Id.Contains('/', StringComparison.Ordinal) || z.Id == "UTC")
            .Select(z => new ZoneChoice(z.Id, $"(UTC{Offset(z.GetUtcOffset(now))}) {z.Id}", z.GetUtcOffset(now)))
            .OrderBy(z => z.Offset).ThenBy(z => z.Id, StringComparer.Ordinal)
            .ToList();
        return new PreferencesPage(chosen, desk.Value.TimeZone, zones, done) { Unknown = unknown };
    }

    private static string Offset(TimeSpan offset) =>
        (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);
}

public sealed record PreferencesForm
{
    public string? TimeZone { get; init; }
}

public sealed record PreferencesPage(string? TimeZone, string DeskTimeZone, IReadOnlyList<ZoneChoice> Zones, string? Done)
{
    /// <summary>A zone sent that the desk does not know, shown back with its message.</summary>
    public string? Unknown { get; init; }
}

public sealed record ZoneChoice(string Id, string Label, TimeSpan Offset);

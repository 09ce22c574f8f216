using System.Globalization;
using Desk.Domain;
using Desk.Domain.Recovery;
using Desk.Web.Data;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Admin;

/// <summary>
/// How the recovery reports measure a return (admins): the repurchase window and the first order's amount that makes a
/// silent customer's potential loss major. Outcomes are computed when a report runs, so a change re-measures every
/// complaint, past ones included.
/// </summary>
[Authorize(Policy = DeskPolicies.ConfiguresDesk)]
public sealed class RecoverySettingsController(DeskDbContext db, Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> text) : Controller
{
    private const string Page = "/admin/recovery";

    [HttpGet(Page)]
    public async Task<IActionResult> Index(CancellationToken ct) =>
        View("RecoverySettings", RecoverySettingsPage.Of(await CurrentAsync(ct), null, false));

    [HttpPost(Page)]
    public async Task<IActionResult> Save(RecoverySettingsForm form, CancellationToken ct)
    {
        var settings = await db.RecoverySettings.SingleOrDefaultAsync(ct);
        try
        {
            var days = int.TryParse(form.RepurchaseWindowDays, NumberStyles.Integer, CultureInfo.InvariantCulture, out var d) ? d
                : throw new DomainException("\"{0}\" is not a whole number of days.", form.RepurchaseWindowDays ?? "");
            var amount = decimal.TryParse(form.MajorLossAmount, NumberStyles.Number, CultureInfo.InvariantCulture, out var a) ? a
                : throw new DomainException("\"{0}\" is not an amount Desk can read.", form.MajorLossAmount ?? "");
            if (settings is null) db.RecoverySettings.Add(settings = new RecoverySettings(days, amount));
            else settings.Change(days, amount);
            await db.SaveChangesAsync(ct);
            return View("RecoverySettings", RecoverySettingsPage.Of(settings, null, true));
        }
        catch (DomainException e)
        {
            db.ChangeTracker.Clear();
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("RecoverySettings", new RecoverySettingsPage(form, text.Localize(e), false));
        }
    }

    private async Task<RecoverySettings> CurrentAsync(CancellationToken ct) =>
        await db.RecoverySettings.AsNoTracking().SingleOrDefaultAsync(ct) ?? RecoverySettings.Default;
}

/// <summary>The form as typed (strings, so a bad value comes back to the admin as they wrote it).</summary>
public sealed class RecoverySettingsForm
{
    public string? RepurchaseWindowDays { get; set; }
    public string? MajorLossAmount { get; set; }
}

public sealed record RecoverySettingsPage(RecoverySettingsForm Form, string? Error, bool Saved)
{
    public static RecoverySettingsPage Of(RecoverySettings settings, string? error, bool saved) => new(new RecoverySettingsForm
    {
        RepurchaseWindowDays = settings.RepurchaseWindowDays.ToString(CultureInfo.InvariantCulture),
        MajorLossAmount = settings.MajorLossAmount.ToString("0.##", CultureInfo.InvariantCulture),
    }, error, saved);
}

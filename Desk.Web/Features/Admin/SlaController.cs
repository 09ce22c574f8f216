using System.Globalization;
using Desk.Domain;
using Desk.Domain.Customers;
using Desk.Domain.Sla;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Admin;

/// <summary>
/// SLA targets by severity and relationship level (admins). Changes apply to tickets received from now on;
/// open tickets keep the due times they were given.
/// </summary>
[Authorize(Policy = DeskPolicies.ConfiguresDesk)]
public sealed class SlaController(DeskDbContext db, Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> text) : Controller
{
    [HttpGet("/admin/sla")]
    public async Task<IActionResult> Index(CancellationToken ct) =>
        View("Sla", new SlaPage(await db.SlaTargets.AsNoTracking().ToListAsync(ct), null, false));

    /// <summary>All targets in one form: fields "FirstResponse[Major.Basic]" and "Resolution[Major.Basic]", in hours.</summary>
    [HttpPost("/admin/sla")]
    public async Task<IActionResult> Save(IFormCollection form, CancellationToken ct)
    {
        var targets = await db.SlaTargets.ToListAsync(ct);
        try
        {
            foreach (var target in targets)
            {
                var key = $"{target.Severity}.{target.Level}";
                target.Change(Hours(form, $"FirstResponse[{key}]", target), Hours(form, $"Resolution[{key}]", target));
            }
            await db.SaveChangesAsync(ct);
            return View("Sla", new SlaPage(targets, null, true));
        }
        catch (DomainException e)
        {
            db.ChangeTracker.Clear();
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Sla", new SlaPage(await db.SlaTargets.AsNoTracking().ToListAsync(ct), text.Localize(e), false));
        }
    }

    private static TimeSpan Hours(IFormCollection form, string field, SlaTarget target) =>
        double.TryParse(form[field], NumberStyles.Float, CultureInfo.InvariantCulture, out var hours) && hours > 0 && hours <= 24 * 365
            ? TimeSpan.FromHours(hours)
            : throw new DomainException("{0} / {1}: \"{2}\" is not a number of hours between 0 and a year.", target.Severity, target.Level, form[field].ToString());
}

public sealed record SlaPage(IReadOnlyList<SlaTarget> Targets, string? Error, bool Saved)
{
    public SlaTarget For(Severity severity, RelationshipLevel level) => Targets.Single(t => t.Severity == severity && t.Level == level);

    public static string Hours(TimeSpan span) => span.TotalHours.ToString("0.##", CultureInfo.InvariantCulture);
}

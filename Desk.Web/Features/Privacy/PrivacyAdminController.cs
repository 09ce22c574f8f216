using Desk.Web.Data;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Desk.Web.Features.Privacy;

/// <summary>Admin → Privacy: the retention settings, when the job last ran and what it removed, and the privacy trail.</summary>
[Authorize(Policy = DeskPolicies.ConfiguresDesk)]
public sealed class PrivacyAdminController(DeskDbContext db, IOptions<PrivacyOptions> options) : Controller
{
    public const string Page = "/admin/privacy";

    [HttpGet(Page)]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var runs = db.PrivacyEvents.AsNoTracking().Where(p => p.Action == PrivacyAction.Retention);
        var lastRun = await runs.OrderByDescending(p => p.Id).FirstOrDefaultAsync(ct);
        var removals = await runs.Where(p => p.Tickets > 0 || p.RawMails > 0 || p.Attachments > 0).OrderByDescending(p => p.Id).Take(10).ToListAsync(ct);
        var trail = await db.PrivacyEvents.AsNoTracking().Where(p => p.Action != PrivacyAction.Retention).OrderByDescending(p => p.Id).Take(50).ToListAsync(ct);
        return View("PrivacyAdmin", new PrivacyAdminPage(options.Value, lastRun, removals, trail));
    }
}

public sealed record PrivacyAdminPage(PrivacyOptions Settings, PrivacyEvent? LastRun, IReadOnlyList<PrivacyEvent> Removals, IReadOnlyList<PrivacyEvent> Trail);

using Desk.Domain;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Features.Teams;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Desk.Web.Features.Notifications;

/// <summary>What a near or missed SLA target does (admins): the warning's lead time and whom a miss escalates to.</summary>
[Authorize(Policy = DeskPolicies.ConfiguresDesk)]
public sealed class SlaEscalationController(DeskDbContext db, EscalationTargets targets, IStringLocalizer<SharedResource> text) : Controller
{
    private const string Page = "/admin/sla/escalation";

    [HttpGet(Page)]
    public async Task<IActionResult> Index(CancellationToken ct) => View("SlaEscalation", await PageAsync(null, false, ct));

    [HttpPost(Page)]
    public async Task<IActionResult> Save(int warnMinutesBefore, string? escalateTo, CancellationToken ct)
    {
        try
        {
            var target = EscalationTargets.Check(db, escalateTo);
            var settings = await db.Set<SlaWatchSettings>().SingleOrDefaultAsync(ct);
            if (settings is null) db.Set<SlaWatchSettings>().Add(settings = SlaWatchSettings.Default);
            settings.Change(warnMinutesBefore, target);
            await db.SaveChangesAsync(ct);
            return View("SlaEscalation", await PageAsync(null, true, ct));
        }
        catch (DomainException e)
        {
            db.ChangeTracker.Clear();
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("SlaEscalation", await PageAsync(text.Localize(e), false, ct));
        }
    }

    private async Task<SlaEscalationPage> PageAsync(string? error, bool saved, CancellationToken ct)
    {
        var settings = await db.Set<SlaWatchSettings>().AsNoTracking().SingleOrDefaultAsync(ct) ?? SlaWatchSettings.Default;
        var agents = await (from u in db.Users
                            join ur in db.UserRoles on u.Id equals ur.UserId
                            join r in db.Roles on ur.RoleId equals r.Id
                            where r.Name == DeskRoles.Agent || r.Name == DeskRoles.Manager || r.Name == DeskRoles.Admin
                            select u.UserName!).Distinct().OrderBy(n => n).ToListAsync(ct);
        return new SlaEscalationPage(settings.WarnMinutesBefore, settings.EscalateTo, await targets.TeamNamesAsync(ct), agents, error, saved);
    }
}

public sealed record SlaEscalationPage(int WarnMinutesBefore, string? EscalateTo, IReadOnlyList<string> Teams, IReadOnlyList<string> Agents,
    string? Error, bool Saved);

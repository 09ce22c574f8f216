using Desk.Domain;
using Desk.Domain.Customers;
using Desk.Domain.FollowUps;
using Desk.Web.Data;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Desk.Web.Features.Admin;

/// <summary>
/// The follow-up plan per relationship level (admins): the window, when the survey goes out, and which tasks are made.
/// A change applies to complaints resolved from then on; plans already started keep their tasks.
/// </summary>
[Authorize(Policy = DeskPolicies.ConfiguresDesk)]
public sealed class FollowUpPlansController(DeskDbContext db, IStringLocalizer<SharedResource> text) : Controller
{
    private const string Page = "/admin/follow-ups";

    [HttpGet(Page)]
    public async Task<IActionResult> Index(RelationshipLevel? saved, CancellationToken ct) =>
        View("FollowUpPlans", new FollowUpPlansPage(await PlansAsync(ct), saved, null, null));

    [HttpPost(Page + "/{level}")]
    public async Task<IActionResult> Save(RelationshipLevel level, FollowUpPlanForm form, CancellationToken ct)
    {
        if (!Enum.IsDefined(level)) return NotFound();
        try
        {
            if (!ModelState.IsValid || form.WindowDays is null || form.SurveyAfterHours is null)
                throw new DomainException("Enter whole numbers: days for the window and the tasks (empty for no task), hours for the survey.");
            var plan = await db.FollowUpPlans.SingleOrDefaultAsync(p => p.Level == level, ct);
            if (plan is null) db.FollowUpPlans.Add(plan = FollowUpPlan.Default(level));
            plan.Change(form.WindowDays.Value, form.SurveyAfterHours.Value, form.InviteCallBack, form.CheckInAfterDays, form.LaterCheckInAfterDays,
                form.AccountReviewAfterDays);
            await db.SaveChangesAsync(ct);
            return Redirect($"{Page}?saved={level}");
        }
        catch (DomainException e)
        {
            db.ChangeTracker.Clear();
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("FollowUpPlans", new FollowUpPlansPage(await PlansAsync(ct), null, level, text.Localize(e)));
        }
    }

    private async Task<IReadOnlyList<FollowUpPlan>> PlansAsync(CancellationToken ct)
    {
        var stored = await db.FollowUpPlans.AsNoTracking().ToListAsync(ct);
        return [.. Enum.GetValues<RelationshipLevel>().Select(l => stored.FirstOrDefault(p => p.Level == l) ?? FollowUpPlan.Default(l))];
    }
}

public sealed class FollowUpPlanForm
{
    public int? WindowDays { get; set; }
    public int? SurveyAfterHours { get; set; }
    public bool InviteCallBack { get; set; }
    public int? CheckInAfterDays { get; set; }
    public int? LaterCheckInAfterDays { get; set; }
    public int? AccountReviewAfterDays { get; set; }
}

public sealed record FollowUpPlansPage(IReadOnlyList<FollowUpPlan> Plans, RelationshipLevel? Saved, RelationshipLevel? ErrorLevel, string? Error);

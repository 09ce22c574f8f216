using System.Globalization;
using Desk.Web.Data;
using Desk.Web.Features.Dashboard;
using Desk.Web.Features.Shared;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Desk.Web.Features.Digest;

/// <summary>
/// A manager's (or admin's) own digest subscription (<c>/account/digest</c>): weekly on a chosen day, monthly, or none, and
/// its language. Everyone sees and changes only their own. Agents do not read reports, so they get no digest either.
/// </summary>
[Authorize(Policy = DeskPolicies.ReadsReports)]
public sealed class DigestController(DeskDbContext db, TimeProvider clock, IOptions<DigestOptions> options, IStringLocalizer<SharedResource> text) : Controller
{
    private string Me => User.Identity!.Name!;

    [HttpGet("/account/digest")]
    public async Task<IActionResult> Show(bool saved, CancellationToken ct) => View("Index", await PageAsync(saved, ct));

    [HttpPost("/account/digest")]
    public async Task<IActionResult> Save(DigestForm form, CancellationToken ct)
    {
        var none = form.Frequency == DigestForm.None;
        DigestFrequency frequency = default;
        DayOfWeek day = DayOfWeek.Monday;
        var refused = !none && !Enum.TryParse(form.Frequency, ignoreCase: false, out frequency) || !Enum.IsDefined(frequency) ? text["Choose weekly, monthly or no digest."].Value
            : form.Day is { Length: > 0 } && (!Enum.TryParse(form.Day, ignoreCase: false, out day) || !Enum.IsDefined(day)) ? text["Choose a day of the week."].Value
            : form.Language is not ("en" or "zh") ? text["Choose English or Chinese."].Value
            : null;
        if (refused is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("Index", await PageAsync(false, ct) with { Refused = refused });
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var subscription = await db.Set<DigestSubscription>().SingleOrDefaultAsync(s => s.UserName == Me, ct);
        if (none)
        {
            if (subscription is not null) db.Remove(subscription);
        }
        else if (subscription is null) db.Add(new DigestSubscription(Me, frequency, day, form.Language!, now));
        else subscription.Change(frequency, day, form.Language!, now);
        await db.SaveChangesAsync(ct);
        return Redirect("/account/digest?saved=true");
    }

    private async Task<DigestPage> PageAsync(bool saved, CancellationToken ct)
    {
        var subscription = await db.Set<DigestSubscription>().AsNoTracking().SingleOrDefaultAsync(s => s.UserName == Me, ct);
        var last = await db.Set<DigestDelivery>().AsNoTracking().Where(d => d.UserName == Me).OrderByDescending(d => d.QueuedAt)
            .Select(d => (DateTime?)d.QueuedAt).FirstOrDefaultAsync(ct);
        DateTime? next = null;
        if (subscription is not null)
        {
            // The first scheduled time the scheduler will take: not before the subscription, and a missed one stays due for the catch-up window.
            var now = clock.GetUtcNow().UtcDateTime;
            var (latest, day) = DigestSchedule.Latest(subscription.Frequency, subscription.Day, AgentTime.Zone, options.Value.SendHour, now);
            var period = DigestSchedule.Period(subscription.Frequency, day);
            var claimed = await db.Set<DigestDelivery>().AnyAsync(d => d.UserName == Me && d.Period == period, ct);
            next = latest >= subscription.Since && now - latest < TimeSpan.FromHours(options.Value.CatchUpHours) && !claimed
                ? latest
                : DigestSchedule.Next(subscription.Frequency, subscription.Day, AgentTime.Zone, options.Value.SendHour, now).At;
        }
        var language = subscription?.Language ?? (CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal) ? "zh" : "en");
        return new DigestPage(subscription?.Frequency.ToString() ?? DigestForm.None, subscription?.Day ?? DayOfWeek.Monday, language,
            next, last, options.Value.SendHour, saved);
    }
}

/// <summary>The digest as it would be mailed to the reader now, in their chosen language (or the page's): the same HTML the mail carries.</summary>
[Authorize(Policy = DeskPolicies.ReadsReports)]
[ServiceFilter(typeof(Reports.CatchingUpFilter))]
public sealed class DigestPreviewController(DashboardQuery dashboard, DigestMail words, DeskDbContext db) : Controller
{
    [HttpGet("/account/digest/preview")]
    public async Task<IActionResult> Preview(string? language, CancellationToken ct)
    {
        var me = User.Identity!.Name!;
        var subscription = await db.Set<DigestSubscription>().AsNoTracking().SingleOrDefaultAsync(s => s.UserName == me, ct);
        var chosen = language is "en" or "zh" ? language
            : subscription?.Language ?? (CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal) ? "zh" : "en");
        var message = words.Compose(await dashboard.ReadAsync(me, ct), subscription?.Frequency ?? DigestFrequency.Weekly, chosen);
        return Content(message.Html, "text/html; charset=utf-8");
    }
}

/// <summary>The form: <see cref="Frequency"/> "None", "Weekly" or "Monthly"; <see cref="Day"/> a weekday's English name; <see cref="Language"/> en or zh.</summary>
public sealed record DigestForm
{
    public const string None = "None";

    public string? Frequency { get; init; }
    public string? Day { get; init; }
    public string? Language { get; init; }
}

/// <summary>The subscription page: the current choice, when the next digest goes out (UTC; shown in the reader's zone) and when the last did.</summary>
public sealed record DigestPage(string Frequency, DayOfWeek Day, string Language, DateTime? Next, DateTime? LastSent, int SendHour, bool Saved)
{
    /// <summary>Why the form was refused, shown above it; nothing was changed.</summary>
    public string? Refused { get; init; }

    /// <summary>The week as the reader's culture orders it (Monday first in Chinese, Sunday first in American English).</summary>
    public static IEnumerable<DayOfWeek> Week
    {
        get
        {
            var first = CultureInfo.CurrentCulture.DateTimeFormat.FirstDayOfWeek;
            return Enumerable.Range(0, 7).Select(i => (DayOfWeek)(((int)first + i) % 7));
        }
    }
}

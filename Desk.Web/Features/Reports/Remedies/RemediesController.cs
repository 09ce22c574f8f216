using Desk.Web.Features.Shared;
using Desk.Web.Features.Reports.Downloads;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Desk.Web.Features.Reports.Remedies;

/// <summary>Which remedies keep customers (/reports/remedies): repurchase after each remedy kind, and what keeping a customer cost.</summary>
[Authorize(Policy = DeskPolicies.ReadsReports)]
[ServiceFilter(typeof(CatchingUpFilter))]
[ReportInputFilter]
public sealed class RemediesController(RemedyEffectivenessQuery remedies, TimeProvider clock, IStringLocalizer<SharedResource> text) : Controller
{
    [HttpGet("/reports/remedies")]
    public async Task<IActionResult> Show([FromQuery] ReportFilterForm form, CancellationToken ct)
    {
        var result = await remedies.RunAsync(form.ToFilter(), ct);
        var periods = ComparedPeriods.Of(form.From, form.To, DatePresets.Today(clock, AgentTime.Zone));
        var (now, before) = await ReportComparisons.RunAsync(periods, result, (from, to) => remedies.RunAsync(form.Within(from, to).ToFilter(), ct));
        return View("Remedies", new RemediesPage(form, result,
            new ReportSummary(RemedyReading.Reading(result, text), RemedyReading.HowComputed(result, text), periods, RemedyReading.Figures(now, before, text))));
    }

    [HttpGet("/reports/remedies.{format:" + ReportFile.Formats + "}")]
    public async Task<IActionResult> Download([FromQuery] ReportFilterForm form, string format, CancellationToken ct)
    {
        var result = await remedies.RunAsync(form.ToFilter(), ct);
        return ReportFile.Result(Table(result, new(text)), ReportFile.Parse(format), $"remedies-{result.Now:yyyy-MM-dd}", text);
    }

    /// <summary>One line per remedy kind given; cost per kept customer empty when nobody came back.</summary>
    public static ReportTable Table(RemedyEffectiveness result, ReportWords? words = null)
    {
        var t = words ?? ReportWords.Untranslated;
        return ReportTable.Of<RemedyRow>("Which remedies keep customers")
            .Count("remedy_id", "Remedy number", r => r.RemedyKindId)
            .Text("remedy", "Remedy", r => t.Name(r.Name, r.NameZh))
            .Count("resolved", "Resolved", r => r.Resolved)
            .Count("bought_again", "Bought again", r => r.Repurchased.Successes)
            .Count("not_bought_again", "Did not buy again", r => r.NotRepurchased)
            .Count("pending", "Pending", r => r.Pending)
            .Percent("rate", "Bought again (share)", r => r.Repurchased.Rate)
            .Percent("ci95_low", "95 % interval, from", r => r.Repurchased.Interval95?.Low)
            .Percent("ci95_high", "95 % interval, to", r => r.Repurchased.Interval95?.High)
            .Money("remedy_cost", "Remedy cost", r => r.RemedyCost)
            .Money("cost_per_kept_customer", "Cost per kept customer", r => r.CostPerKeptCustomer)
            .Build(result.Rows);
    }
}

public sealed record RemediesPage(ReportFilterForm Form, RemedyEffectiveness Result, ReportSummary Summary);

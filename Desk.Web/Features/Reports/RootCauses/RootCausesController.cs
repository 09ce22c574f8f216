using Desk.Web.Features.Shared;
using Desk.Web.Features.Reports.Downloads;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Desk.Web.Features.Reports.RootCauses;

/// <summary>Why customers complain (/reports/root-causes): the Pareto of complaints by root cause.</summary>
[Authorize(Policy = DeskPolicies.ReadsReports)]
[ServiceFilter(typeof(CatchingUpFilter))]
[ReportInputFilter]
public sealed class RootCausesController(RootCauseParetoQuery pareto, TimeProvider clock, IStringLocalizer<SharedResource> text) : Controller
{
    [HttpGet("/reports/root-causes")]
    public async Task<IActionResult> Show([FromQuery] ParetoForm form, CancellationToken ct)
    {
        var result = await pareto.RunAsync(form.ToFilter(), ct);
        var periods = ComparedPeriods.Of(form.From, form.To, DatePresets.Today(clock, AgentTime.Zone));
        var (now, before) = await ReportComparisons.RunAsync(periods, result, (from, to) => pareto.RunAsync(form.Within(from, to).ToFilter(), ct));
        return View("RootCauses", new ParetoPage(form, result,
            new ReportSummary(RootCauseReading.Reading(result, text), RootCauseReading.HowComputed(text), periods, RootCauseReading.Figures(now, before, text))));
    }

    [HttpGet("/reports/root-causes.{format:" + ReportFile.Formats + "}")]
    public async Task<IActionResult> Download([FromQuery] ParetoForm form, string format, CancellationToken ct)
    {
        var result = await pareto.RunAsync(form.ToFilter(), ct);
        return ReportFile.Result(Table(result, new(text)), ReportFile.Parse(format), "root-causes", text);
    }

    /// <summary>One line per top-level cause, then the complaints with no cause yet (no share: they are outside the Pareto).</summary>
    public static ReportTable Table(RootCausePareto result, ReportWords? words = null)
    {
        var t = words ?? ReportWords.Untranslated;
        return ReportTable.Of<ParetoRow>("Why customers complain")
            .Count("root_cause_id", "Root cause number", r => r.RootCauseId)
            .Text("root_cause", "Root cause", r => t.Name(r.Name, r.NameZh))
            .Count("complaints", "Complaints", r => r.Complaints)
            .Percent("share", "Share", r => r.Share)
            .Percent("cumulative_share", "Cumulative share", r => r.Cumulative)
            .Flag("vital_few", "Vital few (the first 80 %)", r => r.VitalFew)
            .Build(result.Rows, [null, t.Code("(no cause yet)", "No root cause yet"), result.WithoutCause, null, null, null]);
    }
}

public sealed record ParetoPage(ParetoForm Form, RootCausePareto Result, ReportSummary Summary);

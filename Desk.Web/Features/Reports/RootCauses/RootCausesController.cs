using System.Globalization;
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
public sealed class RootCausesController(RootCauseParetoQuery pareto, IStringLocalizer<SharedResource> text) : Controller
{
    [HttpGet("/reports/root-causes")]
    public async Task<IActionResult> Show([FromQuery] ParetoForm form, CancellationToken ct)
    {
        var result = await pareto.RunAsync(form.ToFilter(), ct);
        return View("RootCauses", new ParetoPage(form, result, Reading(result)));
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

    private string Reading(RootCausePareto result)
    {
        var vital = result.Rows.Where(r => r.VitalFew).ToList();
        if (vital.Count == 0) return text["No complaint in this selection has a root cause yet."];
        var chinese = CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal);
        var names = string.Join(chinese ? "、" : ", ", vital.Select(r => chinese ? r.NameZh : r.Name));
        return text["{0} of {1} causes account for {2} of complaints with a cause: {3}.", vital.Count, result.Rows.Count,
            vital[^1].Cumulative.ToString("P0", CultureInfo.CurrentCulture), names];
    }
}

public sealed record ParetoPage(ParetoForm Form, RootCausePareto Result, string Reading);

using Desk.Web.Features.Shared;
using Desk.Web.Features.Reports.Downloads;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Desk.Web.Features.Reports.LossReasons;

/// <summary>Why customers were lost (/reports/loss-reasons): the revenue behind each root cause of customers who did not come back.</summary>
[Authorize(Policy = DeskPolicies.ReadsReports)]
[ServiceFilter(typeof(CatchingUpFilter))]
[ReportInputFilter]
public sealed class LossReasonsController(LossReasonsQuery losses, TimeProvider clock, IStringLocalizer<SharedResource> text) : Controller
{
    [HttpGet("/reports/loss-reasons")]
    public async Task<IActionResult> Show([FromQuery] ReportFilterForm form, CancellationToken ct)
    {
        var result = await losses.RunAsync(form.ToFilter(), ct);
        var periods = ComparedPeriods.Of(form.From, form.To, DatePresets.Today(clock, AgentTime.Zone));
        var (now, before) = await ReportComparisons.RunAsync(periods, result, (from, to) => losses.RunAsync(form.Within(from, to).ToFilter(), ct));
        return View("LossReasons", new LossPage(form, result,
            new ReportSummary(LossReading.Reading(result, text), LossReading.HowComputed(result, text), periods, LossReading.Figures(now, before, text))));
    }

    [HttpGet("/reports/loss-reasons.{format:" + ReportFile.Formats + "}")]
    public async Task<IActionResult> Download([FromQuery] ReportFilterForm form, string format, CancellationToken ct)
    {
        var result = await losses.RunAsync(form.ToFilter(), ct);
        return ReportFile.Result(Table(result, new(text)), ReportFile.Parse(format), "loss-reasons", text);
    }

    /// <summary>One line per root cause of complaints not followed by an order, with the revenue those customers brought the year before.</summary>
    public static ReportTable Table(LossReasonsReport result, ReportWords? words = null)
    {
        var t = words ?? ReportWords.Untranslated;
        return ReportTable.Of<LossRow>("Why customers were lost")
            .Count("root_cause_id", "Root cause number", r => r.RootCauseId)
            .Text("root_cause", "Root cause", r => t.Name(r.Name, r.NameZh))
            .Count("complaints_not_followed_by_an_order", "Complaints not followed by an order", r => r.Complaints)
            .Count("customers", "Customers", r => r.Customers)
            .Money("revenue_year_before", "Revenue the year before", r => r.RevenueBefore)
            .Percent("share_of_that_revenue", "Share of that revenue", r => r.ShareOfRevenue)
            .Build(result.Rows);
    }
}

public sealed record LossPage(ReportFilterForm Form, LossReasonsReport Result, ReportSummary Summary);

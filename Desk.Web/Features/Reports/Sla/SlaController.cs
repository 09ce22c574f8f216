using Desk.Web.Features.Shared;
using Desk.Web.Features.Reports.Downloads;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Desk.Web.Features.Reports.Sla;

/// <summary>SLA and team (/reports/sla): on-time first responses and resolutions by week and severity, and by agent.</summary>
[Authorize(Policy = DeskPolicies.ReadsReports)]
[ServiceFilter(typeof(CatchingUpFilter))]
[ReportInputFilter]
public sealed class SlaController(SlaReportQuery sla, TimeProvider clock, IStringLocalizer<SharedResource> text) : Controller
{
    [HttpGet("/reports/sla")]
    public async Task<IActionResult> Show([FromQuery] ReportFilterForm form, SlaPeriod? period, CancellationToken ct)
    {
        var result = await sla.RunAsync(form.ToFilter(), ct);
        var periods = ComparedPeriods.Of(form.From, form.To, DatePresets.Today(clock, AgentTime.Zone));
        var (now, before) = await ReportComparisons.RunAsync(periods, result, (from, to) => sla.RunAsync(form.Within(from, to).ToFilter(), ct));
        return View("Sla", new SlaPage(form, period ?? SlaPeriod.Month, result,
            new ReportSummary(SlaReading.Reading(result, text), SlaReading.HowComputed(text), periods, SlaReading.Figures(now, before, text))));
    }

    /// <summary>The period table as the page shows it: by month unless <c>period=week</c>.</summary>
    [HttpGet("/reports/sla.{format:" + ReportFile.Formats + "}")]
    public async Task<IActionResult> Periods([FromQuery] ReportFilterForm form, SlaPeriod? period, string format, CancellationToken ct)
    {
        var result = await sla.RunAsync(form.ToFilter(), ct);
        return ReportFile.Result(SlaTables.Periods(result, period ?? SlaPeriod.Month, new(text)), ReportFile.Parse(format), $"sla-{result.Now:yyyy-MM-dd}", text);
    }

    [HttpGet("/reports/sla-agents.{format:" + ReportFile.Formats + "}")]
    public async Task<IActionResult> Agents([FromQuery] ReportFilterForm form, string format, CancellationToken ct)
    {
        var result = await sla.RunAsync(form.ToFilter(), ct);
        return ReportFile.Result(SlaTables.Agents(result, new(text)), ReportFile.Parse(format), $"sla-agents-{result.Now:yyyy-MM-dd}", text);
    }
}

public sealed record SlaPage(ReportFilterForm Form, SlaPeriod Period, SlaReport Result, ReportSummary Summary)
{
    /// <summary>The page's filters and period as a query string (for the download links); the default month is left out.</summary>
    public string Query => string.Join("&", new[] { Form.Query, Period == SlaPeriod.Month ? "" : "period=week" }.Where(q => q.Length > 0));
}

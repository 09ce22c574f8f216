using System.Globalization;
using Desk.Domain.Recovery;
using Desk.Domain.Tickets;
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
public sealed class SlaController(SlaReportQuery sla, IStringLocalizer<SharedResource> text) : Controller
{
    [HttpGet("/reports/sla")]
    public async Task<IActionResult> Show([FromQuery] ReportFilterForm form, SlaPeriod? period, CancellationToken ct)
    {
        var result = await sla.RunAsync(form.ToFilter(), ct);
        return View("Sla", new SlaPage(form, period ?? SlaPeriod.Month, result, Reading(result)));
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

    private string Reading(SlaReport result)
    {
        var (_, first, resolution) = result.Total();
        if (first.N == 0 && resolution.N == 0) return text["No complaint in this selection has reached its due time yet."];
        static string Pct(Proportion p) => p.Rate is { } r ? r.ToString("P0", CultureInfo.CurrentCulture) : "—";
        var reading = text["First responses met their target {0} of the time (n = {1}), resolutions {2} (n = {3}).",
            Pct(first), first.N.ToString("N0", CultureInfo.CurrentCulture), Pct(resolution), resolution.N.ToString("N0", CultureInfo.CurrentCulture)].Value;
        // Major complaints apart: a week with one late ticket would say little; the severity that loses customers says more.
        var (_, majorFirst, majorResolution) = result.Total(Severity.Major);
        return majorFirst.N + majorResolution.N == 0 ? reading
            : reading + text[" Major complaints: {0} and {1}.", Pct(majorFirst), Pct(majorResolution)];
    }
}

public sealed record SlaPage(ReportFilterForm Form, SlaPeriod Period, SlaReport Result, string Reading)
{
    /// <summary>The page's filters and period as a query string (for the download links); the default month is left out.</summary>
    public string Query => string.Join("&", new[] { Form.Query, Period == SlaPeriod.Month ? "" : "period=week" }.Where(q => q.Length > 0));
}

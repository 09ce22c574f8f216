using Desk.Web.Features.Shared;
using Desk.Web.Features.Reports.Downloads;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Desk.Web.Features.Reports.Recovery;

/// <summary>Did they come back? (/reports/recovery): repurchase by severity and by how the complaint went, and by remedy given.</summary>
[Authorize(Policy = DeskPolicies.ReadsReports)]
[ServiceFilter(typeof(CatchingUpFilter))]
[ReportInputFilter]
public sealed class RecoveryController(RecoveryMatrixQuery recovery, TimeProvider clock, IStringLocalizer<SharedResource> text) : Controller
{
    [HttpGet("/reports/recovery")]
    public async Task<IActionResult> Show([FromQuery] ReportFilterForm form, CancellationToken ct)
    {
        var matrix = await recovery.RunAsync(form.ToFilter(), ct);
        var periods = ComparedPeriods.Of(form.From, form.To, DatePresets.Today(clock, AgentTime.Zone));
        var (now, before) = await ReportComparisons.RunAsync(periods, matrix, (from, to) => recovery.RunAsync(form.Within(from, to).ToFilter(), ct));
        return View("Recovery", new RecoveryPage(form, matrix, new ReportSummary(RecoveryReading.Reading(matrix, text), RecoveryReading.HowComputed(matrix, text),
            periods, RecoveryReading.Figures(now, before, text))));
    }

    [HttpGet("/reports/recovery.{format:" + ReportFile.Formats + "}")]
    public async Task<IActionResult> Cells([FromQuery] ReportFilterForm form, string format, CancellationToken ct)
    {
        var matrix = await recovery.RunAsync(form.ToFilter(), ct);
        return ReportFile.Result(RecoveryTables.Cells(matrix, new(text)), ReportFile.Parse(format), $"recovery-{matrix.Now:yyyy-MM-dd}", text);
    }

    [HttpGet("/reports/recovery-remedies.{format:" + ReportFile.Formats + "}")]
    public async Task<IActionResult> Remedies([FromQuery] ReportFilterForm form, string format, CancellationToken ct)
    {
        var matrix = await recovery.RunAsync(form.ToFilter(), ct);
        return ReportFile.Result(RecoveryTables.Remedies(matrix, new(text)), ReportFile.Parse(format), $"recovery-remedies-{matrix.Now:yyyy-MM-dd}", text);
    }
}

public sealed record RecoveryPage(ReportFilterForm Form, RecoveryMatrix Matrix, ReportSummary Summary);

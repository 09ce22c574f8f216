using System.Globalization;
using Desk.Domain.Recovery;
using Desk.Domain.Tickets;
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
public sealed class RecoveryController(RecoveryMatrixQuery recovery, IStringLocalizer<SharedResource> text) : Controller
{
    [HttpGet("/reports/recovery")]
    public async Task<IActionResult> Show([FromQuery] ReportFilterForm form, CancellationToken ct)
    {
        var matrix = await recovery.RunAsync(form.ToFilter(), ct);
        return View("Recovery", new RecoveryPage(form, matrix, Reading(matrix)));
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

    /// <summary>One sentence a manager can act on: how a major complaint resolved within target compares with saying nothing.</summary>
    private string Reading(RecoveryMatrix matrix)
    {
        var quick = matrix.Cell(Severity.Major, RecoveryColumn.ResolvedWithinTarget).Repurchased;
        var silent = matrix.Cell(Severity.Major, RecoveryColumn.DidNotComplain).Repurchased;
        var late = matrix.Cell(Severity.Major, RecoveryColumn.ResolvedLate).Repurchased;
        if (quick.Rate is not { } q || silent.Rate is not { } s)
            return text["Not enough measured customers yet for a reading: a complaint counts once its {0}-day window has ended.", matrix.WindowDays];
        var lateText = late.Rate is { } l ? text[" Resolved late: {0}.", l.ToString("P0", CultureInfo.CurrentCulture)].Value : "";
        return text["Customers whose major complaint was resolved within target bought again {0} of the time (n = {1}), against {2} of major customers who never complained (n = {3}).",
            q.ToString("P0", CultureInfo.CurrentCulture), quick.N.ToString("N0", CultureInfo.CurrentCulture),
            s.ToString("P0", CultureInfo.CurrentCulture), silent.N.ToString("N0", CultureInfo.CurrentCulture)] + lateText;
    }
}

public sealed record RecoveryPage(ReportFilterForm Form, RecoveryMatrix Matrix, string Reading);

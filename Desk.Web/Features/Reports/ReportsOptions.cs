using System.ComponentModel.DataAnnotations;

namespace Desk.Web.Features.Reports;

/// <summary>How the reports' kept outcomes are kept current (<c>Desk:Reports</c>).</summary>
public sealed class ReportsOptions
{
    public const string Section = "Desk:Reports";

    /// <summary>Whether <see cref="ReportOutcomesRefresher"/> works through marked customers in the background; off in tests that watch the marks.</summary>
    public bool RefreshInBackground { get; set; } = true;

    /// <summary>How often the background refresher looks for marked customers.</summary>
    [Range(1, 86_400)]
    public int RefreshIntervalSeconds { get; set; } = 2;

    /// <summary>
    /// With more customers than this waiting (after a big import, or a new window: everyone), a report page says it is
    /// catching up and reloads itself, rather than making the manager wait while it rewrites them all in the request.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int CatchUpAbove { get; set; } = ReportOutcomesRefresher.Batch;
}

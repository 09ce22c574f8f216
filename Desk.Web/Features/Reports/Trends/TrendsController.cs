using System.Globalization;
using Desk.Domain.Loyalty;
using Desk.Web.Data;
using Desk.Web.Features.Reports.Downloads;
using Desk.Web.Features.Reports.Sla;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Desk.Web.Features.Reports.Trends;

/// <summary>
/// Trends (/reports/trends): complaint volume and the key rates by month or ISO week, in total or a line per root cause,
/// channel, severity or loyalty class, with the period running now marked as partial.
/// </summary>
[Authorize(Policy = DeskPolicies.ReadsReports)]
[ServiceFilter(typeof(CatchingUpFilter))]
[ReportInputFilter]
public sealed class TrendsController(DeskDbContext db, TimeProvider clock, IOptions<LoyaltyThresholds> thresholds,
    IStringLocalizer<SharedResource> text) : Controller
{
    [HttpGet("/reports/trends")]
    public async Task<IActionResult> Show([FromQuery] ReportFilterForm form, SlaPeriod? period, TrendSplit? by, CancellationToken ct)
    {
        var result = await Query().RunAsync(form.ToFilter(), period ?? SlaPeriod.Month, by ?? TrendSplit.None, ct);
        return View("Trends", new TrendsPage(form, result, Reading(result)));
    }

    [HttpGet("/reports/trends.{format:" + ReportFile.Formats + "}")]
    public async Task<IActionResult> Download([FromQuery] ReportFilterForm form, SlaPeriod? period, TrendSplit? by, string format, CancellationToken ct)
    {
        var result = await Query().RunAsync(form.ToFilter(), period ?? SlaPeriod.Month, by ?? TrendSplit.None, ct);
        return ReportFile.Result(TrendsTables.Table(result, new(text)), ReportFile.Parse(format), $"trends-{result.Now:yyyy-MM-dd}", text);
    }

    private TrendsQuery Query() => new(db, clock, thresholds.Value);

    /// <summary>
    /// The last whole period against the one before (a partial period would read as a drop), the group that grew most, and
    /// what the period running now holds so far.
    /// </summary>
    private string Reading(TrendsReport result)
    {
        var culture = CultureInfo.CurrentCulture;
        if (result.Cells.Count == 0) return text["No complaint in this selection."];
        string Label(TrendPeriod p) => TrendsTables.Label(p, result.PeriodKind);
        string Count(long n) => n.ToString("N0", culture);
        var parts = new List<string>();
        if (result.LastTwoWhole() is { } two)
        {
            var (last, before) = two;
            var (now, then) = (result.Total(last).Complaints, result.Total(before).Complaints);
            var change = then == 0 ? "—" : ((double)(now - then) / then).ToString("+0%;−0%;±0%", culture);
            parts.Add(text["{0}: {1} complaints, {2} against {3} ({4}).", Label(last), Count(now), change, Label(before), Count(then)]);
            if (result.Split != TrendSplit.None)
            {
                var words = new ReportWords(text);
                var grew = result.Groups
                    .Select(g => (Group: g, Now: result.Measures(last, g).Complaints, Then: result.Measures(before, g).Complaints))
                    .Where(g => g.Now > g.Then).OrderByDescending(g => g.Now - g.Then).ThenBy(g => g.Group.Name, StringComparer.Ordinal).FirstOrDefault();
                parts.Add(grew.Group is null
                    ? text["No group grew."]
                    : text["{0} grew most: {1} → {2}.", TrendsTables.GroupOf(words, result.Split, grew.Group).Shown, Count(grew.Then), Count(grew.Now)]);
            }
        }
        else parts.Add(text["{0} complaints in {1} periods.", Count(result.Total().Complaints), Count(result.Periods.Count)]);
        if (result.Periods.LastOrDefault(p => p.Current && p.Partial) is { } current)
            parts.Add(text["{0} so far: {1} complaints in {2} of {3} days.", Label(current), Count(result.Total(current).Complaints),
                Count(current.DaysCovered), Count(current.Days)]);
        return string.Join(" ", parts);
    }
}

public sealed record TrendsPage(ReportFilterForm Form, TrendsReport Result, string Reading)
{
    /// <summary>The page's filters, period and split as a query string (for the download links); the defaults left out.</summary>
    public string Query => string.Join("&", new[]
    {
        Form.Query,
        Result.PeriodKind == SlaPeriod.Month ? "" : "period=week",
        Result.Split == TrendSplit.None ? "" : "by=" + Result.Split.ToString().ToLowerInvariant(),
    }.Where(q => q.Length > 0));
}

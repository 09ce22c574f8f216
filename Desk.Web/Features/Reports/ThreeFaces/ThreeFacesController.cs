using System.Globalization;
using Desk.Domain.Loyalty;
using Desk.Web.Data;
using Desk.Web.Features.Reports.Downloads;
using Desk.Web.Features.Shared;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Desk.Web.Features.Reports.ThreeFaces;

/// <summary>
/// The three faces report (/reports/three-faces): satisfaction, intention and actual repurchase side by side, per loyalty
/// class and per root cause, with the survey's response rate and the SERVQUAL trend. Same frame as the other reports:
/// filters, charts, the numbers as tables, a CSV, one line of reading.
/// </summary>
[Authorize(Policy = DeskPolicies.ReadsReports)]
[ServiceFilter(typeof(CatchingUpFilter))]
[ReportInputFilter]
public sealed class ThreeFacesController(DeskDbContext db, TimeProvider clock, IOptions<LoyaltyThresholds> thresholds,
    IStringLocalizer<SharedResource> text) : Controller
{
    [HttpGet("/reports/three-faces")]
    public async Task<IActionResult> Show([FromQuery] ReportFilterForm form, CancellationToken ct)
    {
        var result = await Query().RunAsync(form.ToFilter(), ct);
        var periods = ComparedPeriods.Of(form.From, form.To, DatePresets.Today(clock, AgentTime.Zone));
        var (now, before) = await ReportComparisons.RunAsync(periods, result, (from, to) => Query().RunAsync(form.Within(from, to).ToFilter(), ct));
        return View("ThreeFaces", new ThreeFacesPage(form, result,
            new ReportSummary(ThreeFacesReading.Reading(result, text), ThreeFacesReading.HowComputed(result, text), periods, ThreeFacesReading.Figures(now, before, text))));
    }

    [HttpGet("/reports/three-faces.{format:" + ReportFile.Formats + "}")]
    public async Task<IActionResult> Download([FromQuery] ReportFilterForm form, string format, CancellationToken ct)
    {
        var result = await Query().RunAsync(form.ToFilter(), ct);
        return ReportFile.Result(Table(result, new(text)), ReportFile.Parse(format), $"three-faces-{clock.GetUtcNow():yyyy-MM-dd}", text);
    }

    private ThreeFacesQuery Query() => new(db, clock, thresholds.Value);

    /// <summary>CSV column of each measure, in order; the page's cells carry the same names (data-measure) and values.</summary>
    public static readonly string[] Measures =
    [
        "sent", "answered", "response_rate", "outcome_satisfaction", "handling_satisfaction", "intention", "bought_again", "measured",
        "rate", "ci95_low", "ci95_high", "pending", "reliability", "responsiveness", "assurance", "empathy", "tangibles",
    ];

    /// <summary>One measure of a row as the CSV and the table's data-value write it: invariant, rates and means to four places, empty for none.</summary>
    public static string Value(FacesRow row, string measure)
    {
        static string N(double? value) => value is { } v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "";
        var interval = row.Repurchased.Interval95;
        return measure switch
        {
            "sent" => row.Sent.ToString(CultureInfo.InvariantCulture),
            "answered" => row.Answered.ToString(CultureInfo.InvariantCulture),
            "response_rate" => N(row.ResponseRate),
            "outcome_satisfaction" => N(row.OutcomeSatisfaction),
            "handling_satisfaction" => N(row.HandlingSatisfaction),
            "intention" => N(row.Intention),
            "bought_again" => row.Repurchased.Successes.ToString(CultureInfo.InvariantCulture),
            "measured" => row.Repurchased.N.ToString(CultureInfo.InvariantCulture),
            "rate" => N(row.Repurchased.Rate),
            "ci95_low" => N(interval?.Low),
            "ci95_high" => N(interval?.High),
            "pending" => row.Pending.ToString(CultureInfo.InvariantCulture),
            "reliability" => N(row.Reliability),
            "responsiveness" => N(row.Responsiveness),
            "assurance" => N(row.Assurance),
            "empathy" => N(row.Empathy),
            "tangibles" => N(row.Tangibles),
            _ => throw new ArgumentOutOfRangeException(nameof(measure), measure, "Not a measure of the three faces report."),
        };
    }

    /// <summary>
    /// Every row of the report (total, classes, causes, months), one line each: counts as counts, rates as fractions, the
    /// 1–5 means as means (four places for analysts, two for people).
    /// </summary>
    public static ReportTable Table(ThreeFacesReport result, ReportWords? words = null)
    {
        var t = words ?? ReportWords.Untranslated;
        var table = ReportTable.Of<FacesRow>("Three faces of loyalty")
            .Code("section", "Section", r => t.Code(r.Section.ToString(), r.Section switch
            {
                FacesSection.Total => "Total",
                FacesSection.LoyaltyClass => "Loyalty class",
                FacesSection.RootCause => "Root cause",
                _ => "Month",
            }))
            .Add(new("key", "Key", ColumnKind.Code), r => r.Key)
            .Text("name", "Name", r => new Named(r.Name, r.Section switch
            {
                FacesSection.LoyaltyClass => t[r.Name],
                FacesSection.RootCause when r.Key.Length == 0 => t["No root cause (not resolved now)"],
                FacesSection.RootCause => t.Local(r.Name, r.NameZh),
                FacesSection.Total => t["All answered"],
                _ => r.Key,
            }, Typed: true));
        foreach (var measure in Measures)
        {
            var (header, kind) = Columns[measure];
            table.Add(kind == ColumnKind.Number ? new(measure, header, kind, "0.0000", "0.00") : new(measure, header, kind), r => Cell(r, measure));
        }
        return table.Build(new[] { result.Total }.Concat(result.Classes).Concat(result.Causes).Concat(result.Months));
    }

    /// <summary>Each measure's header for people and how it is written.</summary>
    private static readonly Dictionary<string, (string Header, ColumnKind Kind)> Columns = new()
    {
        ["sent"] = ("Surveys sent", ColumnKind.Count), ["answered"] = ("Answered", ColumnKind.Count),
        ["response_rate"] = ("Response rate", ColumnKind.Percent),
        ["outcome_satisfaction"] = ("Satisfaction with the outcome", ColumnKind.Number),
        ["handling_satisfaction"] = ("Satisfaction with the handling", ColumnKind.Number),
        ["intention"] = ("Intention to buy again", ColumnKind.Number),
        ["bought_again"] = ("Bought again", ColumnKind.Count), ["measured"] = ("Measured", ColumnKind.Count),
        ["rate"] = ("Actually bought again", ColumnKind.Percent),
        ["ci95_low"] = ("95 % interval, from", ColumnKind.Percent), ["ci95_high"] = ("95 % interval, to", ColumnKind.Percent),
        ["pending"] = ("Pending", ColumnKind.Count),
        ["reliability"] = ("Reliability", ColumnKind.Number), ["responsiveness"] = ("Responsiveness", ColumnKind.Number),
        ["assurance"] = ("Assurance", ColumnKind.Number), ["empathy"] = ("Empathy", ColumnKind.Number), ["tangibles"] = ("Tangibles", ColumnKind.Number),
    };

    /// <summary>One measure of a row as a typed value (the downloads); <see cref="Value"/> is the same as the page's data-value writes it.</summary>
    private static object? Cell(FacesRow row, string measure) => measure switch
    {
        "sent" => row.Sent,
        "answered" => row.Answered,
        "response_rate" => row.ResponseRate,
        "outcome_satisfaction" => row.OutcomeSatisfaction,
        "handling_satisfaction" => row.HandlingSatisfaction,
        "intention" => row.Intention,
        "bought_again" => row.Repurchased.Successes,
        "measured" => row.Repurchased.N,
        "rate" => row.Repurchased.Rate,
        "ci95_low" => row.Repurchased.Interval95?.Low,
        "ci95_high" => row.Repurchased.Interval95?.High,
        "pending" => row.Pending,
        "reliability" => row.Reliability,
        "responsiveness" => row.Responsiveness,
        "assurance" => row.Assurance,
        "empathy" => row.Empathy,
        "tangibles" => row.Tangibles,
        _ => throw new ArgumentOutOfRangeException(nameof(measure), measure, "Not a measure of the three faces report."),
    };
}

public sealed record ThreeFacesPage(ReportFilterForm Form, ThreeFacesReport Result, ReportSummary Summary);

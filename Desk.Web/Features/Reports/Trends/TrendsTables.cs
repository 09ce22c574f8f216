using System.Globalization;
using Desk.Web.Features.Reports.Downloads;
using Desk.Web.Features.Reports.Sla;

namespace Desk.Web.Features.Reports.Trends;

/// <summary>One line of the trends table: a group in a period, or (no <see cref="Group"/>) the period's total.</summary>
public sealed record TrendLine(TrendPeriod Period, TrendGroup? Group, TrendMeasures Measures);

/// <summary>The trends table as the page shows it and its downloads write it.</summary>
public static class TrendsTables
{
    /// <summary>
    /// The page's lines, oldest period first: with no split one per period (empty periods too); with a split the period's groups
    /// by volume, then its total.
    /// </summary>
    public static IReadOnlyList<TrendLine> Lines(TrendsReport report) =>
    [
        .. report.Periods.SelectMany(p => report.Split == TrendSplit.None
            ? [new TrendLine(p, null, report.Total(p))]
            : report.Cells.Where(c => c.Period == p).Select(c => new TrendLine(p, c.Group, c.Measures)).Append(new TrendLine(p, null, report.Total(p)))),
    ];

    /// <summary>
    /// The downloads: the page's lines without the split's period totals (a sum over the file would count them twice). Whether
    /// a period is partial, and how many of its days the report saw, are columns of their own.
    /// </summary>
    public static ReportTable Table(TrendsReport report, ReportWords? words = null)
    {
        var t = words ?? ReportWords.Untranslated;
        var week = report.PeriodKind == SlaPeriod.Week;
        var table = ReportTable.Of<TrendLine>("Trends")
            .Add(new(week ? "week" : "month", week ? "Week" : "Month", ColumnKind.Code), l => l.Period.Key)
            .Date(week ? "week_start" : "month_start", week ? "Week starts" : "Month starts", l => l.Period.Start.ToDateTime(TimeOnly.MinValue))
            .Count("days", "Days", l => l.Period.Days)
            .Count("days_seen", "Days so far", l => l.Period.DaysCovered)
            .Flag("partial", "Partial period", l => l.Period.Partial);
        if (report.Split != TrendSplit.None) table.Add(new("group", "Group", report.Split == TrendSplit.Cause ? ColumnKind.Text : ColumnKind.Code), l => GroupOf(t, report.Split, l.Group!));
        return table
            .Count("complaints", "Complaints", l => l.Measures.Complaints)
            .Count("first_response_met", "First responses on time", l => l.Measures.FirstResponse.Successes)
            .Count("first_response_measured", "First responses measured", l => l.Measures.FirstResponse.N)
            .Percent("first_response_rate", "First response on time", l => l.Measures.FirstResponse.Rate)
            .Count("resolution_met", "Resolutions on time", l => l.Measures.Resolution.Successes)
            .Count("resolution_measured", "Resolutions measured", l => l.Measures.Resolution.N)
            .Percent("resolution_rate", "Resolved on time", l => l.Measures.Resolution.Rate)
            .Count("bought_again", "Bought again", l => l.Measures.BoughtAgain.Successes)
            .Count("measured", "Measured", l => l.Measures.BoughtAgain.N)
            .Percent("repurchase_rate", "Bought again after a resolved complaint", l => l.Measures.BoughtAgain.Rate)
            .Count("pending", "Pending", l => l.Measures.Pending)
            .Money("remedy_cost", "Remedy cost", l => l.Measures.RemedyCost)
            .Build(Lines(report).Where(l => report.Split == TrendSplit.None || l.Group is not null));
    }

    /// <summary>A group's name: the taxonomy's own in both languages for a cause; a code and its label otherwise.</summary>
    public static Named GroupOf(ReportWords t, TrendSplit split, TrendGroup group) =>
        split == TrendSplit.Cause && group.Key.Length > 0 ? t.Name(group.Name, group.NameZh) : t.Code(group.Key, group.Name);

    /// <summary>A period as a person reads it: "2026-W19" for a week, "May 2026" / "2026年5月" for a month.</summary>
    public static string Label(TrendPeriod period, SlaPeriod kind) => kind == SlaPeriod.Week
        ? period.Key
        : SlaReport.MonthOf(period.Start).ToDateTime(TimeOnly.MinValue).ToString("Y", CultureInfo.CurrentCulture);
}

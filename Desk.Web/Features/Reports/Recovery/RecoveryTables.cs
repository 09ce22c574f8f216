using Desk.Domain.Recovery;
using Desk.Web.Features.Reports.Downloads;
using Desk.Web.Features.Reports.Sla;

namespace Desk.Web.Features.Reports.Recovery;

/// <summary>The recovery report's two tables as its downloads write them.</summary>
public static class RecoveryTables
{
    /// <summary>
    /// One line per cell of the matrix (severity × how the complaint went), then the repeat complaints (second failures),
    /// their column prefixed with "Repeat" for analysts; TARP has no figure for them.
    /// </summary>
    public static ReportTable Cells(RecoveryMatrix matrix, ReportWords? words = null)
    {
        var t = words ?? ReportWords.Untranslated;
        return ReportTable.Of<(RecoveryCell Cell, bool Repeat)>("Did they come back?")
            .Code("severity", "Severity", r => SlaTables.SeverityOf(t, r.Cell.Severity))
            .Code("column", "How the complaint went", r => r.Repeat
                ? new Named("Repeat" + r.Cell.Column, t["Repeat complaint"] + ": " + t[ColumnLabel(r.Cell.Column)])
                : t.Code(r.Cell.Column.ToString(), ColumnLabel(r.Cell.Column)))
            .Count("bought_again", "Bought again", r => r.Cell.Repurchased.Successes)
            .Count("measured", "Measured", r => r.Cell.Repurchased.N)
            .Percent("rate", "Bought again (share)", r => r.Cell.Repurchased.Rate)
            .Percent("ci95_low", "95 % interval, from", r => r.Cell.Repurchased.Interval95?.Low)
            .Percent("ci95_high", "95 % interval, to", r => r.Cell.Repurchased.Interval95?.High)
            .Count("pending", "Pending", r => r.Cell.Pending)
            .Money("revenue_after", "Revenue after", r => r.Cell.RevenueAfter)
            .Money("remedy_cost", "Remedy cost", r => r.Cell.RemedyCost)
            .Add(new("reference_tarp", "TARP reference", ColumnKind.Percent, RawFormat: "0.00"), r => r.Repeat ? null : r.Cell.Reference)
            .Build(matrix.Cells.OrderBy(c => c.Severity).ThenBy(c => c.Column).Select(c => (c, false))
                .Concat(matrix.RepeatCells.OrderBy(c => c.Severity).ThenBy(c => c.Column).Select(c => (c, true))));
    }

    /// <summary>One line per remedy given and how it matched the one asked for.</summary>
    public static ReportTable Remedies(RecoveryMatrix matrix, ReportWords? words = null)
    {
        var t = words ?? ReportWords.Untranslated;
        return ReportTable.Of<RemedyEffect>("Remedy asked for and remedy given")
            .Count("remedy_given_id", "Remedy number", r => r.RemedyGivenId)
            .Text("remedy_given", "Remedy given", r => t.Name(r.Name, r.NameZh))
            .Code("match", "Asked for", r => t.Code(r.Match.ToString(), MatchLabel(r.Match)))
            .Count("bought_again", "Bought again", r => r.Repurchased.Successes)
            .Count("measured", "Measured", r => r.Repurchased.N)
            .Percent("rate", "Bought again (share)", r => r.Repurchased.Rate)
            .Percent("ci95_low", "95 % interval, from", r => r.Repurchased.Interval95?.Low)
            .Percent("ci95_high", "95 % interval, to", r => r.Repurchased.Interval95?.High)
            .Count("pending", "Pending", r => r.Pending)
            .Money("remedy_cost", "Remedy cost", r => r.RemedyCost)
            .Build(matrix.Remedies);
    }

    /// <summary>The column's label as the page shows it.</summary>
    public static string ColumnLabel(RecoveryColumn column) => column switch
    {
        RecoveryColumn.DidNotComplain => "Did not complain",
        RecoveryColumn.ComplainedNotResolved => "Complained, not resolved",
        RecoveryColumn.ResolvedLate => "Resolved late",
        _ => "Resolved within target",
    };

    public static string MatchLabel(RemedyMatch match) => match switch
    {
        RemedyMatch.AsAsked => "Given as asked",
        RemedyMatch.OtherThanAsked => "Other than asked",
        _ => "Nothing asked",
    };
}

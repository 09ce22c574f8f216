using Desk.Domain.Recovery;
using Desk.Domain.Tickets;
using Desk.Web.Features.Shared;
using Microsoft.Extensions.Localization;
using static Desk.Web.Features.Reports.ReportText;

namespace Desk.Web.Features.Reports.Recovery;

/// <summary>What the recovery matrix tells a manager to do, its key figures against the period before, and how both are computed.</summary>
public static class RecoveryReading
{
    /// <summary>
    /// The orders lateness cost: the late complaints measured × (the within-target rate − the late rate) × what a customer
    /// who came back after a within-target resolution ordered in their window, on average. Zero when late did as well,
    /// or nobody came back after a within-target resolution (no spend to go by).
    /// </summary>
    public static decimal LostToLateness(RecoveryCell late, RecoveryCell withinTarget)
    {
        if (late.Repurchased.Rate is not { } l || withinTarget.Repurchased.Rate is not { } q || q <= l || withinTarget.Repurchased.Successes == 0) return 0m;
        return late.Repurchased.N * (decimal)(q - l) * (withinTarget.RevenueAfter / withinTarget.Repurchased.Successes);
    }

    /// <summary>
    /// Late against within-target resolutions, for the severity where lateness cost most (major on a tie), when both sides
    /// have at least <see cref="MinimumGroup"/> measured complaints; otherwise that the data are too thin.
    /// </summary>
    public static string Reading(RecoveryMatrix matrix, IStringLocalizer text)
    {
        var compared = Enum.GetValues<Severity>()
            .Select(s => (Severity: s, Late: matrix.Cell(s, RecoveryColumn.ResolvedLate), Quick: matrix.Cell(s, RecoveryColumn.ResolvedWithinTarget)))
            .Where(c => c.Late.Repurchased.N >= MinimumGroup && c.Quick.Repurchased.N >= MinimumGroup)
            .OrderByDescending(c => LostToLateness(c.Late, c.Quick)).ThenByDescending(c => c.Severity)
            .ToList();
        if (compared.Count == 0)
            return text["Too few complaints in this period whose {0}-day window has ended to compare late and on-time resolutions: widen the dates.", matrix.WindowDays];
        var (severity, late, quick) = compared[0];
        var group = text[severity == Severity.Major ? "Major complaints" : "Minor complaints"].Value;
        var lost = ReportComparisons.About(LostToLateness(late, quick));
        return lost > 0
            ? text["{0} resolved late brought back {1} of customers, against {2} when resolved within target: the {3} resolved late in this period cost about {4} in orders. Resolve them within target.",
                group, Pct(late.Repurchased.Rate), Pct(quick.Repurchased.Rate), Count(late.Repurchased.N), Money(lost)]
            : text["{0} resolved late brought back {1} of customers, against {2} when resolved within target: in this period lateness cost no repurchases.",
                group, Pct(late.Repurchased.Rate), Pct(quick.Repurchased.Rate)];
    }

    public static IReadOnlyList<string> HowComputed(RecoveryMatrix matrix, IStringLocalizer text) =>
    [
        text["Bought again: an order within {0} days after the complaint was resolved (after its receipt while it is unresolved; after the first order for customers who never complained). A complaint counts once that window has ended; until then it is pending and in no rate.", matrix.WindowDays],
        text["The money in the reading: the late complaints measured, times the gap between the two rates, times what a customer who came back after a complaint resolved within target ordered in their window, on average. An estimate of the orders lateness cost, not a forecast."],
        text["The reading takes the severity where lateness cost most, and compares only when late and on-time resolutions each have at least {0} measured complaints.", MinimumGroup],
        text["Each rate in the tables comes with n, the customers measured, and its 95 % interval (the Wilson score interval): the range the true rate lies in, 19 times in 20. Few customers make a wide interval."],
        text["The reference figures come from TARP (Technical Assistance Research Programs), Consumer Complaint Handling in America, for the White House Office of Consumer Affairs, 1979: the share of customers who said they would buy again. Ours are actual orders."],
    ];

    /// <summary>Resolved complaints (late and within target, both severities): who bought again, the late share, the orders after.</summary>
    public static IReadOnlyList<ComparedFigure> Figures(RecoveryMatrix now, RecoveryMatrix before, IStringLocalizer text)
    {
        static IEnumerable<RecoveryCell> Resolved(RecoveryMatrix m) => m.Cells.Where(c => c.Column is RecoveryColumn.ResolvedLate or RecoveryColumn.ResolvedWithinTarget);
        static Proportion Bought(RecoveryMatrix m) => new(Resolved(m).Sum(c => c.Repurchased.Successes), Resolved(m).Sum(c => c.Repurchased.N));
        static Proportion LateShare(RecoveryMatrix m) => new(
            m.Cells.Where(c => c.Column == RecoveryColumn.ResolvedLate).Sum(c => c.Repurchased.N + c.Pending), Resolved(m).Sum(c => c.Repurchased.N + c.Pending));
        static decimal Revenue(RecoveryMatrix m) => Resolved(m).Sum(c => c.RevenueAfter);
        var (bought, boughtBefore) = (Bought(now), Bought(before));
        var (late, lateBefore) = (LateShare(now), LateShare(before));
        return
        [
            new("bought-again", text["Bought again after a resolved complaint"], bought.Rate, boughtBefore.Rate, Pct(bought.Rate), Pct(boughtBefore.Rate), true, ChangeUnit.Points),
            new("resolved-late", text["Resolved late, of resolved complaints"], late.Rate, lateBefore.Rate, Pct(late.Rate), Pct(lateBefore.Rate), false, ChangeUnit.Points),
            new("revenue-after", text["Orders after resolved complaints"], (double)Revenue(now), (double)Revenue(before), Money(Revenue(now)), Money(Revenue(before)), null),
        ];
    }
}

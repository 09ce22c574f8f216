using Desk.Domain.Recovery;
using Desk.Web.Features.Shared;
using Microsoft.Extensions.Localization;
using static Desk.Web.Features.Reports.ReportText;

namespace Desk.Web.Features.Reports.Remedies;

/// <summary>What the remedies report tells a manager to do, its key figures against the period before, and how both are computed.</summary>
public static class RemedyReading
{
    /// <summary>
    /// The remedy surest to keep customers (the highest low end of its 95 % interval: six of six is no surer than 45 of
    /// 50) and the one that kept a customer for the least money, among remedies with at least <see cref="MinimumGroup"/>
    /// measured complaints; otherwise that the data are too thin.
    /// </summary>
    public static string Reading(RemedyEffectiveness result, IStringLocalizer text)
    {
        var measured = result.Rows.Where(r => r.Repurchased.N >= MinimumGroup).ToList();
        if (measured.Count == 0)
            return text["Too few resolved complaints in this period whose {0}-day window has ended to compare remedies: widen the dates.", result.WindowDays];
        var best = measured.OrderByDescending(r => r.Repurchased.Interval95!.Value.Low).ThenByDescending(r => r.Repurchased.N).First();
        var reading = text["{0} keeps customers best: {1} bought again after it, against {2} for all remedies. Offer it first where it fits.",
            Name(best.Name, best.NameZh), Pct(best.Repurchased.Rate), Pct(result.Total.Rate)].Value;
        var cheapest = measured.Where(r => r.CostPerKeptCustomer is not null).OrderBy(r => r.CostPerKeptCustomer).ThenBy(r => r.RemedyKindId).FirstOrDefault();
        return cheapest is null ? reading
            : reading + text[" Keeping a customer cost least with {0}: {1} each.", Name(cheapest.Name, cheapest.NameZh), cheapest.CostPerKeptCustomer!.Value.ToString("N2", System.Globalization.CultureInfo.CurrentCulture)];
    }

    public static IReadOnlyList<string> HowComputed(RemedyEffectiveness result, IStringLocalizer text) =>
    [
        text["Bought again: an order within {0} days after the complaint was resolved. A complaint counts once that window has ended; until then it is pending and in no rate. Repeat complaints are kept apart.", result.WindowDays],
        text["Each rate comes with n, the customers measured, and its 95 % interval (the Wilson score interval): the range the true rate lies in, 19 times in 20."],
        text["The reading ranks remedies by the low end of that interval, so a remedy with few customers does not come first by luck, and only remedies with at least {0} measured complaints.", MinimumGroup],
        text["Cost per customer kept: what the remedies of the measured complaints cost, divided by the customers among them who bought again; pending complaints are left out of both."],
    ];

    /// <summary>All remedies together: who bought again, and what each customer kept cost.</summary>
    public static IReadOnlyList<ComparedFigure> Figures(RemedyEffectiveness now, RemedyEffectiveness before, IStringLocalizer text)
    {
        static decimal? PerKept(RemedyEffectiveness r) => r.Total.Successes == 0 ? null
            : decimal.Round(r.Rows.Sum(x => x.MeasuredCost) / r.Total.Successes, 2, MidpointRounding.AwayFromZero);
        var (kept, keptBefore) = (PerKept(now), PerKept(before));
        static string Money2(decimal? m) => m?.ToString("N2", System.Globalization.CultureInfo.CurrentCulture) ?? "—";
        return
        [
            new("bought-again", text["Bought again after a remedy"], now.Total.Rate, before.Total.Rate, Pct(now.Total.Rate), Pct(before.Total.Rate), true, ChangeUnit.Points),
            new("cost-per-kept", text["Cost per customer kept"], (double?)kept, (double?)keptBefore, Money2(kept), Money2(keptBefore), false),
        ];
    }
}

using Microsoft.Extensions.Localization;
using static Desk.Web.Features.Reports.ReportText;

namespace Desk.Web.Features.Reports.LossReasons;

/// <summary>What the loss reasons tell a manager to do, their key figures against the period before, and how both are computed.</summary>
public static class LossReading
{
    /// <summary>The cause that lost the most revenue and its share of all at risk; too thin below <see cref="MinimumGroup"/> complaints not followed by an order.</summary>
    public static string Reading(LossReasonsReport result, IStringLocalizer text)
    {
        if (result.Rows.Sum(r => r.Complaints) < MinimumGroup)
            return text["Too few customers stayed away after a complaint in this period to rank the causes: widen the dates."];
        var top = result.Rows[0];
        return text["Customers lost after complaints about “{0}” had spent {1} in the year before: {2} of the {3} at risk. Fix that cause first.",
            Name(top.Name, top.NameZh), Money(top.RevenueBefore), Pct(top.ShareOfRevenue), Money(result.RevenueAtRisk)];
    }

    public static IReadOnlyList<string> HowComputed(LossReasonsReport result, IStringLocalizer text) =>
    [
        text["Lost: a complaint whose {0}-day window has ended with no order from the customer. Complaints still within their window are not counted yet, so a recent period shows fewer than it will.", result.WindowDays],
        text["Revenue at risk: what each such customer ordered in the 365 days before the complaint, added up over the complaints, by the top-level root cause."],
        text["The reading names the cause that lost the most revenue when at least {0} complaints were not followed by an order.", MinimumGroup],
    ];

    /// <summary>The revenue at risk and the complaints not followed by an order.</summary>
    public static IReadOnlyList<ComparedFigure> Figures(LossReasonsReport now, LossReasonsReport before, IStringLocalizer text)
    {
        var (lost, lostBefore) = (now.Rows.Sum(r => r.Complaints), before.Rows.Sum(r => r.Complaints));
        return
        [
            new("revenue-at-risk", text["Revenue at risk"], (double)now.RevenueAtRisk, (double)before.RevenueAtRisk, Money(now.RevenueAtRisk), Money(before.RevenueAtRisk), false),
            new("not-followed", text["Complaints not followed by an order"], lost, lostBefore, Count(lost), Count(lostBefore), false),
        ];
    }
}

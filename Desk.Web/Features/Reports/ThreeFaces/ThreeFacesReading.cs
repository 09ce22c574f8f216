using Desk.Web.Features.Shared;
using Microsoft.Extensions.Localization;
using static Desk.Web.Features.Reports.ReportText;

namespace Desk.Web.Features.Reports.ThreeFaces;

/// <summary>What the three faces report tells a manager to do, its key figures against the period before, and how both are computed.</summary>
public static class ThreeFacesReading
{
    /// <summary>
    /// The class most satisfied with the outcome, and how many of them actually came back, against everyone who answered:
    /// the satisfied customers who still leave are what the report is for. "Yet only" when the gap shows at a glance
    /// (five points or more); a point or two is noise, not a finding.
    /// </summary>
    public static string Reading(ThreeFacesReport result, IStringLocalizer text)
    {
        if (result.MostSatisfiedClass is not { } top || result.Total.Repurchased.Rate is not { } all || top.Repurchased.Rate is not { } rate)
            return text["Too few answered surveys in this period whose {0}-day window has ended to compare the loyalty classes: widen the dates.", result.WindowDays];
        var args = new object[] { text[top.Name].Value, top.OutcomeSatisfaction!.Value.ToString("0.0", System.Globalization.CultureInfo.CurrentCulture), Pct(rate), Pct(all) };
        return rate <= all - 0.05
            ? text["Customers of the class “{0}” are the most satisfied with the outcome ({1} of 5), yet only {2} of them bought again, against {3} of all who answered: satisfied is not staying. Ask them what would bring them back.", args]
            : text["Customers of the class “{0}” are the most satisfied with the outcome ({1} of 5), and {2} of them bought again, against {3} of all who answered.", args];
    }

    public static IReadOnlyList<string> HowComputed(ThreeFacesReport result, IStringLocalizer text) =>
    [
        text["Scores are means over the answered surveys, 1 (very poor) to 5 (very good). Bought again: an order within {0} days after the complaint was resolved; an answer counts in that rate once its window has ended.", result.WindowDays],
        text["The reading names a class only when at least {0} of its answers have a window that has ended, and says “yet only” when its rate is five points or more below everyone's.", ThreeFacesReport.MinimumForReading],
        text["Each rate in the tables comes with n, the customers measured, and its 95 % interval (the Wilson score interval): the range the true rate lies in, 19 times in 20."],
    ];

    /// <summary>The survey's response rate, satisfaction with the outcome, and who actually bought again, over everyone who answered.</summary>
    public static IReadOnlyList<ComparedFigure> Figures(ThreeFacesReport now, ThreeFacesReport before, IStringLocalizer text)
    {
        static string Mean(double? v) => v is { } x ? x.ToString("0.0", System.Globalization.CultureInfo.CurrentCulture) : "—";
        var (a, b) = (now.Total, before.Total);
        return
        [
            new("response-rate", text["Response rate"], a.ResponseRate, b.ResponseRate, Pct(a.ResponseRate), Pct(b.ResponseRate), true, ChangeUnit.Points),
            new("outcome-satisfaction", text["Satisfaction with the outcome"], a.OutcomeSatisfaction, b.OutcomeSatisfaction, Mean(a.OutcomeSatisfaction), Mean(b.OutcomeSatisfaction), true, ChangeUnit.Score),
            new("bought-again", text["Actually bought again"], a.Repurchased.Rate, b.Repurchased.Rate, Pct(a.Repurchased.Rate), Pct(b.Repurchased.Rate), true, ChangeUnit.Points),
        ];
    }
}

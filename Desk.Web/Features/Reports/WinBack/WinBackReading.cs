using Microsoft.Extensions.Localization;
using static Desk.Web.Features.Reports.ReportText;

namespace Desk.Web.Features.Reports.WinBack;

/// <summary>What the win-back list tells a manager to do, its key figures against the period before, and how both are computed.</summary>
public static class WinBackReading
{
    /// <summary>How many went quiet, what they have spent, and whom to start with (the most valuable).</summary>
    public static string Reading(IReadOnlyList<WinBackRow> rows, IStringLocalizer text)
    {
        if (rows.Count == 0) return text["No customer has gone quiet after a complaint in this selection."];
        var first = rows[0];
        return text["{0} customers went quiet after their complaint; together they have spent {1}. Start with {2}, who has spent {3}: write or call.",
            Count(rows.Count), Money(rows.Sum(r => r.Value)), first.Name, Money(first.Value)];
    }

    public static IReadOnlyList<string> HowComputed(int limit, IStringLocalizer text) =>
    [
        text["Listed: customers whose latest complaint's repurchase window has ended with no order since, most valuable first, at most {0}.", limit],
        text["Spent: all the customer has ordered from us. The filters choose among customers' latest complaints: received in the dates, the customer's tenure then and level now."],
        text["The comparison counts the list over the complaints received in each period, with the same minimum; a customer is counted in the period of their latest complaint."],
    ];

    /// <summary>The list's size and what its customers have spent.</summary>
    public static IReadOnlyList<ComparedFigure> Figures(IReadOnlyList<WinBackRow> now, IReadOnlyList<WinBackRow> before, int limit, IStringLocalizer text)
    {
        string Size(IReadOnlyList<WinBackRow> rows) => Count(rows.Count) + (rows.Count >= limit ? "+" : "");
        var (value, valueBefore) = (now.Sum(r => r.Value), before.Sum(r => r.Value));
        return
        [
            new("list-size", text["Customers to win back"], now.Count, before.Count, Size(now), Size(before), false),
            new("list-value", text["What they have spent"], (double)value, (double)valueBefore, Money(value), Money(valueBefore), false),
        ];
    }
}

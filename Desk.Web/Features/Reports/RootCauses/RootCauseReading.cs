using Microsoft.Extensions.Localization;
using static Desk.Web.Features.Reports.ReportText;

namespace Desk.Web.Features.Reports.RootCauses;

/// <summary>What the Pareto tells a manager to do, its key figures against the period before, and how both are computed.</summary>
public static class RootCauseReading
{
    /// <summary>The cause to fix first, its count and share, and the other vital few; too thin below <see cref="MinimumGroup"/> complaints with a cause.</summary>
    public static string Reading(RootCausePareto result, IStringLocalizer text)
    {
        if (result.Total < MinimumGroup || result.Rows.Count == 0)
            return text["Too few complaints with a root cause in this period to rank the causes: widen the dates."];
        var top = result.Rows[0];
        var reading = text["Fix “{0}” first: it is behind {1} of the {2} complaints with a cause ({3}).",
            Name(top.Name, top.NameZh), Count(top.Complaints), Count(result.Total), top.Share.ToString("P0", System.Globalization.CultureInfo.CurrentCulture)].Value;
        var vital = result.Rows.Where(r => r.VitalFew).ToList();
        if (vital.Count < 2) return reading;
        return reading + text[" With the next {0} it makes {1} of them: {2}.", vital.Count - 1, Pct(vital[^1].Cumulative),
            string.Join(Chinese ? "、" : ", ", vital.Skip(1).Select(r => Name(r.Name, r.NameZh)))];
    }

    public static IReadOnlyList<string> HowComputed(IStringLocalizer text) =>
    [
        text["A complaint counts for the top-level cause of its root cause (a sub-cause counts for its cause); complaints not resolved yet have no cause and are counted apart, outside the shares."],
        text["The vital few: the causes, most first, that together make up the first 80 % of complaints with a cause, the one crossing 80 % included."],
        text["The reading ranks the causes only when at least {0} complaints have a cause.", MinimumGroup],
    ];

    /// <summary>Complaints with a cause, and the complaints of this period's top cause against the same cause's before.</summary>
    public static IReadOnlyList<ComparedFigure> Figures(RootCausePareto now, RootCausePareto before, IStringLocalizer text)
    {
        var figures = new List<ComparedFigure>
        {
            new("with-cause", text["Complaints with a cause"], now.Total, before.Total, Count(now.Total), Count(before.Total), false),
        };
        if (now.Rows.FirstOrDefault() is { } top)
        {
            var then = before.Rows.FirstOrDefault(r => r.RootCauseId == top.RootCauseId)?.Complaints ?? 0;
            figures.Add(new("top-cause", text["Complaints about “{0}”", Name(top.Name, top.NameZh)], top.Complaints, then, Count(top.Complaints), Count(then), false));
        }
        return figures;
    }
}

using Desk.Domain.Recovery;
using Desk.Web.Features.Shared;
using Microsoft.Extensions.Localization;
using static Desk.Web.Features.Reports.ReportText;

namespace Desk.Web.Features.Reports.Sla;

/// <summary>What the SLA report tells a manager to do, its key figures against the period before, and how both are computed.</summary>
public static class SlaReading
{
    /// <summary>
    /// The on-time rates, how many complaints missed their resolution time, and the agent who holds the most of them (the
    /// queue to look at first); too thin below <see cref="MinimumGroup"/> complaints that have reached a due time.
    /// </summary>
    public static string Reading(SlaReport result, IStringLocalizer text)
    {
        var (_, first, resolution) = result.Total();
        if (first.N < MinimumGroup && resolution.N < MinimumGroup)
            return text["Too few complaints in this period have reached their due time to say anything: widen the dates."];
        var missed = resolution.N - resolution.Successes;
        if (missed == 0)
            return text["Resolutions were on time {0} of the time and first responses {1}: no complaint missed its resolution time in this period.",
                Pct(resolution.Rate), Pct(first.Rate)];
        var worst = result.Agents.OrderByDescending(a => a.Resolution.N - a.Resolution.Successes).ThenBy(a => a.Agent, StringComparer.Ordinal).First();
        return text["Resolutions were on time {0} of the time and first responses {1}: {2} complaints were resolved late or are still open past their due time. {3} holds the most of them ({4}): look at that queue first.",
            Pct(resolution.Rate), Pct(first.Rate), Count(missed), worst.Agent.Length == 0 ? text["Unassigned"].Value : worst.Agent,
            Count(worst.Resolution.N - worst.Resolution.Successes)];
    }

    public static IReadOnlyList<string> HowComputed(IStringLocalizer text) =>
    [
        text["On time: the first response or the resolution came at or before its due time. A complaint still open past its due time counts as missed; one still open before it counts in no rate yet."],
        text["Complaints count by when they were received; the agent is the one who holds the complaint now."],
        text["In brackets in the tables: met / measured, the n of each rate."],
        text["The reading names the agent with the most missed resolutions; it says nothing when fewer than {0} complaints have reached a due time.", MinimumGroup],
    ];

    /// <summary>Complaints received and the two on-time rates, all severities together (the dashboard's tiles, over the strip's periods).</summary>
    public static IReadOnlyList<ComparedFigure> Figures(SlaReport now, SlaReport before, IStringLocalizer text)
    {
        var (tickets, first, resolution) = now.Total();
        var (ticketsBefore, firstBefore, resolutionBefore) = before.Total();
        return
        [
            new("complaints", text["Complaints in"], tickets, ticketsBefore, Count(tickets), Count(ticketsBefore), false),
            new("first-response", text["First response on time"], first.Rate, firstBefore.Rate, Pct(first.Rate), Pct(firstBefore.Rate), true, ChangeUnit.Points),
            new("resolution", text["Resolved on time"], resolution.Rate, resolutionBefore.Rate, Pct(resolution.Rate), Pct(resolutionBefore.Rate), true, ChangeUnit.Points),
        ];
    }
}

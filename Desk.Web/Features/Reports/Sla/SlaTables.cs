using Desk.Domain.Tickets;
using Desk.Web.Features.Reports.Downloads;

namespace Desk.Web.Features.Reports.Sla;

/// <summary>The SLA report's two tables as its downloads write them; met and measured beside each rate, so nothing needs recomputing.</summary>
public static class SlaTables
{
    /// <summary>One line per ISO week and severity.</summary>
    public static ReportTable Weeks(SlaReport result, ReportWords? words = null)
    {
        var t = words ?? ReportWords.Untranslated;
        return ReportTable.Of<SlaWeek>("SLA and team")
            .Add(new("week", "Week", ColumnKind.Code), w => w.IsoWeek)
            .Date("week_start", "Week starts", w => w.Week.ToDateTime(TimeOnly.MinValue))
            .Code("severity", "Severity", w => SeverityOf(t, w.Severity))
            .Count("complaints", "Complaints", w => w.Tickets)
            .Count("first_response_met", "First responses on time", w => w.FirstResponse.Successes)
            .Count("first_response_measured", "First responses measured", w => w.FirstResponse.N)
            .Percent("first_response_rate", "First response on time", w => w.FirstResponse.Rate)
            .Count("resolution_met", "Resolutions on time", w => w.Resolution.Successes)
            .Count("resolution_measured", "Resolutions measured", w => w.Resolution.N)
            .Percent("resolution_rate", "Resolved on time", w => w.Resolution.Rate)
            .Build(result.Weeks);
    }

    /// <summary>One line per period and severity: the weeks' table, or the months' with "month" and "month_start" in their place.</summary>
    public static ReportTable Periods(SlaReport result, SlaPeriod period, ReportWords? words = null)
    {
        if (period == SlaPeriod.Week) return Weeks(result, words);
        var t = words ?? ReportWords.Untranslated;
        return ReportTable.Of<SlaPeriodRow>("SLA and team")
            .Add(new("month", "Month", ColumnKind.Code), p => p.Key)
            .Date("month_start", "Month starts", p => p.Start.ToDateTime(TimeOnly.MinValue))
            .Code("severity", "Severity", p => SeverityOf(t, p.Severity))
            .Count("complaints", "Complaints", p => p.Tickets)
            .Count("first_response_met", "First responses on time", p => p.FirstResponse.Successes)
            .Count("first_response_measured", "First responses measured", p => p.FirstResponse.N)
            .Percent("first_response_rate", "First response on time", p => p.FirstResponse.Rate)
            .Count("resolution_met", "Resolutions on time", p => p.Resolution.Successes)
            .Count("resolution_measured", "Resolutions measured", p => p.Resolution.N)
            .Percent("resolution_rate", "Resolved on time", p => p.Resolution.Rate)
            .Build(result.Periods(SlaPeriod.Month));
    }

    /// <summary>One line per agent holding complaints; an empty agent is the complaints nobody holds.</summary>
    public static ReportTable Agents(SlaReport result, ReportWords? words = null)
    {
        var t = words ?? ReportWords.Untranslated;
        return ReportTable.Of<SlaAgent>("By agent")
            .Text("agent", "Agent", a => new Named(a.Agent, a.Agent.Length == 0 ? t["Unassigned"] : a.Agent, Typed: true))
            .Count("complaints", "Complaints", a => a.Tickets)
            .Count("first_response_met", "First responses on time", a => a.FirstResponse.Successes)
            .Count("first_response_measured", "First responses measured", a => a.FirstResponse.N)
            .Percent("first_response_rate", "First response on time", a => a.FirstResponse.Rate)
            .Count("resolution_met", "Resolutions on time", a => a.Resolution.Successes)
            .Count("resolution_measured", "Resolutions measured", a => a.Resolution.N)
            .Percent("resolution_rate", "Resolved on time", a => a.Resolution.Rate)
            .Count("resolved", "Resolved", a => a.Resolved)
            .Number("mean_hours_to_resolve", "Mean hours to resolve", a => a.MeanHoursToResolve, "0.0", "0.0")
            .Build(result.Agents);
    }

    public static Named SeverityOf(ReportWords t, Severity severity) => t.Code(severity.ToString(), severity == Severity.Major ? "Major" : "Minor");
}

using Desk.Web.Features.Queue;
using Desk.Web.Features.Reports.RootCauses;

namespace Desk.Web.Features.Reports;

/// <summary>
/// Where a report's cell or bar leads: the agents' queue (all views) cut to the complaints behind the number — the
/// report's own filters (dates, level, tenure, …) plus the cell's cut — so the queue's count is the cell's number.
/// </summary>
public static class ReportDrill
{
    /// <summary>The queue for a report filtered by dates, level and tenure, and <paramref name="cut"/> (its own dates narrow the report's).</summary>
    public static string Queue(ReportFilterForm form, QueueFilter cut) => Link(cut with
    {
        From = Later(form.From, cut.From), To = Earlier(form.To, cut.To), Level = form.Level, Tenure = form.Tenure,
    });

    /// <summary>The queue for the Pareto's filters (dates, severity, channel, product) and <paramref name="cut"/>.</summary>
    public static string Queue(ParetoForm form, QueueFilter cut) => Link(cut with
    {
        From = form.From, To = form.To, Severity = form.Severity, Channel = form.Channel,
        Product = string.IsNullOrWhiteSpace(form.Product) ? null : form.Product.Trim(),
    });

    /// <summary>
    /// The days of an SLA period (inclusive, UTC): a week from its Monday to its Sunday; a month as the SLA report adds it
    /// up, the ISO weeks whose Thursday falls in it — from the Monday before its first Thursday to the Sunday after its last.
    /// </summary>
    public static (DateOnly From, DateOnly To) SlaPeriod(Sla.SlaPeriod period, DateOnly start)
    {
        if (period == Sla.SlaPeriod.Week) return (start, start.AddDays(6));
        var first = start;
        while (first.DayOfWeek != DayOfWeek.Thursday) first = first.AddDays(1);
        var last = start.AddMonths(1).AddDays(-1);
        while (last.DayOfWeek != DayOfWeek.Thursday) last = last.AddDays(-1);
        return (first.AddDays(-3), last.AddDays(3));
    }

    private static string Link(QueueFilter cut) => "/" + (cut with { View = "all", Reported = true }).ToQuery();

    private static DateOnly? Later(DateOnly? a, DateOnly? b) => a is null ? b : b is null ? a : (a > b ? a : b);

    private static DateOnly? Earlier(DateOnly? a, DateOnly? b) => a is null ? b : b is null ? a : (a < b ? a : b);
}

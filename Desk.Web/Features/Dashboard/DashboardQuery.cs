using System.Globalization;
using Desk.Domain.Recovery;
using Desk.Web.Features.Queue;
using Desk.Web.Features.Reports;
using Desk.Web.Features.Reports.Recovery;
using Desk.Web.Features.Reports.RootCauses;
using Desk.Web.Features.Reports.Sla;
using Desk.Web.Features.Reports.WinBack;

namespace Desk.Web.Features.Dashboard;

/// <summary>A span of days, [From, To) at midnight UTC, as the reports' date filters take it (To is the day after the last).</summary>
public sealed record Period(DateOnly From, DateOnly To)
{
    /// <summary>The last day in the period (the reports' "to", which is inclusive).</summary>
    public DateOnly Last => To.AddDays(-1);

    public RecoveryFilter Filter => new(From.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), To.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));

    public ParetoFilter Pareto => new(Filter.From, Filter.To);

    /// <summary>The query string of a report over this period.</summary>
    public string Query => string.Create(CultureInfo.InvariantCulture, $"from={From:yyyy-MM-dd}&to={Last:yyyy-MM-dd}");

    public Period Minus(int days) => new(From.AddDays(-days), To.AddDays(-days));
}

/// <summary>One figure over this period, the one before and the same period a year ago (null where it has no count).</summary>
public sealed record Compared<T>(T Now, T Before, T YearAgo);

/// <summary>The complaints received in a period and how many met their targets (the SLA report's figures over it).</summary>
public sealed record FlowFigures(long Complaints, Proportion FirstResponse, Proportion Resolution);

/// <summary>
/// Resolved complaints received in a period (late and within target together, as the recovery report's two right columns):
/// who bought again among those whose window has ended, how many are still pending, what the remedies cost and what the
/// customers spent in their window after.
/// </summary>
public sealed record RecoveryFigures(Proportion Repurchased, long Pending, decimal RemedyCost, decimal RevenueAfter)
{
    /// <summary>The share still pending (window not ended) among all resolved complaints of the period.</summary>
    public double? PendingShare => Repurchased.N + Pending == 0 ? null : (double)Pending / (Repurchased.N + Pending);
}

/// <summary>A top-level root cause with its complaints in the last four weeks and the four before.</summary>
public sealed record RisingCause(int RootCauseId, string Name, string NameZh, long Now, long Before)
{
    public string Display => CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal) ? NameZh : Name;
}

public sealed record Dashboard(
    DateTime Now, Period Week, Period LastWeek, Period YearAgo, Compared<FlowFigures> Flow, long Open, long Overdue,
    Period Year, Period YearBefore, RecoveryFigures Recovery, RecoveryFigures RecoveryBefore,
    Period Recent, Period RecentBefore, IReadOnlyList<RisingCause> Rising, int WinBackCount, decimal WinBackValue, int WinBackLimit);

/// <summary>
/// The managers' landing page, read from the same queries as the reports each tile links to (so a tile's number is the
/// report's over the tile's period) and the queue's maintained counters. The week is the last seven days (today and the
/// six before, UTC days, as the reports' date filters take them), compared with the seven before and the same days a
/// year ago (52 weeks back: the same weekdays). A rolling week, not the calendar week so far: on a Monday morning the
/// calendar week holds a few hours and compares with nothing. Outcomes need time: repurchase and money are over the
/// last 365 days against the 365 before.
/// </summary>
public sealed class DashboardQuery(SlaReportQuery sla, RecoveryMatrixQuery recovery, RootCauseParetoQuery pareto, WinBackQuery winBack,
    QueueCounts counts, TimeProvider clock)
{
    /// <summary>How many customers the win-back report lists (and so the tile counts).</summary>
    public const int WinBackLimit = 100;

    public async Task<Dashboard> ReadAsync(string me, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(now);
        var week = new Period(today.AddDays(-6), today.AddDays(1));
        var (lastWeek, yearAgo) = (week.Minus(7), week.Minus(364));

        var flow = new Compared<FlowFigures>(await FlowAsync(week, ct), await FlowAsync(lastWeek, ct), await FlowAsync(yearAgo, ct));
        var queue = await counts.ReadAsync(me, now, ct);

        var year = new Period(today.AddDays(-364), today.AddDays(1));
        var yearBefore = year.Minus(365);
        var recent = new Period(today.AddDays(-27), today.AddDays(1));
        var recentBefore = recent.Minus(28);
        var (nowCauses, beforeCauses) = (await pareto.RunAsync(recent.Pareto, ct), await pareto.RunAsync(recentBefore.Pareto, ct));
        var rising = nowCauses.Rows
            .Select(r => new RisingCause(r.RootCauseId, r.Name, r.NameZh, r.Complaints,
                beforeCauses.Rows.FirstOrDefault(b => b.RootCauseId == r.RootCauseId)?.Complaints ?? 0))
            .Where(c => c.Now > c.Before)
            .OrderByDescending(c => c.Now - c.Before).ThenByDescending(c => c.Now).Take(3).ToList();

        var list = await winBack.RunAsync(new RecoveryFilter(), 0m, WinBackLimit, ct);
        return new Dashboard(now, week, lastWeek, yearAgo, flow, queue.ByView["open"], queue.ByView["overdue"],
            year, yearBefore, await RecoveryAsync(year, ct), await RecoveryAsync(yearBefore, ct),
            recent, recentBefore, rising, list.Count, list.Sum(r => r.Value), WinBackLimit);
    }

    private async Task<FlowFigures> FlowAsync(Period period, CancellationToken ct)
    {
        var (tickets, firstResponse, resolution) = (await sla.RunAsync(period.Filter, ct)).Total();
        return new FlowFigures(tickets, firstResponse, resolution);
    }

    private async Task<RecoveryFigures> RecoveryAsync(Period period, CancellationToken ct)
    {
        var matrix = await recovery.RunAsync(period.Filter, ct);
        var resolved = matrix.Cells.Where(c => c.Column is RecoveryColumn.ResolvedLate or RecoveryColumn.ResolvedWithinTarget).ToList();
        return new RecoveryFigures(
            new Proportion(resolved.Sum(c => c.Repurchased.Successes), resolved.Sum(c => c.Repurchased.N)),
            resolved.Sum(c => c.Pending), resolved.Sum(c => c.RemedyCost), resolved.Sum(c => c.RevenueAfter));
    }
}

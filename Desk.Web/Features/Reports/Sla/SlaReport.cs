using Desk.Web.Features.Reports.Recovery;
using System.Globalization;
using Desk.Domain.Recovery;
using Desk.Domain.Tickets;
using Desk.Web.Data;

namespace Desk.Web.Features.Reports.Sla;

/// <summary>
/// One severity in one ISO week (of receipt; <see cref="Week"/> is its Monday): the complaints received, and of those
/// whose target time has been settled, how many met it. A ticket still open before its due time is in
/// <see cref="Tickets"/> but in neither rate.
/// </summary>
public sealed record SlaWeek(DateOnly Week, Severity Severity, long Tickets, Proportion FirstResponse, Proportion Resolution)
{
    /// <summary>"2026-W19": the ISO 8601 year and week, as a manager reads it.</summary>
    public string IsoWeek => SlaReport.IsoWeekOf(Week);
}

/// <summary>One agent's complaints (those assigned to them now; "" for nobody): compliance, and the mean time to resolve those resolved.</summary>
public sealed record SlaAgent(string Agent, long Tickets, Proportion FirstResponse, Proportion Resolution, long Resolved, double? MeanHoursToResolve);

/// <summary>How the SLA report adds up its weeks: by month (the default: two years are 25 lines, not 105) or by ISO week.</summary>
public enum SlaPeriod { Month, Week }

/// <summary>
/// One severity in one period: <see cref="Key"/> is "2026-W19" for a week, "2026-05" for a month (as the downloads and the
/// page's data attributes write it), <see cref="Start"/> its first day.
/// </summary>
public sealed record SlaPeriodRow(string Key, DateOnly Start, Severity Severity, long Tickets, Proportion FirstResponse, Proportion Resolution);

public sealed record SlaReport(RecoveryFilter Filter, DateTime Now, IReadOnlyList<SlaWeek> Weeks, IReadOnlyList<SlaAgent> Agents)
{
    /// <summary>
    /// The weeks added up by period, oldest first. A month holds the ISO weeks whose Thursday falls in it (ISO 8601's own
    /// rule for which year a week belongs to), so every month is four or five whole weeks: the SLA rollup keeps weeks, and a
    /// week split across two months could not be told apart again. Re-adding these few hundred weekly sums is all the
    /// month view costs; the query is the same.
    /// </summary>
    public IReadOnlyList<SlaPeriodRow> Periods(SlaPeriod period) => period == SlaPeriod.Week
        ? [.. Weeks.Select(w => new SlaPeriodRow(w.IsoWeek, w.Week, w.Severity, w.Tickets, w.FirstResponse, w.Resolution))]
        : [.. Weeks.GroupBy(w => (Month: MonthOf(w.Week), w.Severity))
            .Select(g => new SlaPeriodRow(g.Key.Month.ToString("yyyy-MM", CultureInfo.InvariantCulture), g.Key.Month, g.Key.Severity,
                g.Sum(w => w.Tickets), Sum(g.Select(w => w.FirstResponse)), Sum(g.Select(w => w.Resolution))))
            .OrderBy(p => p.Start).ThenBy(p => p.Severity)];

    /// <summary>The first day of the month an ISO week (given by its Monday) is counted in: its Thursday's.</summary>
    public static DateOnly MonthOf(DateOnly monday)
    {
        var thursday = monday.AddDays(3);
        return new DateOnly(thursday.Year, thursday.Month, 1);
    }

    /// <summary>The weeks, oldest first, that have any complaint.</summary>
    public IReadOnlyList<DateOnly> WeekStarts => [.. Weeks.Select(w => w.Week).Distinct().Order()];

    public SlaWeek? Week(DateOnly week, Severity severity) => Weeks.SingleOrDefault(w => w.Week == week && w.Severity == severity);

    /// <summary>All weeks together, for one severity, or for all when null.</summary>
    public (long Tickets, Proportion FirstResponse, Proportion Resolution) Total(Severity? severity = null)
    {
        var weeks = Weeks.Where(w => severity is null || w.Severity == severity).ToList();
        return (weeks.Sum(w => w.Tickets), Sum(weeks.Select(w => w.FirstResponse)), Sum(weeks.Select(w => w.Resolution)));
    }

    private static Proportion Sum(IEnumerable<Proportion> parts) => parts.Aggregate(new Proportion(0, 0), (s, p) => new Proportion(s.Successes + p.Successes, s.N + p.N));

    public static string IsoWeekOf(DateOnly monday)
    {
        var day = monday.ToDateTime(TimeOnly.MinValue);
        return string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(day)}-W{ISOWeek.GetWeekOfYear(day):00}");
    }
}

/// <summary>
/// SLA compliance, in SQL: complaints (kind Complaint, not rejected — as every report counts them) received in
/// [From, To), filtered by the customers' level and tenure with the recovery matrix's join.
/// <list type="bullet">
/// <item>First response: met when the first response came at or before its due time; breached when it came later,
/// or has not come and the due time has passed; a ticket with no response yet before its due time is in no rate.</item>
/// <item>Resolution: met when the ticket is resolved (Resolved, FollowUp, Closed — as the matrix reads it) at or
/// before its due time; breached when resolved later, or still open past its due time. A reopened ticket is open
/// again (its earlier resolution is void, as in the matrix) until it is resolved anew.</item>
/// <item>Week: the ISO week of receipt (Monday to Sunday, UTC), grouped by its Monday.</item>
/// </list>
/// </summary>
public sealed class SlaReportQuery(DeskDbContext db, TimeProvider clock)
{

    /// <summary>
    /// The complaints' outcomes against their targets (1 met, 0 missed, NULL not settled yet) by week, severity and
    /// agent (a few thousand groups): with a <paramref name="cutoff"/>, the whole weeks' settled complaints from the SLA
    /// rollup and the rest live from the kept outcomes (<see cref="RollupPlan"/>); without one, all of them live. Then
    /// added up by week and severity and by agent: rows with a Week are the week table, rows with an Agent the agent
    /// table. Parameters @now, @cutoff, @from, @to, @level, @band, @tenureMin, @tenureMax (one text for both databases). The week is counted in whole days from the Unix epoch (a Thursday): (day + 3) / 7 changes on
    /// Mondays — integer arithmetic, where date() per row made the query 40 % slower at a million tickets; it also
    /// left the weeks and the agents as two scans. Public for the bench.
    /// </summary>
    public static string Sql(RecoveryFilter filter, long? cutoff = null)
    {
        const string live = """
            SELECT f."Severity", f."Agent", (f."ReceivedAt" / 86400000 + 3) / 7 AS "Week",
                   CASE WHEN f."FirstRespondedAt" IS NOT NULL THEN CASE WHEN f."FirstRespondedAt" <= f."FirstResponseDueAt" THEN 1 ELSE 0 END
                        WHEN @now > f."FirstResponseDueAt" THEN 0 END AS "FirstMet",
                   CASE WHEN f."ResolvedAt" IS NOT NULL THEN CASE WHEN f."ResolvedAt" <= f."ResolutionDueAt" THEN 1 ELSE 0 END
                        WHEN @now > f."ResolutionDueAt" THEN 0 END AS "ResolutionMet",
                   f."ResolvedAt" - f."ReceivedAt" AS "ToResolve"
            FROM "ComplaintOutcomes" AS f
            """;
        const string grouped = """
            SELECT s."Week", s."Severity", s."Agent", COUNT(*) AS "Tickets",
                   COALESCE(SUM(s."FirstMet"), 0) AS "FirstMet", COUNT(s."FirstMet") AS "FirstMeasured",
                   COALESCE(SUM(s."ResolutionMet"), 0) AS "ResolutionMet", COUNT(s."ResolutionMet") AS "ResolutionMeasured",
                   COUNT(s."ToResolve") AS "Resolved", COALESCE(SUM(s."ToResolve"), 0) AS "ToResolve"
            """;
        var parts = new List<string>();
        if (cutoff is null)
            parts.Add($"{grouped} FROM ({live} WHERE {RecoveryMatrixQuery.Where(filter, "f")}) AS s GROUP BY 1, 2, 3");
        else
        {
            var plan = RollupPlan.Of(filter.From, filter.To, "f.\"ReceivedAt\"");
            if (plan.HasRollup)
                parts.Add($"""
                    SELECT r."Week", r."Severity", r."Agent", SUM(r."Tickets"), SUM(r."FirstMet"), SUM(r."Tickets"), SUM(r."ResolutionMet"), SUM(r."Tickets"),
                           SUM(r."Resolved"), SUM(r."ToResolve")
                    FROM "SlaRollup" AS r WHERE {plan.Weeks("r.\"Week\"")}{RecoveryMatrixQuery.RollupSegment(filter, "r")} GROUP BY 1, 2, 3
                    """);
            foreach (var (range, unsettledOnly) in plan.Live)
                parts.Add($"""
                    {grouped} FROM ({live} WHERE {RecoveryMatrixQuery.Where(filter with { From = null, To = null }, "f")} AND {range}{(unsettledOnly ? " AND f.\"SlaSettledAt\" > @cutoff" : "")}) AS s
                    GROUP BY 1, 2, 3
                    """);
        }
        return $"""
            WITH g AS MATERIALIZED (
                SELECT u."Week", u."Severity", u."Agent", SUM(u."Tickets") AS "Tickets", SUM(u."FirstMet") AS "FirstMet", SUM(u."FirstMeasured") AS "FirstMeasured",
                       SUM(u."ResolutionMet") AS "ResolutionMet", SUM(u."ResolutionMeasured") AS "ResolutionMeasured", SUM(u."Resolved") AS "Resolved",
                       SUM(u."ToResolve") AS "ToResolve"
                FROM (SELECT 0 AS "Week", 0 AS "Severity", '' AS "Agent", 0 AS "Tickets", 0 AS "FirstMet", 0 AS "FirstMeasured", 0 AS "ResolutionMet",
                             0 AS "ResolutionMeasured", 0 AS "Resolved", 0 AS "ToResolve" WHERE false
                      UNION ALL {string.Join("\n UNION ALL ", parts)}) AS u
                GROUP BY u."Week", u."Severity", u."Agent")
            SELECT g."Week", {RecoveryMatrixQuery.SeverityName("g")}, NULL, SUM(g."Tickets"), SUM(g."FirstMet"), SUM(g."FirstMeasured"), SUM(g."ResolutionMet"), SUM(g."ResolutionMeasured"), SUM(g."Resolved"), SUM(g."ToResolve")
            FROM g GROUP BY g."Week", g."Severity"
            UNION ALL
            SELECT NULL, NULL, g."Agent", SUM(g."Tickets"), SUM(g."FirstMet"), SUM(g."FirstMeasured"), SUM(g."ResolutionMet"), SUM(g."ResolutionMeasured"), SUM(g."Resolved"), SUM(g."ToResolve")
            FROM g GROUP BY g."Agent"
            """;
    }

    public async Task<SlaReport> RunAsync(RecoveryFilter filter, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var read = await ReportOutcomes.ReadAsync(db, now, ct);
        var (cutoff, settings) = (read.Cutoff, read.Settings);
        var parameters = RecoveryMatrixQuery.Parameters(filter, now, settings, cutoff).ToDictionary(p => p.Name, p => p.Value);

        var weeks = new List<SlaWeek>();
        var agents = new List<SlaAgent>();
        await using (var command = await ReportSql.CommandAsync(db, Sql(filter, cutoff), parameters, ct))
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var (tickets, first, resolution) = (reader.GetInt64(3),
                    new Proportion(reader.GetInt64(4), reader.GetInt64(5)), new Proportion(reader.GetInt64(6), reader.GetInt64(7)));
                if (!reader.IsDBNull(0))
                    weeks.Add(new SlaWeek(Epoch.AddDays(checked((int)(reader.GetInt64(0) * 7 - 3))), Enum.Parse<Severity>(reader.GetString(1)), tickets, first, resolution));
                else
                {
                    var resolved = reader.GetInt64(8);
                    agents.Add(new SlaAgent(reader.GetString(2), tickets, first, resolution, resolved,
                        resolved == 0 ? null : Math.Round(reader.GetInt64(9) / (double)resolved / 3_600_000, 1)));
                }
            }
        }
        // Minor before major, as the enum and the recovery matrix read; agents with the most complaints first.
        return new SlaReport(filter, now, [.. weeks.OrderBy(w => w.Week).ThenBy(w => w.Severity)],
            [.. agents.OrderByDescending(a => a.Tickets).ThenBy(a => a.Agent, StringComparer.Ordinal)]);
    }

    /// <summary>Day 0 of the week count: 1 January 1970, a Thursday; week w starts on day 7w − 3, a Monday.</summary>
    private static readonly DateOnly Epoch = new(1970, 1, 1);
}

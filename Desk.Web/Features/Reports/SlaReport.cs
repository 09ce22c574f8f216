using System.Globalization;
using Desk.Domain.Recovery;
using Desk.Domain.Tickets;
using Desk.Web.Data;

namespace Desk.Web.Features.Reports;

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

public sealed record SlaReport(RecoveryFilter Filter, DateTime Now, IReadOnlyList<SlaWeek> Weeks, IReadOnlyList<SlaAgent> Agents)
{
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
    private const string Resolved = "'Resolved', 'FollowUp', 'Closed'";

    /// <summary>
    /// The complaints with each one's outcome against its targets (1 met, 0 breached, NULL not settled yet);
    /// parameters $now, $from, $to and the customer join's. The Monday of the ISO week: back three days, then on to
    /// the Thursday (the day that names the ISO week), then back to its Monday.
    /// </summary>
    private static string Complaints(RecoveryFilter filter) => $"""
        WITH s AS (
            SELECT t.Severity, COALESCE(t.AssignedTo, '') AS Agent,
                   date(t.ReceivedAt / 1000, 'unixepoch', '-3 days', 'weekday 4', '-3 days') AS Week,
                   CASE WHEN t.FirstRespondedAt IS NOT NULL THEN t.FirstRespondedAt <= t.FirstResponseDueAt
                        WHEN $now > t.FirstResponseDueAt THEN 0 END AS FirstMet,
                   CASE WHEN t.State IN ({Resolved}) THEN t.ResolvedAt <= t.ResolutionDueAt
                        WHEN $now > t.ResolutionDueAt THEN 0 END AS ResolutionMet,
                   CASE WHEN t.State IN ({Resolved}) THEN t.ResolvedAt - t.ReceivedAt END AS ToResolve
            FROM Tickets AS t {RecoveryMatrixQuery.CustomerJoin(filter)}
            WHERE t.Kind = 'Complaint' AND t.State <> 'Rejected'
              AND ($from IS NULL OR t.ReceivedAt >= $from) AND ($to IS NULL OR t.ReceivedAt < $to))
        """;

    /// <summary>By week and severity (at most a few hundred rows). Public for the bench.</summary>
    public static string WeeksSql(RecoveryFilter filter) => Complaints(filter) + """
        SELECT s.Week, s.Severity, COUNT(*), COALESCE(SUM(s.FirstMet), 0), COUNT(s.FirstMet), COALESCE(SUM(s.ResolutionMet), 0), COUNT(s.ResolutionMet)
        FROM s GROUP BY s.Week, s.Severity ORDER BY s.Week, s.Severity
        """;

    /// <summary>By agent, most complaints first. Public for the bench.</summary>
    public static string AgentsSql(RecoveryFilter filter) => Complaints(filter) + """
        SELECT s.Agent, COUNT(*), COALESCE(SUM(s.FirstMet), 0), COUNT(s.FirstMet), COALESCE(SUM(s.ResolutionMet), 0), COUNT(s.ResolutionMet),
               COUNT(s.ToResolve), AVG(s.ToResolve)
        FROM s GROUP BY s.Agent ORDER BY COUNT(*) DESC, s.Agent
        """;

    public async Task<SlaReport> RunAsync(RecoveryFilter filter, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var settings = await ReportSql.SettingsAsync(db, ct);
        var parameters = RecoveryMatrixQuery.Parameters(filter, now, settings).ToDictionary(p => p.Name, p => p.Value);

        var weeks = new List<SlaWeek>();
        await using (var command = await ReportSql.CommandAsync(db, WeeksSql(filter), parameters, ct))
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                weeks.Add(new SlaWeek(DateOnly.ParseExact(reader.GetString(0), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                    Enum.Parse<Severity>(reader.GetString(1)), reader.GetInt64(2),
                    new Proportion(reader.GetInt64(3), reader.GetInt64(4)), new Proportion(reader.GetInt64(5), reader.GetInt64(6))));
        }

        var agents = new List<SlaAgent>();
        await using (var command = await ReportSql.CommandAsync(db, AgentsSql(filter), parameters, ct))
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                agents.Add(new SlaAgent(reader.GetString(0), reader.GetInt64(1),
                    new Proportion(reader.GetInt64(2), reader.GetInt64(3)), new Proportion(reader.GetInt64(4), reader.GetInt64(5)),
                    reader.GetInt64(6), reader.IsDBNull(7) ? null : Math.Round(reader.GetDouble(7) / 3_600_000, 1)));
        }
        // SQL orders severities by name; the report reads minor before major, as the enum and the recovery matrix do.
        return new SlaReport(filter, now, [.. weeks.OrderBy(w => w.Week).ThenBy(w => w.Severity)], agents);
    }
}

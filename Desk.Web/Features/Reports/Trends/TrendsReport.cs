using System.Globalization;
using Desk.Domain.Loyalty;
using Desk.Domain.Recovery;
using Desk.Web.Data;
using Desk.Web.Features.Reports.Recovery;
using Desk.Web.Features.Reports.Sla;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Reports.Trends;

/// <summary>What the trends report draws a line for: all complaints together, or one line per top-level root cause, channel, severity or loyalty class.
/// The numbers are <c>TrendRollup</c>'s <c>Split</c> (<see cref="ReportDialect.TrendSplits"/>): do not renumber.</summary>
public enum TrendSplit { None = 0, Cause = 1, Channel = 2, Severity = 3, Class = 4 }

/// <summary>
/// What a group of complaints received in one period came to: how many, the first responses and resolutions on time (as the SLA
/// report counts them), among the resolved complaints whose repurchase window has ended how many bought again (and how many
/// are still pending, in no rate), and what the remedies cost.
/// </summary>
public sealed record TrendMeasures(long Complaints, Proportion FirstResponse, Proportion Resolution, Proportion BoughtAgain, long Pending, decimal RemedyCost)
{
    public static readonly TrendMeasures Zero = new(0, new(0, 0), new(0, 0), new(0, 0), 0, 0m);

    public TrendMeasures Add(TrendMeasures o) => new(Complaints + o.Complaints, Sum(FirstResponse, o.FirstResponse), Sum(Resolution, o.Resolution),
        Sum(BoughtAgain, o.BoughtAgain), Pending + o.Pending, RemedyCost + o.RemedyCost);

    public static TrendMeasures Total(IEnumerable<TrendMeasures> parts) => parts.Aggregate(Zero, (s, p) => s.Add(p));

    private static Proportion Sum(Proportion a, Proportion b) => new(a.Successes + b.Successes, a.N + b.N);
}

/// <summary>
/// One period of the trend: <see cref="Key"/> "2026-W19" for an ISO week, "2026-05" for a month (the ISO weeks whose Thursday
/// falls in it, as the SLA report adds them up), <see cref="Start"/> its Monday, <see cref="Days"/> 7 or 28/35 days.
/// <see cref="DaysCovered"/> is how many of its days the report can have seen: up to today and inside the filter's dates.
/// </summary>
public sealed record TrendPeriod(string Key, DateOnly Start, int Days, int DaysCovered, bool Current)
{
    /// <summary>A period the report saw only part of — the one running now ("so far"), or one the dates cut — so a low count is no drop.</summary>
    public bool Partial => DaysCovered < Days;
}

/// <summary>One line of the trend: <see cref="Key"/> is the raw code ("" for the total, a cause's id, Email, Major, LoyalHighSales).</summary>
public sealed record TrendGroup(string Key, string Name, string NameZh, long Complaints);

/// <summary>One group in one period (only those with complaints).</summary>
public sealed record TrendCell(TrendPeriod Period, TrendGroup Group, TrendMeasures Measures);

public sealed record TrendsReport(RecoveryFilter Filter, DateTime Now, SlaPeriod PeriodKind, TrendSplit Split, int WindowDays,
    IReadOnlyList<TrendPeriod> Periods, IReadOnlyList<TrendGroup> Groups, IReadOnlyList<TrendCell> Cells)
{
    /// <summary>The groups in the chart before the rest are added up as "Other".</summary>
    public const int ChartGroups = 6;

    public TrendMeasures Measures(TrendPeriod period, TrendGroup group) => ByCell.GetValueOrDefault((period.Key, group.Key)) ?? TrendMeasures.Zero;

    /// <summary>All groups of one period together.</summary>
    public TrendMeasures Total(TrendPeriod period) => ByPeriod.GetValueOrDefault(period.Key) ?? TrendMeasures.Zero;

    // The page asks for every period of every group (a hundred weeks by a dozen groups): looked up, not searched.
    private Dictionary<(string Period, string Group), TrendMeasures> ByCell => field ??= Cells.ToDictionary(c => (c.Period.Key, c.Group.Key), c => c.Measures);

    private Dictionary<string, TrendMeasures> ByPeriod => field ??=
        Cells.GroupBy(c => c.Period.Key).ToDictionary(g => g.Key, g => TrendMeasures.Total(g.Select(c => c.Measures)));

    /// <summary>Every period together.</summary>
    public TrendMeasures Total() => TrendMeasures.Total(Cells.Select(c => c.Measures));

    /// <summary>The last two whole periods (the partial one left out), newest first, or null when there are not two.</summary>
    public (TrendPeriod Last, TrendPeriod Before)? LastTwoWhole()
    {
        var whole = Periods.Where(p => !p.Partial).ToList();
        return whole.Count < 2 ? null : (whole[^1], whole[^2]);
    }
}

/// <summary>
/// Complaint volume and the key rates over time, in SQL over the kept outcomes (<see cref="ReportDialect"/>) — never the
/// orders. Complaints as every report counts them (kind Complaint, not rejected), by the ISO week of receipt (Monday to
/// Sunday, UTC; <see cref="ReportDialect.Week"/>), filtered like the recovery matrix (<see cref="RecoveryMatrixQuery.Where"/>).
/// <list type="bullet">
/// <item>First response and resolution on time: the SLA report's rule (<see cref="SlaReportQuery"/>): met, missed, or not yet
/// due and in no rate.</item>
/// <item>Bought again: the resolved complaints (resolved late or within target, repeat complaints included) whose window
/// (<see cref="RecoverySettings.RepurchaseWindow"/>) has ended, with an order in it; those whose window is open are pending.</item>
/// <item>Remedy cost: the remedies given on the period's complaints.</item>
/// </list>
/// Every split reads weekly rollups for the whole weeks and only the rest live (<see cref="RollupPlan"/>): all complaints
/// and the split by severity the matrix's <c>MatrixRollup</c> and <c>PendingRollup</c> and the SLA report's
/// <c>SlaRollup</c>; the splits by root cause, channel and loyalty class <c>TrendRollup</c>, which keeps the same three
/// settled parts per group.
/// </summary>
public sealed class TrendsQuery(DeskDbContext db, TimeProvider clock, LoyaltyThresholds thresholds)
{
    private const string Columns = """
        0 AS "Week", '' AS "Grp", 0 AS "Complaints", 0 AS "FirstMet", 0 AS "FirstMeasured", 0 AS "ResolutionMet", 0 AS "ResolutionMeasured",
        0 AS "Bought", 0 AS "Measured", 0 AS "Pending", 0 AS "Cost"
        """;

    /// <summary>The SLA report's first-response outcome of kept row f: 1 met, 0 missed, NULL not due yet.</summary>
    private const string FirstMet = """
        CASE WHEN f."FirstRespondedAt" IS NOT NULL THEN CASE WHEN f."FirstRespondedAt" <= f."FirstResponseDueAt" THEN 1 ELSE 0 END
             WHEN @now > f."FirstResponseDueAt" THEN 0 END
        """;

    private const string ResolutionMet = """
        CASE WHEN f."ResolvedAt" IS NOT NULL THEN CASE WHEN f."ResolvedAt" <= f."ResolutionDueAt" THEN 1 ELSE 0 END
             WHEN @now > f."ResolutionDueAt" THEN 0 END
        """;

    /// <summary>Every measure of kept rows f as of @now.</summary>
    private static readonly string Live = $"""
        COUNT(*), COALESCE(SUM({FirstMet}), 0), COUNT({FirstMet}), COALESCE(SUM({ResolutionMet}), 0), COUNT({ResolutionMet}),
        COUNT(CASE WHEN f."Cell" > 0 AND f."Anchor" + @window <= @now AND f."Revenue" IS NOT NULL THEN 1 END),
        COUNT(CASE WHEN f."Cell" > 0 AND f."Anchor" + @window <= @now THEN 1 END),
        COUNT(CASE WHEN f."Cell" > 0 AND f."Anchor" + @window > @now THEN 1 END), COALESCE(SUM(f."RemedyCost"), 0)
        """;

    /// <summary>The group of kept row (or rollup row) <paramref name="alias"/>, as text.</summary>
    private static string Group(TrendSplit split, string alias) => split switch
    {
        TrendSplit.Severity => RecoveryMatrixQuery.SeverityName(alias),
        TrendSplit.Cause => $"COALESCE(CAST({alias}.\"RootTop\" AS TEXT), '')",
        TrendSplit.Channel => $"{alias}.\"Channel\"",
        TrendSplit.Class => $"{alias}.\"LoyaltyClass\"",
        _ => "''",
    };

    /// <summary>Whether the matrix, pending and SLA rollups keep what <paramref name="split"/> cuts by (the others are in <c>TrendRollup</c>).</summary>
    private static bool InMatrixRollups(TrendSplit split) => split is TrendSplit.None or TrendSplit.Severity;

    /// <summary>
    /// The statement: per week of receipt and group, the measures' counts (money in cents). With a <paramref name="cutoff"/>,
    /// the whole weeks from the rollups plus what changed since the cutoff, the part weeks live; without one every kept row live. Parameters those of <see cref="RecoveryMatrixQuery.Parameters"/>. Public for the bench.
    /// </summary>
    public static string Sql(RecoveryFilter filter, TrendSplit split, long? cutoff = null)
    {
        var week = ReportDialect.Week("f.\"ReceivedAt\"");
        var group = Group(split, "f");
        var parts = new List<string>();
        if (cutoff is null)
            parts.Add($"SELECT {week}, {group}, {Live} FROM \"ComplaintOutcomes\" AS f WHERE {RecoveryMatrixQuery.Where(filter, "f")} GROUP BY 1, 2");
        else
        {
            var plan = RollupPlan.Of(filter.From, filter.To, "f.\"ReceivedAt\"");
            var where = RecoveryMatrixQuery.Where(filter with { From = null, To = null }, "f");
            if (plan.HasRollup && !InMatrixRollups(split))
            {
                // The three settled parts added up per split's group (ReportDialect's TrendRollup): as the three rollups below.
                parts.Add($"""
                    SELECT t."Week", t."Grp", SUM(t."Complaints"), SUM(t."FirstMet"), SUM(t."Tickets"), SUM(t."ResolutionMet"), SUM(t."Tickets"),
                           SUM(t."Bought"), SUM(t."Measured"), SUM(t."Pending"), SUM(t."Cost")
                    FROM "TrendRollup" AS t WHERE t."Split" = {(int)split} AND {plan.Weeks("t.\"Week\"")}{RecoveryMatrixQuery.RollupSegment(filter, "t")}
                    GROUP BY 1, 2
                    """);
            }
            else if (plan.HasRollup)
            {
                string Rollup(string table, string alias, string measures) =>
                    $"SELECT {alias}.\"Week\", {Group(split, alias)}, {measures} FROM \"{table}\" AS {alias} " +
                    $"WHERE {plan.Weeks($"{alias}.\"Week\"")}{RecoveryMatrixQuery.RollupSegment(filter, alias)} GROUP BY 1, 2";
                // Settled for the matrix (window ended by the cutoff) and pending then: together every complaint of the weeks.
                parts.Add(Rollup("MatrixRollup", "r", """
                    SUM(r."N"), 0, 0, 0, 0, SUM(CASE WHEN r."Cell" > 0 THEN r."Repurchased" ELSE 0 END), SUM(CASE WHEN r."Cell" > 0 THEN r."N" ELSE 0 END), 0, SUM(r."RemedyCost")
                    """));
                parts.Add(Rollup("PendingRollup", "p", """
                    SUM(p."N"), 0, 0, 0, 0, 0, 0, SUM(CASE WHEN p."Cell" > 0 THEN p."N" ELSE 0 END), SUM(p."RemedyCost")
                    """));
                // Settled for the SLA report by the cutoff: every one measured.
                parts.Add(Rollup("SlaRollup", "s", """
                    0, SUM(s."FirstMet"), SUM(s."Tickets"), SUM(s."ResolutionMet"), SUM(s."Tickets"), 0, 0, 0, 0
                    """));
            }
            foreach (var (range, sinceCutoff) in plan.Live)
            {
                if (!sinceCutoff)
                {
                    parts.Add($"SELECT {week}, {group}, {Live} FROM \"ComplaintOutcomes\" AS f WHERE {where} AND {range} GROUP BY 1, 2");
                    continue;
                }
                // Pending at the cutoff, window ended since: measured now, pending no more (the matrix reads them the same way).
                parts.Add($"""
                    SELECT {week}, {group}, 0, 0, 0, 0, 0, COUNT(CASE WHEN f."Cell" > 0 AND f."Revenue" IS NOT NULL THEN 1 END),
                           COUNT(CASE WHEN f."Cell" > 0 THEN 1 END), -COUNT(CASE WHEN f."Cell" > 0 THEN 1 END), 0
                    FROM "ComplaintOutcomes" AS f WHERE {where} AND {range} AND f."Anchor" > @cutoff - @window AND f."Anchor" <= @now - @window
                    GROUP BY 1, 2
                    """);
                // Not settled for the SLA report by the cutoff: as they stand now.
                parts.Add($"""
                    SELECT {week}, {group}, 0, COALESCE(SUM({FirstMet}), 0), COUNT({FirstMet}), COALESCE(SUM({ResolutionMet}), 0), COUNT({ResolutionMet}), 0, 0, 0, 0
                    FROM "ComplaintOutcomes" AS f WHERE {where} AND {range} AND f."SlaSettledAt" > @cutoff
                    GROUP BY 1, 2
                    """);
            }
        }
        return $"""
            SELECT u."Week", u."Grp", SUM(u."Complaints"), SUM(u."FirstMet"), SUM(u."FirstMeasured"), SUM(u."ResolutionMet"), SUM(u."ResolutionMeasured"),
                   SUM(u."Bought"), SUM(u."Measured"), SUM(u."Pending"), SUM(u."Cost")
            FROM (SELECT {Columns} WHERE false
                  UNION ALL {string.Join("\n UNION ALL ", parts)}) AS u
            GROUP BY u."Week", u."Grp"
            """;
    }

    public async Task<TrendsReport> RunAsync(RecoveryFilter filter, SlaPeriod period, TrendSplit split, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var weeks = new List<(DateOnly Monday, string Group, TrendMeasures Measures)>();
        int windowDays;
        await using (var read = await ReportOutcomes.ReadAsync(db, now, ct, thresholds))
        {
            windowDays = read.Settings.RepurchaseWindowDays;
            var parameters = RecoveryMatrixQuery.Parameters(filter, now, read.Settings, read.Cutoff).ToDictionary(p => p.Name, p => p.Value);
            await using var command = await ReportSql.CommandAsync(db, Sql(filter, split, read.Cutoff), parameters, ct);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var measures = new TrendMeasures(reader.GetInt64(2), new Proportion(reader.GetInt64(3), reader.GetInt64(4)),
                    new Proportion(reader.GetInt64(5), reader.GetInt64(6)), new Proportion(reader.GetInt64(7), reader.GetInt64(8)),
                    reader.GetInt64(9), ReportSql.Money(reader.GetInt64(10)));
                if (measures == TrendMeasures.Zero) continue; // a rollup's week that cancelled out
                weeks.Add((Epoch.AddDays(checked((int)(reader.GetInt64(0) * 7 - 3))), reader.GetString(1), measures));
            }
        }

        var periods = Periods(weeks.Select(w => w.Monday), filter, now, period);
        var byKey = periods.ToDictionary(p => p.Key);
        var names = await NamesAsync(split, weeks.Select(w => w.Group).Distinct().ToList(), ct);
        var groups = weeks.GroupBy(w => w.Group)
            .Select(g => new TrendGroup(g.Key, names[g.Key].Name, names[g.Key].NameZh, g.Sum(w => w.Measures.Complaints)))
            .OrderByDescending(g => g.Complaints).ThenBy(g => g.Name, StringComparer.Ordinal).ToList();
        var groupOf = groups.ToDictionary(g => g.Key);
        var cells = weeks.GroupBy(w => (Period: byKey[KeyOf(w.Monday, period)], Group: groupOf[w.Group]))
            .Select(g => new TrendCell(g.Key.Period, g.Key.Group, TrendMeasures.Total(g.Select(w => w.Measures))))
            .OrderBy(c => c.Period.Start).ThenBy(c => groups.IndexOf(c.Group)).ToList();
        return new TrendsReport(filter, now, period, split, windowDays, periods, groups, cells);
    }

    /// <summary>The key of the period a week (given by its Monday) is counted in.</summary>
    public static string KeyOf(DateOnly monday, SlaPeriod period) => period == SlaPeriod.Week
        ? SlaReport.IsoWeekOf(monday)
        : SlaReport.MonthOf(monday).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>
    /// Every period from the first with a complaint to the last, and on to the one running now when the filter's dates reach
    /// it (so this week shows, marked "so far", before anyone has complained in it); none is left out for having no complaint.
    /// </summary>
    public static IReadOnlyList<TrendPeriod> Periods(IEnumerable<DateOnly> mondays, RecoveryFilter filter, DateTime now, SlaPeriod period)
    {
        var today = DateOnly.FromDateTime(now);
        var thisWeek = MondayOf(today);
        var weeks = mondays.ToList();
        var from = filter.From is { } f ? DateOnly.FromDateTime(f) : (DateOnly?)null;
        var to = filter.To is { } t ? DateOnly.FromDateTime(t) : (DateOnly?)null; // exclusive
        if ((from is null || from <= today) && (to is null || to > today)) weeks.Add(thisWeek);
        if (weeks.Count == 0) return [];
        var (first, last) = (Start(weeks.Min(), period), Start(weeks.Max(), period));
        var list = new List<TrendPeriod>();
        for (var start = first; start <= last; start = start.AddDays(LengthOf(start, period)))
        {
            var days = LengthOf(start, period);
            var end = start.AddDays(days); // exclusive
            var seenFrom = from is { } a && a > start ? a : start;
            var seenTo = new[] { end, today.AddDays(1), to ?? end }.Min();
            var covered = Math.Max(0, seenTo.DayNumber - seenFrom.DayNumber);
            list.Add(new TrendPeriod(KeyOf(start, period), start, days, covered, start <= today && today < end));
        }
        return list;
    }

    /// <summary>The Monday a period starts on: the week's, or the first ISO week of the month the week is counted in.</summary>
    private static DateOnly Start(DateOnly monday, SlaPeriod period)
    {
        if (period == SlaPeriod.Week) return monday;
        var month = SlaReport.MonthOf(monday);
        var first = MondayOf(month);
        return SlaReport.MonthOf(first) == month ? first : first.AddDays(7);
    }

    /// <summary>Days in the period that starts on <paramref name="start"/>: 7, or 28 or 35 (four or five whole ISO weeks).</summary>
    private static int LengthOf(DateOnly start, SlaPeriod period)
    {
        if (period == SlaPeriod.Week) return 7;
        var month = SlaReport.MonthOf(start);
        var days = 0;
        while (SlaReport.MonthOf(start.AddDays(days)) == month) days += 7;
        return days;
    }

    private static DateOnly MondayOf(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    private async Task<Dictionary<string, (string Name, string NameZh)>> NamesAsync(TrendSplit split, IReadOnlyList<string> keys, CancellationToken ct)
    {
        var causes = split == TrendSplit.Cause
            ? await db.RootCauses.AsNoTracking().Where(c => c.ParentId == null).ToDictionaryAsync(c => c.Id.ToString(CultureInfo.InvariantCulture), c => (c.Name, c.NameZh), ct)
            : [];
        // English names are resource names (translated on the page); causes carry both of their own.
        return keys.ToDictionary(k => k, k => split switch
        {
            TrendSplit.None => ("All complaints", ""),
            TrendSplit.Cause when k.Length == 0 => ("No cause yet", ""),
            TrendSplit.Cause => causes.TryGetValue(k, out var c) ? c : ("#" + k, "#" + k),
            TrendSplit.Class when Enum.TryParse<LoyaltyClass>(k, out var lc) => (Customers.LoyaltyBadges.ClassLabel(lc), ""),
            _ => (k, ""),
        });
    }

    /// <summary>Day 0 of the week count: 1 January 1970, a Thursday; week w starts on day 7w − 3, a Monday.</summary>
    private static readonly DateOnly Epoch = new(1970, 1, 1);
}

using Desk.Domain.Customers;
using Desk.Domain.Recovery;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Reports.Recovery;

/// <summary>
/// One cell: among the customers whose window has ended, how many bought again; how many are still pending (their
/// window is open: counted in no rate); the revenue those customers brought in their window and what the remedies cost.
/// </summary>
public sealed record RecoveryCell(Severity Severity, RecoveryColumn Column, Proportion Repurchased, long Pending, decimal RevenueAfter, decimal RemedyCost)
{
    public double Reference => TarpReference.Share(Severity, Column);
}

/// <summary>How the remedy given compares with the one the customer asked for at intake.</summary>
public enum RemedyMatch { AsAsked, OtherThanAsked, NothingAsked }

/// <summary>Resolved first complaints with one remedy given, split by what was asked for: who bought again, and what it cost.</summary>
public sealed record RemedyEffect(int RemedyGivenId, string Name, string NameZh, RemedyMatch Match, Proportion Repurchased, long Pending, decimal RemedyCost);

/// <param name="RepeatCells">
/// Repeat complaints (a second failure within the repeat window) in the complaint columns, apart from the matrix: the
/// recovery paradox holds after one failure, not after a second (Maxham &amp; Netemeyer 2002), so they would blur it.
/// </param>
public sealed record RecoveryMatrix(RecoveryFilter Filter, int WindowDays, DateTime Now, IReadOnlyList<RecoveryCell> Cells,
    IReadOnlyList<RecoveryCell> RepeatCells, IReadOnlyList<RemedyEffect> Remedies)
{
    public RecoveryCell Cell(Severity severity, RecoveryColumn column) => Cells.Single(c => c.Severity == severity && c.Column == column);

    public RecoveryCell RepeatCell(Severity severity, RecoveryColumn column) => RepeatCells.Single(c => c.Severity == severity && c.Column == column);

    /// <summary>All repeat complaints together.</summary>
    public Proportion RepeatComplaints => new(RepeatCells.Sum(c => c.Repurchased.Successes), RepeatCells.Sum(c => c.Repurchased.N));

    public long RepeatPending => RepeatCells.Sum(c => c.Pending);

    /// <summary>All remedies together, by how the remedy given matched the one asked for.</summary>
    public Proportion RemedyTotal(RemedyMatch match) => Remedies.Where(r => r.Match == match)
        .Aggregate(new Proportion(0, 0), (sum, r) => new Proportion(sum.Successes + r.Repurchased.Successes, sum.N + r.Repurchased.N));
}

/// <summary>
/// The recovery matrix, laid out like the TARP table and measured from orders, in SQL (one grouped query for the
/// complaints, one for the customers who never complained; nothing is loaded row by row). The definitions are the
/// ones <c>seed/Generator/PlantedRecovery.cs</c> plants, so the demo data's known truth checks this code:
/// <list type="bullet">
/// <item>Outcome of a complaint (kind Complaint, not rejected): the anchor is the resolution time for resolved tickets
/// (Resolved, FollowUp, Closed) and the receipt for the others (a reopened ticket is unresolved again until its next
/// resolution, which becomes the anchor); late means resolved after the resolution due time. Repeat complaints (a
/// second failure) are shown apart.</item>
/// <item>Did not complain (the baseline): customers with orders and no ticket at all, anchored at their first order
/// — at the chosen tenure, their first order placed at that tenure — whose amount gives the row (at least
/// <see cref="RecoverySettings.MajorLossAmount"/> is major). "Comparable windows": the same length of window, after a
/// comparable moment of contact (a purchase, as a complaint follows one), at the same tenure and in the same dates.</item>
/// <item>Bought again: an order in (anchor, anchor + window]; an order at the very moment of the anchor is the one the
/// anchor stands for, not a return. An anchor whose window has not ended is pending and counts in no rate.</item>
/// </list>
/// The window and the major-loss amount come from <see cref="RecoverySettings"/> (admins set them at /admin/recovery).
/// </summary>
public sealed class RecoveryMatrixQuery(DeskDbContext db, TimeProvider clock)
{
    /// <summary>
    /// The complaints, grouped in SQL by what the report cuts them by (at most a few hundred groups), from the kept
    /// outcomes (<see cref="ReportDialect"/>: each complaint's anchor, cell and window revenue worked out once):
    /// with a <paramref name="cutoff"/>, the whole weeks' settled complaints from the weekly rollup and the rest live
    /// (<see cref="RollupPlan"/>); without one, every kept row live. Parameters @now, @window, @cutoff, @from, @to,
    /// @level, @band, @tenureMin, @tenureMax (times and spans in Unix ms). One text for both databases. Public for the bench.
    /// </summary>
    public static string ComplaintsSql(RecoveryFilter filter, long? cutoff = null)
    {
        const string live = """
            COUNT(CASE WHEN f."Anchor" + @window <= @now THEN 1 END), COUNT(CASE WHEN f."Anchor" + @window > @now THEN 1 END),
                   COUNT(CASE WHEN f."Anchor" + @window <= @now THEN f."Revenue" END),
                   COALESCE(SUM(CASE WHEN f."Anchor" + @window <= @now THEN f."Revenue" END), 0),
                   COALESCE(SUM(f."RemedyCost"), 0),
                   COALESCE(SUM(CASE WHEN f."Anchor" + @window <= @now THEN f."RemedyCost" END), 0)
            """;
        var parts = new List<string>();
        if (cutoff is null)
            parts.Add($"""
                SELECT f."IsRepeat", f."Severity", f."Cell", COALESCE(f."Sought", -1), COALESCE(f."Given", -1), {live}
                FROM "ComplaintOutcomes" AS f WHERE {Where(filter, "f")} GROUP BY 1, 2, 3, 4, 5
                """);
        else
        {
            var plan = RollupPlan.Of(filter.From, filter.To, "f.\"ReceivedAt\"");
            if (plan.HasRollup)
                parts.Add($"""
                    SELECT r."IsRepeat", r."Severity", r."Cell", r."Sought", r."Given", SUM(r."N"), 0, SUM(r."Repurchased"), SUM(r."Revenue"), SUM(r."RemedyCost"), SUM(r."RemedyCost")
                    FROM "MatrixRollup" AS r WHERE {plan.Weeks("r.\"Week\"")}{RollupSegment(filter, "r")} GROUP BY 1, 2, 3, 4, 5
                    UNION ALL
                    SELECT p."IsRepeat", p."Severity", p."Cell", p."Sought", p."Given", 0, SUM(p."N"), 0, 0, SUM(p."RemedyCost"), 0
                    FROM "PendingRollup" AS p WHERE {plan.Weeks("p.\"Week\"")}{RollupSegment(filter, "p")} GROUP BY 1, 2, 3, 4, 5
                    """);
            foreach (var (range, unsettledOnly) in plan.Live)
                parts.Add(unsettledOnly
                    // Counted pending in the pending rollup, settled since the cutoff: measured now, pending no more.
                    ? $"""
                        SELECT f."IsRepeat", f."Severity", f."Cell", COALESCE(f."Sought", -1), COALESCE(f."Given", -1), COUNT(*), -COUNT(*), COUNT(f."Revenue"),
                               COALESCE(SUM(f."Revenue"), 0), 0, COALESCE(SUM(f."RemedyCost"), 0)
                        FROM "ComplaintOutcomes" AS f WHERE {Where(filter with { From = null, To = null }, "f")} AND {range}
                          AND f."Anchor" > @cutoff - @window AND f."Anchor" <= @now - @window
                        GROUP BY 1, 2, 3, 4, 5
                        """
                    : $"""
                        SELECT f."IsRepeat", f."Severity", f."Cell", COALESCE(f."Sought", -1), COALESCE(f."Given", -1), {live}
                        FROM "ComplaintOutcomes" AS f WHERE {Where(filter with { From = null, To = null }, "f")} AND {range}
                        GROUP BY 1, 2, 3, 4, 5
                        """);
        }
        return $"""
            SELECT u."IsRepeat", {SeverityName("u")} AS "Severity", {CellName("u")} AS "Cell", NULLIF(u."Sought", -1) AS "Sought", NULLIF(u."Given", -1) AS "Given",
                   SUM(u."Measured") AS "Measured", SUM(u."Pending") AS "Pending", SUM(u."Repurchased") AS "Repurchased", SUM(u."Revenue") AS "Revenue",
                   SUM(u."RemedyCost") AS "RemedyCost", SUM(u."MeasuredRemedyCost") AS "MeasuredRemedyCost"
            FROM (SELECT 0 AS "IsRepeat", 0 AS "Severity", 0 AS "Cell", 0 AS "Sought", 0 AS "Given", 0 AS "Measured", 0 AS "Pending", 0 AS "Repurchased",
                         0 AS "Revenue", 0 AS "RemedyCost", 0 AS "MeasuredRemedyCost" WHERE false
                  UNION ALL {string.Join("\n UNION ALL ", parts)}) AS u
            GROUP BY u."IsRepeat", u."Severity", u."Cell", u."Sought", u."Given"
            """;
    }

    /// <summary>A rollup's level and tenure band, as the filter sets them (@level, @band).</summary>
    internal static string RollupSegment(RecoveryFilter filter, string alias) =>
        (filter.Level is null ? "" : $" AND {alias}.\"Level\" = @level") + (filter.Tenure is null ? "" : $" AND {alias}.\"Band\" = @band");

    /// <summary>The kept severity (1 major) as the enum's name.</summary>
    internal static string SeverityName(string alias) => $"CASE {alias}.\"Severity\" WHEN 1 THEN 'Major' ELSE 'Minor' END";

    /// <summary>The kept cell (0 not resolved, 1 late, 2 within target) as the column's name.</summary>
    internal static string CellName(string alias) =>
        $"CASE {alias}.\"Cell\" WHEN 0 THEN 'ComplainedNotResolved' WHEN 1 THEN 'ResolvedLate' ELSE 'ResolvedWithinTarget' END";

    /// <summary>
    /// The filter over kept complaint outcomes <paramref name="alias"/>: received in [@from, @to), the customer's level
    /// now (@level) and tenure at receipt (@tenureMin, @tenureMax). Only the parts the filter sets are written, so the
    /// database can use the index on the receipt for a date range. Every report that filters complaints uses this.
    /// </summary>
    internal static string Where(RecoveryFilter filter, string alias)
    {
        var parts = new List<string> { "true" };
        if (filter.From is not null) parts.Add($"{alias}.\"ReceivedAt\" >= @from");
        if (filter.To is not null) parts.Add($"{alias}.\"ReceivedAt\" < @to");
        if (filter.Level is not null) parts.Add($"{alias}.\"Level\" = @level");
        if (filter.Tenure is { } band)
        {
            // The first band has no lower bound: a customer first seen a moment after their complaint (clocks differ) is new.
            if (Tenure.Range(band).From > TimeSpan.Zero) parts.Add($"{alias}.\"Tenure\" >= @tenureMin");
            if (Tenure.Range(band).To is not null) parts.Add($"{alias}.\"Tenure\" < @tenureMax");
        }
        return string.Join(" AND ", parts);
    }

    /// <summary>
    /// The baseline cells (customers who never complained) from the kept baseline rows: each customer's first order —
    /// at the tenure asked for, their first order placed at that tenure (@band; -1 for any) — whose amount gives the row
    /// (at least @major cents is major); with a <paramref name="cutoff"/>, whole weeks' settled customers from the weekly
    /// rollup and the rest live. Parameters @now, @window, @cutoff, @major, @from, @to, @level, @band. Public for the bench.
    /// </summary>
    public static string BaselineSql(RecoveryFilter filter, long? cutoff = null)
    {
        const string live = """
            CASE WHEN b."Amount" >= @major THEN 1 ELSE 0 END, COUNT(CASE WHEN b."Anchor" + @window <= @now THEN 1 END),
                   COUNT(CASE WHEN b."Anchor" + @window > @now THEN 1 END),
                   COUNT(CASE WHEN b."Anchor" + @window <= @now THEN b."Revenue" END),
                   COALESCE(SUM(CASE WHEN b."Anchor" + @window <= @now THEN b."Revenue" END), 0)
            """;
        var level = filter.Level is null ? "" : " AND b.\"Level\" = @level";
        var parts = new List<string>();
        if (cutoff is null)
            parts.Add($"""
                SELECT {live} FROM "BaselineOutcomes" AS b
                WHERE b."Band" = @band{(filter.From is null ? "" : " AND b.\"Anchor\" >= @from")}{(filter.To is null ? "" : " AND b.\"Anchor\" < @to")}{level} GROUP BY 1
                """);
        else
        {
            var plan = RollupPlan.Of(filter.From, filter.To, "b.\"Anchor\"");
            if (plan.HasRollup)
                parts.Add($"""
                    SELECT r."Major", SUM(r."N"), 0, SUM(r."Repurchased"), SUM(r."Revenue") FROM "BaselineRollup" AS r
                    WHERE r."Band" = @band AND {plan.Weeks("r.\"Week\"")}{(filter.Level is null ? "" : " AND r.\"Level\" = @level")} GROUP BY 1
                    """);
            foreach (var (range, unsettledOnly) in plan.Live)
                parts.Add($"""
                    SELECT {live} FROM "BaselineOutcomes" AS b
                    WHERE b."Band" = @band AND {range}{level}{(unsettledOnly ? " AND b.\"Anchor\" > @cutoff - @window" : "")} GROUP BY 1
                    """);
        }
        return $"""
            SELECT CASE WHEN u."Major" = 1 THEN 'Major' ELSE 'Minor' END AS "Severity", SUM(u."Measured"), SUM(u."Pending"), SUM(u."Repurchased"), SUM(u."Revenue")
            FROM (SELECT 0 AS "Major", 0 AS "Measured", 0 AS "Pending", 0 AS "Repurchased", 0 AS "Revenue" WHERE false
                  UNION ALL {string.Join("\n UNION ALL ", parts)}) AS u
            GROUP BY 1
            """;
    }

    public async Task<RecoveryMatrix> RunAsync(RecoveryFilter filter, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var read = await ReportOutcomes.ReadAsync(db, now, ct);
        var (cutoff, settings) = (read.Cutoff, read.Settings);
        var parameters = Parameters(filter, now, settings, cutoff).ToDictionary(p => p.Name, p => p.Value);

        var cells = new Dictionary<(Severity, RecoveryColumn), RecoveryCell>();
        foreach (var severity in Enum.GetValues<Severity>())
            foreach (var column in Enum.GetValues<RecoveryColumn>())
                cells[(severity, column)] = new RecoveryCell(severity, column, new Proportion(0, 0), 0, 0m, 0m);

        var repeats = cells.Values.Where(c => c.Column != RecoveryColumn.DidNotComplain).ToDictionary(c => (c.Severity, c.Column));
        var remedies = new Dictionary<(int, RemedyMatch), (Proportion Bought, long Pending, long Cost)>();
        await using (var command = await ReportSql.CommandAsync(db, ComplaintsSql(filter, cutoff), parameters, ct))
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var (measured, pending, bought) = (reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7));
                var (revenue, cost) = (reader.GetInt64(8), reader.GetInt64(9));
                var key = (Enum.Parse<Severity>(reader.GetString(1)), Enum.Parse<RecoveryColumn>(reader.GetString(2)));
                var into = reader.GetInt64(0) != 0 ? repeats : cells;
                var cell = into[key];
                into[key] = cell with
                {
                    Repurchased = Add(cell.Repurchased, bought, measured), Pending = cell.Pending + pending,
                    RevenueAfter = cell.RevenueAfter + ReportSql.Money(revenue), RemedyCost = cell.RemedyCost + ReportSql.Money(cost),
                };
                if (into == repeats || key.Item2 == RecoveryColumn.ComplainedNotResolved || reader.IsDBNull(4)) continue;
                int? sought = reader.IsDBNull(3) ? null : reader.GetInt32(3);
                var given = reader.GetInt32(4);
                var match = sought is null ? RemedyMatch.NothingAsked : sought == given ? RemedyMatch.AsAsked : RemedyMatch.OtherThanAsked;
                var r = remedies.GetValueOrDefault((given, match), (new Proportion(0, 0), 0, 0));
                remedies[(given, match)] = (Add(r.Bought, bought, measured), r.Pending + pending, r.Cost + cost);
            }
        }

        await using (var command = await ReportSql.CommandAsync(db, BaselineSql(filter, cutoff), parameters, ct))
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var key = (Enum.Parse<Severity>(reader.GetString(0)), RecoveryColumn.DidNotComplain);
                cells[key] = cells[key] with
                {
                    Repurchased = new Proportion(reader.GetInt64(3), reader.GetInt64(1)), Pending = reader.GetInt64(2),
                    RevenueAfter = ReportSql.Money(reader.GetInt64(4)),
                };
            }
        }

        var kinds = await db.RemedyKinds.AsNoTracking().Select(k => new { k.Id, k.Name, k.NameZh, k.SortOrder }).ToDictionaryAsync(k => k.Id, ct);
        var effects = remedies
            .Select(r => new RemedyEffect(r.Key.Item1, kinds.GetValueOrDefault(r.Key.Item1)?.Name ?? $"#{r.Key.Item1}",
                kinds.GetValueOrDefault(r.Key.Item1)?.NameZh ?? $"#{r.Key.Item1}", r.Key.Item2, r.Value.Bought, r.Value.Pending, ReportSql.Money(r.Value.Cost)))
            .OrderBy(r => kinds.GetValueOrDefault(r.RemedyGivenId)?.SortOrder ?? int.MaxValue).ThenBy(r => r.RemedyGivenId).ThenBy(r => r.Match)
            .ToList();
        return new RecoveryMatrix(filter, settings.RepurchaseWindowDays, now, [.. cells.Values], [.. repeats.Values], effects);
    }

    private static Proportion Add(Proportion sum, long successes, long n) => new(sum.Successes + successes, sum.N + n);

    /// <summary>The SQL's parameters: times and spans in Unix ms, money in cents, as the columns store them. Public for the bench.</summary>
    public static IEnumerable<(string Name, object? Value)> Parameters(RecoveryFilter filter, DateTime now, RecoverySettings settings, long? cutoff = null)
    {
        yield return ("@cutoff", cutoff);
        var tenure = filter.Tenure is { } band ? Tenure.Range(band) : ((TimeSpan From, TimeSpan? To)?)null;
        yield return ("@now", StoredValues.UnixMilliseconds(now));
        yield return ("@window", (long)settings.RepurchaseWindow.TotalMilliseconds);
        yield return ("@major", (long)(settings.MajorLossAmount * 100));
        yield return ("@from", filter.From is { } from ? StoredValues.UnixMilliseconds(from) : null);
        yield return ("@to", filter.To is { } to ? StoredValues.UnixMilliseconds(to) : null);
        yield return ("@level", filter.Level?.ToString());
        // The first band has no lower bound: a customer first seen a moment after their complaint (clocks differ) is new.
        yield return ("@tenureMin", tenure is { From: var min } && min > TimeSpan.Zero ? (long)min.TotalMilliseconds : null);
        yield return ("@tenureMax", tenure?.To is { } max ? (long)max.TotalMilliseconds : null);
        yield return ("@band", filter.Tenure is { } b ? (long)b : -1L);
    }
}

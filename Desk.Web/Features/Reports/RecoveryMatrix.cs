using System.ComponentModel.DataAnnotations;
using Desk.Domain.Customers;
using Desk.Domain.Recovery;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Desk.Web.Features.Reports;

public sealed class ReportOptions
{
    public const string Section = "Desk:Reports";

    /// <summary>Days after a complaint's resolution (or receipt, when unresolved) in which an order counts as buying again.</summary>
    [Range(7, 730)]
    public int RepurchaseWindowDays { get; set; } = 90;

    /// <summary>For customers who did not complain, the first order's amount that makes its potential loss major (TARP splits by it).</summary>
    [Range(0, 1_000_000)]
    public decimal MajorLossAmount { get; set; } = 100m;

    public TimeSpan RepurchaseWindow => TimeSpan.FromDays(RepurchaseWindowDays);
}

/// <summary>What a manager filters the matrix by: complaints received (or first orders placed) in [From, To), and the customers' relationship level.</summary>
public sealed record RecoveryFilter(DateTime? From = null, DateTime? To = null, RelationshipLevel? Level = null);

/// <summary>
/// One cell: among the customers whose window has ended, how many bought again; how many are still pending (their
/// window is open: counted in no rate); the revenue those customers brought in their window and what the remedies cost.
/// </summary>
public sealed record RecoveryCell(Severity Severity, RecoveryColumn Column, Proportion Repurchased, long Pending, decimal RevenueAfter, decimal RemedyCost)
{
    public double Reference => TarpReference.Share(Severity, Column);
}

public sealed record RecoveryMatrix(RecoveryFilter Filter, int WindowDays, DateTime Now, IReadOnlyList<RecoveryCell> Cells,
    Proportion RepeatComplaints, long RepeatPending)
{
    public RecoveryCell Cell(Severity severity, RecoveryColumn column) => Cells.Single(c => c.Severity == severity && c.Column == column);
}

/// <summary>
/// The recovery matrix, laid out like the TARP table and measured from orders, in SQL (one grouped query for the
/// complaints, one for the customers who never complained; nothing is loaded row by row). The definitions are the
/// ones <c>seed/Generator/PlantedRecovery.cs</c> plants, so the demo data's known truth checks this code:
/// <list type="bullet">
/// <item>Complaints: kind Complaint, not rejected, not a repeat (a second failure is shown apart). The anchor is the
/// resolution time for resolved tickets (Resolved, FollowUp, Closed) and the receipt for the others; late means resolved
/// after the resolution due time.</item>
/// <item>Did not complain (the baseline): customers with orders and no ticket at all, anchored at their first order,
/// whose amount gives the row (at least <see cref="ReportOptions.MajorLossAmount"/> is major) — the same length of
/// window after a comparable moment of contact.</item>
/// <item>Bought again: an order in (anchor, anchor + window]. An anchor whose window has not ended is pending.</item>
/// </list>
/// </summary>
public sealed class RecoveryMatrixQuery(DeskDbContext db, IOptions<ReportOptions> options, TimeProvider clock)
{
    private const string Resolved = "'Resolved', 'FollowUp', 'Closed'";

    /// <summary>The complaint cells, grouped in SQL; parameters $now, $window, $from, $to, $level (times in Unix ms). Public for the bench.</summary>
    public const string ComplaintsSql = $"""
        WITH c AS (
            SELECT t.CustomerId, t.Severity, t.IsRepeatComplaint AS IsRepeat, COALESCE(t.RemedyCost, 0) AS RemedyCost,
                   CASE WHEN t.State IN ({Resolved}) THEN t.ResolvedAt ELSE t.ReceivedAt END AS Anchor,
                   CASE WHEN t.State NOT IN ({Resolved}) THEN 'ComplainedNotResolved'
                        WHEN t.ResolvedAt <= t.ResolutionDueAt THEN 'ResolvedWithinTarget' ELSE 'ResolvedLate' END AS Cell
            FROM Tickets AS t JOIN Customers AS cu ON cu.Id = t.CustomerId
            WHERE t.Kind = 'Complaint' AND t.State <> 'Rejected'
              AND ($from IS NULL OR t.ReceivedAt >= $from) AND ($to IS NULL OR t.ReceivedAt < $to)
              AND ($level IS NULL OR cu.Level = $level))
        , m AS (
            -- One look into the customer's orders per measured complaint: the window's revenue, NULL when nothing was bought.
            SELECT c.*, CASE WHEN c.Anchor + $window <= $now THEN (SELECT SUM(o.Amount) FROM Orders AS o
                       WHERE o.CustomerId = c.CustomerId AND o.PlacedAt > c.Anchor AND o.PlacedAt <= c.Anchor + $window) END AS Revenue
            FROM c)
        SELECT m.IsRepeat, m.Severity, m.Cell,
               SUM(m.Anchor + $window <= $now) AS Measured,
               SUM(m.Anchor + $window > $now) AS Pending,
               COUNT(m.Revenue) AS Repurchased,
               COALESCE(SUM(m.Revenue), 0) AS Revenue,
               COALESCE(SUM(m.RemedyCost), 0) AS RemedyCost
        FROM m
        GROUP BY m.IsRepeat, m.Severity, m.Cell
        """;

    /// <summary>The baseline cells (customers who never complained); parameters $now, $window, $major (cents), $from, $to, $level.</summary>
    public const string BaselineSql = """
        WITH f AS (
            SELECT o.CustomerId, o.PlacedAt AS Anchor, o.Amount,
                   ROW_NUMBER() OVER (PARTITION BY o.CustomerId ORDER BY o.PlacedAt, o.Id) AS n
            FROM Orders AS o JOIN Customers AS cu ON cu.Id = o.CustomerId
            WHERE NOT EXISTS (SELECT 1 FROM Tickets AS t WHERE t.CustomerId = o.CustomerId)
              AND ($level IS NULL OR cu.Level = $level))
        , m AS (
            SELECT f.*, CASE WHEN f.Anchor + $window <= $now THEN (SELECT SUM(o.Amount) FROM Orders AS o
                       WHERE o.CustomerId = f.CustomerId AND o.PlacedAt > f.Anchor AND o.PlacedAt <= f.Anchor + $window) END AS Revenue
            FROM f
            WHERE f.n = 1 AND ($from IS NULL OR f.Anchor >= $from) AND ($to IS NULL OR f.Anchor < $to))
        SELECT CASE WHEN m.Amount >= $major THEN 'Major' ELSE 'Minor' END AS Severity,
               SUM(m.Anchor + $window <= $now) AS Measured,
               SUM(m.Anchor + $window > $now) AS Pending,
               COUNT(m.Revenue) AS Repurchased,
               COALESCE(SUM(m.Revenue), 0) AS Revenue
        FROM m
        GROUP BY 1
        """;

    public async Task<RecoveryMatrix> RunAsync(RecoveryFilter filter, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var settings = options.Value;
        var parameters = new Dictionary<string, object?>
        {
            ["$now"] = now, ["$window"] = settings.RepurchaseWindow, ["$major"] = settings.MajorLossAmount,
            ["$from"] = filter.From, ["$to"] = filter.To, ["$level"] = filter.Level?.ToString(),
        };

        var cells = new Dictionary<(Severity, RecoveryColumn), RecoveryCell>();
        foreach (var severity in Enum.GetValues<Severity>())
            foreach (var column in Enum.GetValues<RecoveryColumn>())
                cells[(severity, column)] = new RecoveryCell(severity, column, new Proportion(0, 0), 0, 0m, 0m);

        Proportion repeat = new(0, 0);
        long repeatPending = 0;
        await using (var command = await ReportSql.CommandAsync(db, ComplaintsSql, parameters, ct))
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var (measured, pending, bought) = (reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5));
                if (reader.GetInt64(0) != 0)
                {
                    repeat = new Proportion(repeat.Successes + bought, repeat.N + measured);
                    repeatPending += pending;
                    continue;
                }
                var key = (Enum.Parse<Severity>(reader.GetString(1)), Enum.Parse<RecoveryColumn>(reader.GetString(2)));
                cells[key] = cells[key] with
                {
                    Repurchased = new Proportion(bought, measured), Pending = pending,
                    RevenueAfter = ReportSql.Money(reader.GetInt64(6)), RemedyCost = ReportSql.Money(reader.GetInt64(7)),
                };
            }
        }

        await using (var command = await ReportSql.CommandAsync(db, BaselineSql, parameters, ct))
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
        return new RecoveryMatrix(filter, settings.RepurchaseWindowDays, now, [.. cells.Values], repeat, repeatPending);
    }
}

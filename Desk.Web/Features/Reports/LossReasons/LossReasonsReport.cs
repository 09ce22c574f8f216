using Desk.Web.Features.Reports.Recovery;
using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;
using Desk.Domain.Recovery;

namespace Desk.Web.Features.Reports.LossReasons;

/// <summary>One top-level cause among complaints after which the customer did not come back, weighted by what they used to spend.</summary>
public sealed record LossRow(int RootCauseId, string Name, string NameZh, long Complaints, long Customers, decimal RevenueBefore, double ShareOfRevenue);

public sealed record LossReasonsReport(IReadOnlyList<LossRow> Rows, int WindowDays)
{
    public decimal RevenueAtRisk => Rows.Sum(r => r.RevenueBefore);
}

/// <summary>
/// Loss reasons: complaints whose repurchase window has ended without an order (the customer did not come back; same
/// anchor and window as the recovery matrix), by top-level root cause, weighted by the revenue each customer brought in
/// the year before the complaint. Counted in SQL; complaints without a cause (never resolved) have no reason to show.
/// Filtered like the recovery matrix: received in [From, To), the customer's level and tenure at receipt (its join).
/// </summary>
public sealed class LossReasonsQuery(DeskDbContext db, TimeProvider clock)
{
    /// <summary>From the kept outcomes: measured complaints with a cause and no order in their window. Public for the bench.</summary>
    public static string Sql(RecoveryFilter filter) => $"""
        SELECT f."RootTop", COUNT(*) AS "Complaints", COUNT(DISTINCT f."CustomerId") AS "Customers", COALESCE(SUM(f."RevenueYearBefore"), 0) AS "Revenue"
        FROM "ComplaintOutcomes" AS f
        WHERE {RecoveryMatrixQuery.Where(filter, "f")}
          AND f."RootTop" IS NOT NULL AND f."Anchor" + @window <= @now AND f."Revenue" IS NULL
        GROUP BY f."RootTop"
        """;

    public async Task<LossReasonsReport> RunAsync(RecoveryFilter filter, CancellationToken ct)
    {
        await ReportOutcomes.PrepareAsync(db, clock.GetUtcNow().UtcDateTime, ct);
        var settings = await ReportSql.SettingsAsync(db, ct);
        var counted = new List<(int Top, long Complaints, long Customers, decimal Revenue)>();
        // The recovery matrix's parameters (times already in Unix ms), so its customer join reads the same @level and tenure.
        var parameters = RecoveryMatrixQuery.Parameters(filter, clock.GetUtcNow().UtcDateTime, settings).ToDictionary(p => p.Name, p => p.Value);
        await using (var command = await ReportSql.CommandAsync(db, Sql(filter), parameters, ct))
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                counted.Add((reader.GetInt32(0), reader.GetInt64(1), reader.GetInt64(2), ReportSql.Money(reader.GetInt64(3))));
        }
        var names = await db.RootCauses.AsNoTracking().Where(c => c.ParentId == null).ToDictionaryAsync(c => c.Id, ct);
        var total = counted.Sum(c => c.Revenue);
        var rows = counted
            // Ties by cause id: the rows come from a GROUP BY, in no order PostgreSQL promises (SQLite's happened to be by cause).
            .OrderByDescending(c => c.Revenue).ThenByDescending(c => c.Complaints).ThenBy(c => c.Top)
            .Select(c => new LossRow(c.Top, names.GetValueOrDefault(c.Top)?.Name ?? $"#{c.Top}", names.GetValueOrDefault(c.Top)?.NameZh ?? $"#{c.Top}",
                c.Complaints, c.Customers, c.Revenue, total == 0 ? 0 : (double)(c.Revenue / total)))
            .ToList();
        return new LossReasonsReport(rows, settings.RepurchaseWindowDays);
    }
}

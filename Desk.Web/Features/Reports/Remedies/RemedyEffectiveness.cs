using Desk.Web.Features.Reports.Recovery;
using Desk.Domain.Recovery;
using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Reports.Remedies;

/// <summary>
/// One remedy kind given: the resolved complaints it closed, who bought again among those whose window has ended
/// (pending ones count in no rate), what all its remedies cost, and what the measured ones cost per customer kept.
/// </summary>
public sealed record RemedyRow(int RemedyKindId, string Name, string NameZh, Proportion Repurchased, long Pending, decimal RemedyCost, decimal MeasuredCost)
{
    public long Resolved => Repurchased.N + Pending;

    public long NotRepurchased => Repurchased.N - Repurchased.Successes;

    /// <summary>
    /// What the remedies of the measured complaints cost, divided by the customers among them who bought again, to the
    /// cent (half away from zero); null when nobody came back. Pending complaints are left out of both sides: their
    /// customers may still come back.
    /// </summary>
    public decimal? CostPerKeptCustomer => Repurchased.Successes == 0 ? null
        : decimal.Round(MeasuredCost / Repurchased.Successes, 2, MidpointRounding.AwayFromZero);
}

public sealed record RemedyEffectiveness(RecoveryFilter Filter, int WindowDays, DateTime Now, IReadOnlyList<RemedyRow> Rows)
{
    public Proportion Total => Rows.Aggregate(new Proportion(0, 0), (s, r) => new Proportion(s.Successes + r.Repurchased.Successes, s.N + r.Repurchased.N));
}

/// <summary>
/// Remedy effectiveness: the recovery matrix's complaints (<see cref="RecoveryMatrixQuery.ComplaintsSql"/>, so the
/// same anchor, window, pending rule, filters and exclusions), folded in SQL by the remedy given. As in the matrix's
/// remedy table, only resolved first complaints count: unresolved ones have no remedy given (a reopened ticket's
/// earlier remedy is void), and repeat complaints (a second failure) are kept apart from every recovery figure.
/// </summary>
public sealed class RemedyEffectivenessQuery(DeskDbContext db, TimeProvider clock)
{
    /// <summary>Public for the bench.</summary>
    public static string Sql(RecoveryFilter filter, long? cutoff = null) => $"""
        SELECT g."Given", SUM(g."Measured"), SUM(g."Pending"), SUM(g."Repurchased"), SUM(g."RemedyCost"), SUM(g."MeasuredRemedyCost")
        FROM ({RecoveryMatrixQuery.ComplaintsSql(filter, cutoff)}) AS g
        WHERE g."IsRepeat" = 0 AND g."Cell" <> 'ComplainedNotResolved' AND g."Given" IS NOT NULL
        GROUP BY g."Given"
        """;

    public async Task<RemedyEffectiveness> RunAsync(RecoveryFilter filter, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var read = await ReportOutcomes.ReadAsync(db, now, ct);
        var (cutoff, settings) = (read.Cutoff, read.Settings);
        var parameters = RecoveryMatrixQuery.Parameters(filter, now, settings, cutoff).ToDictionary(p => p.Name, p => p.Value);
        var counted = new List<(int Given, Proportion Bought, long Pending, long Cost, long MeasuredCost)>();
        await using (var command = await ReportSql.CommandAsync(db, Sql(filter, cutoff), parameters, ct))
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                counted.Add((reader.GetInt32(0), new Proportion(reader.GetInt64(3), reader.GetInt64(1)), reader.GetInt64(2), reader.GetInt64(4), reader.GetInt64(5)));
        }
        var kinds = await db.RemedyKinds.AsNoTracking().Select(k => new { k.Id, k.Name, k.NameZh, k.SortOrder }).ToDictionaryAsync(k => k.Id, ct);
        var rows = counted
            .Select(c => new RemedyRow(c.Given, kinds.GetValueOrDefault(c.Given)?.Name ?? $"#{c.Given}", kinds.GetValueOrDefault(c.Given)?.NameZh ?? $"#{c.Given}",
                c.Bought, c.Pending, ReportSql.Money(c.Cost), ReportSql.Money(c.MeasuredCost)))
            .OrderBy(r => kinds.GetValueOrDefault(r.RemedyKindId)?.SortOrder ?? int.MaxValue).ThenBy(r => r.RemedyKindId)
            .ToList();
        return new RemedyEffectiveness(filter, settings.RepurchaseWindowDays, now, rows);
    }
}

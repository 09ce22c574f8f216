using Desk.Domain.Tickets;
using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Reports.RootCauses;

/// <summary>What the Pareto is filtered by: complaints received in [From, To), one severity, one channel, and the product (as written on the ticket).</summary>
public sealed record ParetoFilter(DateTime? From = null, DateTime? To = null, Severity? Severity = null, Channel? Channel = null, string? Product = null);

/// <summary>One top-level cause: its complaints, their share of all complaints with a cause, and the running share in order.</summary>
public sealed record ParetoRow(int RootCauseId, string Name, string NameZh, long Complaints, double Share, double Cumulative)
{
    /// <summary>Part of the "vital few": the causes that together make up the first 80 % (the one crossing it included).</summary>
    public bool VitalFew { get; init; }
}

public sealed record RootCausePareto(ParetoFilter Filter, IReadOnlyList<ParetoRow> Rows, long WithoutCause)
{
    public long Total => Rows.Sum(r => r.Complaints);
}

/// <summary>
/// The root-cause Pareto: complaints (kind Complaint, not rejected) per top-level cause of the taxonomy, a sub-cause
/// counting for its parent; counted in SQL, ordered by count, with share and cumulative share. Complaints without a
/// cause yet (not resolved) are counted apart.
/// </summary>
public sealed class RootCauseParetoQuery(DeskDbContext db, TimeProvider clock)
{
    /// <summary>
    /// Complaints per top-level cause from the kept outcomes (the NULL cause: complaints without one yet); parameters
    /// @from, @to, @severity (1 major), @channel, @product — only the filter's parts are written. Public for the bench.
    /// </summary>
    public static string Sql(ParetoFilter filter) => $"""
        SELECT f."RootTop", COUNT(*) FROM "ComplaintOutcomes" AS f
        WHERE true{(filter.From is null ? "" : " AND f.\"ReceivedAt\" >= @from")}{(filter.To is null ? "" : " AND f.\"ReceivedAt\" < @to")}{(filter.Severity is null ? "" : " AND f.\"Severity\" = @severity")}{(filter.Channel is null ? "" : " AND f.\"Channel\" = @channel")}{(string.IsNullOrWhiteSpace(filter.Product) ? "" : " AND f.\"Product\" = @product")}
        GROUP BY f."RootTop"
        """;

    public static Dictionary<string, object?> Parameters(ParetoFilter filter) => new()
    {
        ["@from"] = filter.From, ["@to"] = filter.To, ["@severity"] = filter.Severity is { } s ? (s == Severity.Major ? 1L : 0L) : null,
        ["@channel"] = filter.Channel?.ToString(), ["@product"] = filter.Product?.Trim(),
    };

    public async Task<RootCausePareto> RunAsync(ParetoFilter filter, CancellationToken ct)
    {
        await ReportOutcomes.PrepareAsync(db, clock.GetUtcNow().UtcDateTime, ct);
        var counts = new List<(int Top, long Count)>();
        long withoutCause = 0;
        await using (var command = await ReportSql.CommandAsync(db, Sql(filter), Parameters(filter), ct))
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                if (reader.IsDBNull(0)) withoutCause = reader.GetInt64(1);
                else counts.Add((reader.GetInt32(0), reader.GetInt64(1)));
            }
        }
        var names = await db.RootCauses.AsNoTracking().Where(c => c.ParentId == null)
            .Select(c => new { c.Id, c.Name, c.NameZh, c.SortOrder }).ToDictionaryAsync(c => c.Id, ct);

        var total = counts.Sum(c => c.Count);
        var rows = new List<ParetoRow>();
        double running = 0;
        foreach (var c in counts.OrderByDescending(c => c.Count).ThenBy(c => names.TryGetValue(c.Top, out var n) ? n.SortOrder : int.MaxValue).ThenBy(c => c.Top))
        {
            var share = (double)c.Count / total;
            var before = running;
            running += share;
            var name = names.GetValueOrDefault(c.Top);
            rows.Add(new ParetoRow(c.Top, name?.Name ?? $"#{c.Top}", name?.NameZh ?? $"#{c.Top}", c.Count, share, Math.Min(1, running))
            {
                VitalFew = before < 0.8 - 1e-9,
            });
        }
        return new RootCausePareto(filter, rows, withoutCause);
    }
}

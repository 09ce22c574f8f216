using Desk.Domain.Tickets;
using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Reports;

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
public sealed class RootCauseParetoQuery(DeskDbContext db)
{
    public async Task<RootCausePareto> RunAsync(ParetoFilter filter, CancellationToken ct)
    {
        var complaints = db.Tickets.AsNoTracking().Where(t => t.Kind == TicketKind.Complaint && t.State != TicketState.Rejected);
        if (filter.From is { } from) complaints = complaints.Where(t => t.ReceivedAt >= from);
        if (filter.To is { } to) complaints = complaints.Where(t => t.ReceivedAt < to);
        if (filter.Severity is { } severity) complaints = complaints.Where(t => t.Severity == severity);
        if (filter.Channel is { } channel) complaints = complaints.Where(t => t.Channel == channel);
        if (!string.IsNullOrWhiteSpace(filter.Product)) complaints = complaints.Where(t => t.Product == filter.Product.Trim());

        var counts = await (
            from t in complaints
            join c in db.RootCauses on t.RootCauseId equals c.Id
            group t by c.ParentId ?? c.Id into g
            select new { Top = g.Key, Count = (long)g.Count() }).ToListAsync(ct);
        var withoutCause = await complaints.LongCountAsync(t => t.RootCauseId == null, ct);
        var names = await db.RootCauses.AsNoTracking().Where(c => c.ParentId == null)
            .Select(c => new { c.Id, c.Name, c.NameZh, c.SortOrder }).ToDictionaryAsync(c => c.Id, ct);

        var total = counts.Sum(c => c.Count);
        var rows = new List<ParetoRow>();
        double running = 0;
        foreach (var c in counts.OrderByDescending(c => c.Count).ThenBy(c => names.TryGetValue(c.Top, out var n) ? n.SortOrder : int.MaxValue))
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

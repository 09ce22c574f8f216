using Desk.Domain.Tickets;
using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Queue;

/// <summary>One maintained count (see <see cref="QueueCounterSql"/>); the application only reads them.</summary>
public sealed class QueueCounter
{
    private QueueCounter() { } // for EF Core

    public string Key { get; private set; } = "";
    public long Count { get; private set; }
}

/// <summary>
/// The numbers beside the queue's views. Counts by state, open, unassigned and "mine" come from the maintained
/// counters (a few rows); the two that move with the clock — overdue and follow-ups due — are counted over a
/// narrow index and capped, so neither ever walks the table.
/// </summary>
public sealed class QueueCounts(DeskDbContext db)
{
    /// <summary>Beyond this the time-driven counts show "999+": an agent needs "a lot", not the exact number.</summary>
    public const int Cap = 999;

    public async Task<QueueCountsSnapshot> ReadAsync(string agent, DateTime now, CancellationToken ct = default)
    {
        var agentKey = QueueCounterKeys.AgentKey(agent);
        var counters = await db.Set<QueueCounter>().AsNoTracking()
            .Where(c => c.Key.StartsWith("state:") || c.Key == QueueCounterKeys.OpenKey || c.Key == QueueCounterKeys.UnassignedKey || c.Key == agentKey)
            .ToDictionaryAsync(c => c.Key, c => c.Count, ct);
        var open = Data.Configurations.TicketConfiguration.OpenColumn;
        var overdue = await db.Tickets.Where(t => EF.Property<int>(t, open) == 1 && t.ResolutionDueAt < now).OrderBy(t => t.ResolutionDueAt).Take(Cap + 1).CountAsync(ct);
        var followUpsBy = now + QueueViews.FollowUpsDueWithin;
        var followUps = await db.Tickets.Where(t => t.State == TicketState.FollowUp && t.FollowUpDueAt <= followUpsBy).OrderBy(t => t.FollowUpDueAt).Take(Cap + 1).CountAsync(ct);

        var byView = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase)
        {
            ["open"] = counters.GetValueOrDefault(QueueCounterKeys.OpenKey),
            ["mine"] = counters.GetValueOrDefault(agentKey),
            ["unassigned"] = counters.GetValueOrDefault(QueueCounterKeys.UnassignedKey),
            ["overdue"] = overdue,
            ["followups"] = followUps,
        };
        foreach (var state in Enum.GetValues<TicketState>())
            byView[state.ToString()] = counters.GetValueOrDefault(QueueCounterKeys.StateKey(state));
        byView["all"] = Enum.GetValues<TicketState>().Sum(s => byView[s.ToString()]);
        return new QueueCountsSnapshot(byView);
    }
}

public sealed record QueueCountsSnapshot(IReadOnlyDictionary<string, long> ByView)
{
    /// <summary>The count beside a view, "999+" past the cap; empty when the view has none.</summary>
    public string Label(QueueView view) => ByView.TryGetValue(view.Key, out var n)
        ? n > QueueCounts.Cap && view.Key is "overdue" or "followups" ? $"{QueueCounts.Cap}+" : n.ToString("N0", System.Globalization.CultureInfo.CurrentCulture)
        : "";
}

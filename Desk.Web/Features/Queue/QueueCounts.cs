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
/// narrow index and capped, so neither ever walks the table. What every agent sees alike is kept a moment by
/// <see cref="QueueCountsKept"/>; only "mine" is read per agent.
/// </summary>
public sealed class QueueCounts(DeskDbContext db, QueueCountsKept kept)
{
    /// <summary>Beyond this the time-driven counts show "999+": an agent needs "a lot", not the exact number.</summary>
    public const int Cap = 999;

    public async Task<QueueCountsSnapshot> ReadAsync(string agent, DateTime now, CancellationToken ct = default)
    {
        var agentKey = QueueCounterKeys.AgentKey(agent);
        var shared = await kept.SharedAsync(now, () => ReadSharedAsync(now, ct));
        var mine = await kept.MineAsync(agent, now, () => db.Set<QueueCounter>().AsNoTracking().Where(c => c.Key == agentKey).Select(c => c.Count).FirstOrDefaultAsync(ct));
        var byView = new Dictionary<string, long>(shared, StringComparer.OrdinalIgnoreCase) { ["mine"] = mine };
        return new QueueCountsSnapshot(byView);
    }

    private async Task<Dictionary<string, long>> ReadSharedAsync(DateTime now, CancellationToken ct)
    {
        var counters = await db.Set<QueueCounter>().AsNoTracking()
            .Where(c => c.Key.StartsWith("state:") || c.Key == QueueCounterKeys.OpenKey || c.Key == QueueCounterKeys.UnassignedKey)
            .ToDictionaryAsync(c => c.Key, c => c.Count, ct);
        var open = Data.Configurations.TicketConfiguration.OpenColumn;
        var overdue = await db.Tickets.Where(t => EF.Property<int>(t, open) == 1 && t.ResolutionDueAt < now).OrderBy(t => t.ResolutionDueAt).Take(Cap + 1).CountAsync(ct);
        var followUpsBy = now + QueueViews.FollowUpsDueWithin;
        var followUps = await db.Tickets.Where(t => t.State == TicketState.FollowUp && t.FollowUpDueAt <= followUpsBy).OrderBy(t => t.FollowUpDueAt).Take(Cap + 1).CountAsync(ct);

        var byView = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase)
        {
            ["open"] = counters.GetValueOrDefault(QueueCounterKeys.OpenKey),
            ["unassigned"] = counters.GetValueOrDefault(QueueCounterKeys.UnassignedKey),
            ["overdue"] = overdue,
            ["followups"] = followUps,
        };
        foreach (var state in Enum.GetValues<TicketState>())
            byView[state.ToString()] = counters.GetValueOrDefault(QueueCounterKeys.StateKey(state));
        byView["all"] = Enum.GetValues<TicketState>().Sum(s => byView[s.ToString()]);
        return byView;
    }
}

/// <summary>
/// The queue's counts as this desk last read them, kept for <see cref="Expiry"/>: every queue page shows them, and three
/// queries a page cost the queue a fifth of its rate at a million tickets. Kept as the bell's count is
/// (<see cref="Notifications.BellCounts"/>): a ticket change committed in this desk drops them at once, one on another
/// desk when <see cref="DeskSignals.Tickets"/> tells of it (PostgreSQL), and anything a signal missed — another SQLite
/// desk's change, a due time passing — shows within <see cref="Expiry"/>. A reading for another desk time (a clock moved
/// on) is never served from what was read for the one before.
/// </summary>
public sealed class QueueCountsKept
{
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(2);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (long Count, long Generation, long At, DateTime Now)> _mine = new(StringComparer.Ordinal);
    private volatile Kept? _shared;
    private long _generation;

    private sealed record Kept(IReadOnlyDictionary<string, long> ByView, long Generation, long At, DateTime Now);

    private readonly bool _keeps = true;

    private QueueCountsKept() => _keeps = false;

    /// <summary>Keeps nothing: every reading goes to the database (the benches that time the reading itself).</summary>
    public static QueueCountsKept Nothing() => new();

    public QueueCountsKept(DeskSignals signals, Live.TicketChangeSignal changes)
    {
        changes.CommittedHere += Drop;
        signals.On(DeskSignals.Tickets, Drop);
    }

    /// <summary>The counts every agent sees alike, as kept, or <paramref name="read"/>'s answer kept for the next page.</summary>
    public async Task<IReadOnlyDictionary<string, long>> SharedAsync(DateTime now, Func<Task<Dictionary<string, long>>> read)
    {
        if (!_keeps) return await read();
        var generation = Volatile.Read(ref _generation);
        var at = System.Diagnostics.Stopwatch.GetTimestamp();
        if (_shared is { } kept && Fresh(kept.Generation, kept.At, kept.Now, generation, at, now)) return kept.ByView;
        var counts = await read();
        // A change heard while reading may not be in these counts: keep them only if nothing was heard meanwhile.
        if (Volatile.Read(ref _generation) == generation) _shared = new Kept(counts, generation, at, now);
        return counts;
    }

    /// <summary><paramref name="agent"/>'s own open count, kept the same way.</summary>
    public async Task<long> MineAsync(string agent, DateTime now, Func<Task<long>> read)
    {
        if (!_keeps) return await read();
        var generation = Volatile.Read(ref _generation);
        var at = System.Diagnostics.Stopwatch.GetTimestamp();
        if (_mine.TryGetValue(agent, out var kept) && Fresh(kept.Generation, kept.At, kept.Now, generation, at, now)) return kept.Count;
        var count = await read();
        if (Volatile.Read(ref _generation) == generation) _mine[agent] = (count, generation, at, now);
        return count;
    }

    private static bool Fresh(long keptGeneration, long keptAt, DateTime keptNow, long generation, long at, DateTime now) =>
        keptGeneration == generation && System.Diagnostics.Stopwatch.GetElapsedTime(keptAt, at) < Expiry
        && now >= keptNow && now - keptNow < Expiry;

    private void Drop()
    {
        Interlocked.Increment(ref _generation);
        _shared = null;
        _mine.Clear();
    }
}

public sealed record QueueCountsSnapshot(IReadOnlyDictionary<string, long> ByView)
{
    /// <summary>The count beside a view, "999+" past the cap; empty when the view has none.</summary>
    public string Label(QueueView view) => ByView.TryGetValue(view.Key, out var n)
        ? n > QueueCounts.Cap && view.Key is "overdue" or "followups" ? $"{QueueCounts.Cap}+" : n.ToString("N0", System.Globalization.CultureInfo.CurrentCulture)
        : "";
}

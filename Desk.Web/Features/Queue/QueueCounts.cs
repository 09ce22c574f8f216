using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Features.Live;
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
/// The queue's counts as this desk last read them, kept for <see cref="Expiry"/> (<see cref="KeptReadings{TKey, TValue}"/>):
/// every queue page shows them, and three queries a page cost the queue a fifth of its rate at a million tickets. A
/// ticket change drops them; another SQLite desk's change, or a due time passing, shows within <see cref="Expiry"/>.
/// A reading for another desk time (a clock moved on) is never served from what was read for the one before.
/// </summary>
public sealed class QueueCountsKept
{
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(2);

    private readonly KeptReadings<string, IReadOnlyDictionary<string, long>>? _shared;
    private readonly KeptReadings<string, long>? _mine;

    private QueueCountsKept() { }

    /// <summary>Keeps nothing: every reading goes to the database (the benches that time the reading itself).</summary>
    public static QueueCountsKept Nothing() => new();

    /// <summary>Kept for <see cref="Expiry"/> of real time and of the desk's time alike (a desk's clock can stand still or jump).</summary>
    public QueueCountsKept(DeskSignals signals, TicketChangeSignal changes)
    {
        _shared = new(Expiry, TimeProvider.System, signals, changes);
        _mine = new(Expiry, TimeProvider.System, signals, changes, StringComparer.Ordinal);
    }

    /// <summary>The counts every agent sees alike, as kept, or <paramref name="read"/>'s answer kept for the next page.</summary>
    public async Task<IReadOnlyDictionary<string, long>> SharedAsync(DateTime now, Func<Task<Dictionary<string, long>>> read) =>
        _shared is null ? await read() : await _shared.GetAsync("", async () => await read(), now);

    /// <summary><paramref name="agent"/>'s own open count, kept the same way.</summary>
    public Task<long> MineAsync(string agent, DateTime now, Func<Task<long>> read) =>
        _mine is null ? read() : _mine.GetAsync(agent, read, now);
}

public sealed record QueueCountsSnapshot(IReadOnlyDictionary<string, long> ByView)
{
    /// <summary>The count beside a view, "999+" past the cap; empty when the view has none.</summary>
    public string Label(QueueView view) => ByView.TryGetValue(view.Key, out var n)
        ? n > QueueCounts.Cap && view.Key is "overdue" or "followups" ? $"{QueueCounts.Cap}+" : n.ToString("N0", System.Globalization.CultureInfo.CurrentCulture)
        : "";
}

using System.Collections.Concurrent;
using Desk.Web.Data;

namespace Desk.Web.Features.Notifications;

/// <summary>
/// Each agent's unread count as the bell shows it, kept in this desk's memory: the bell is on every page, and a query
/// per page cost the render-only ceiling a third of its rate. How a desk learns of new notices: every notice but the
/// SLA watch's comes with a ticket change, and every committed ticket change raises <see cref="DeskSignals.Tickets"/>
/// on every other desk (and <see cref="Live.TicketChangeSignal.CommittedHere"/> at once in this one); reading notices raises <see cref="DeskSignals.Notices"/>. Either drops every kept
/// count. The SLA watch's warnings, and anything a signal missed, show within <see cref="Expiry"/>.
/// </summary>
public sealed class BellCounts
{
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, (int Count, long Generation, long At)> _kept = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;
    private readonly DeskSignals _signals;
    private long _generation;

    public BellCounts(DeskSignals signals, Live.TicketChangeSignal changes, TimeProvider clock)
    {
        changes.CommittedHere += Drop;
        _clock = clock;
        _signals = signals;
        signals.On(DeskSignals.Tickets, Drop);
        signals.On(DeskSignals.Notices, Drop);
    }

    /// <summary><paramref name="agent"/>'s kept count, or <paramref name="read"/>'s answer kept for the next page.</summary>
    public async Task<int> GetAsync(string agent, Func<Task<int>> read)
    {
        var generation = Volatile.Read(ref _generation);
        var now = _clock.GetTimestamp();
        if (_kept.TryGetValue(agent, out var kept) && kept.Generation == generation && _clock.GetElapsedTime(kept.At, now) < Expiry)
            return kept.Count;
        var count = await read();
        // A change heard while reading may not be in this count: keep it only if nothing was heard meanwhile.
        if (Volatile.Read(ref _generation) == generation) _kept[agent] = (count, generation, now);
        return count;
    }

    /// <summary>After <paramref name="agent"/> read notices, once it is committed: this desk shows it at once, the others when told.</summary>
    public void Forget(string agent)
    {
        _kept.TryRemove(agent, out _);
        _signals.Raise(DeskSignals.Notices);
    }

    private void Drop()
    {
        Interlocked.Increment(ref _generation);
        _kept.Clear();
    }
}

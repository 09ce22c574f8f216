using System.Collections.Concurrent;
using Desk.Web.Data;

namespace Desk.Web.Features.Live;

/// <summary>
/// Readings this desk keeps in memory per key until a change is heard or <see cref="Expiry"/> passes: numbers every page
/// shows (the bell's, the queue's) that would otherwise cost a query a page. A committed ticket change in this desk drops
/// them at once (<see cref="TicketChangeSignal.CommittedHere"/>); one on another desk when <see cref="DeskSignals.Tickets"/>
/// tells of it (PostgreSQL); anything a signal missed shows within the expiry. Nothing another desk needs lives here:
/// each desk reads its own from the database.
/// </summary>
public sealed class KeptReadings<TKey, TValue> where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Kept> _kept;
    private readonly TimeProvider _clock;
    private long _generation;

    private readonly record struct Kept(TValue Value, long Generation, long At, DateTime? AsOf);

    /// <param name="expiry">How long a reading is kept when no change is heard.</param>
    /// <param name="clock">Times the expiry (its timestamps).</param>
    /// <param name="comparer">How keys compare (e.g. ordinal for user names).</param>
    public KeptReadings(TimeSpan expiry, TimeProvider clock, DeskSignals signals, TicketChangeSignal changes, IEqualityComparer<TKey>? comparer = null)
    {
        Expiry = expiry;
        _clock = clock;
        _kept = new ConcurrentDictionary<TKey, Kept>(comparer);
        changes.CommittedHere += DropAll;
        signals.On(DeskSignals.Tickets, DropAll);
    }

    public TimeSpan Expiry { get; }

    /// <summary>Drops everything kept whenever <paramref name="channel"/> is raised, here or on another desk.</summary>
    public KeptReadings<TKey, TValue> DroppedOn(DeskSignals signals, string channel)
    {
        signals.On(channel, DropAll);
        return this;
    }

    /// <summary>
    /// <paramref name="key"/>'s kept reading, or <paramref name="read"/>'s answer, kept for the next call. With
    /// <paramref name="asOf"/> (the desk's time the reading is for) a reading made for an earlier desk time, or one
    /// <see cref="Expiry"/> or more before it, is read again: readings that move with the clock follow a moved clock.
    /// </summary>
    public async Task<TValue> GetAsync(TKey key, Func<Task<TValue>> read, DateTime? asOf = null)
    {
        var generation = Volatile.Read(ref _generation);
        var at = _clock.GetTimestamp();
        if (_kept.TryGetValue(key, out var kept) && kept.Generation == generation && _clock.GetElapsedTime(kept.At, at) < Expiry
            && (asOf is null || (kept.AsOf is { } keptAsOf && asOf >= keptAsOf && asOf - keptAsOf < Expiry)))
            return kept.Value;
        var value = await read();
        // A change heard while reading may not be in this reading: keep it only if nothing was heard meanwhile.
        if (Volatile.Read(ref _generation) == generation) _kept[key] = new Kept(value, generation, at, asOf);
        return value;
    }

    /// <summary>Drops <paramref name="key"/>'s reading in this desk only.</summary>
    public void Forget(TKey key) => _kept.TryRemove(key, out _);

    /// <summary>Drops every kept reading, and any reading under way is not kept.</summary>
    public void DropAll()
    {
        Interlocked.Increment(ref _generation);
        _kept.Clear();
    }
}

using Microsoft.Extensions.Time.Testing;

namespace Desk.Tests.Support;

/// <summary>
/// A test desk's clock: time moves only when a test moves it, as with <see cref="FakeTimeProvider"/>, except that a periodic
/// timer fires once per move however many of its periods the move spans (as a real timer does after the machine slept),
/// not once per period. The loyalty check's one-minute timer fired 20,000 times on a move of fourteen days, each waking a
/// database check, and such a move took 10–15 s.
/// </summary>
/// <remarks>
/// <see cref="FakeTimeProvider"/> schedules a periodic timer's next period from the due time it just fired at, so a move
/// fires it again and again until it has caught up. Here a periodic timer is a one-shot timer that, once fired, is set again
/// one period after the time the clock moved to. The fake clock is inside, not a base class, so nothing can move it but
/// <see cref="Advance"/> and <see cref="SetUtcNow"/>.
/// </remarks>
public sealed class DeskClock(DateTimeOffset start) : TimeProvider
{
    private readonly FakeTimeProvider _fake = new(start);
    private readonly Lock _moving = new();
    private readonly List<OncePerMove> _firedOnTheWay = [];

    public override DateTimeOffset GetUtcNow() => _fake.GetUtcNow();

    public override long GetTimestamp() => _fake.GetTimestamp();

    public override long TimestampFrequency => _fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => _fake.LocalTimeZone;

    /// <summary>Moves the clock forward by <paramref name="delta"/>, firing each timer that falls due on the way once.</summary>
    public void Advance(TimeSpan delta)
    {
        lock (_moving) MoveTo(GetUtcNow() + delta);
    }

    /// <summary>Moves the clock forward to <paramref name="value"/>, firing each timer that falls due on the way once.</summary>
    public void SetUtcNow(DateTimeOffset value)
    {
        lock (_moving) MoveTo(value);
    }

    /// <summary>
    /// The fake clock fires each due timer in turn; a periodic one fired on the way is set again only once the move is over,
    /// one period after where it ended (set during the move, the fake clock would undo it as it finishes firing that timer).
    /// </summary>
    private void MoveTo(DateTimeOffset value)
    {
        _fake.SetUtcNow(value);
        OncePerMove[] fired;
        lock (_firedOnTheWay)
        {
            fired = [.. _firedOnTheWay];
            _firedOnTheWay.Clear();
        }
        foreach (var timer in fired) timer.SetAgain();
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        IsPeriod(period) ? new OncePerMove(this, callback, state, dueTime, period) : _fake.CreateTimer(callback, state, dueTime, period);

    private ITimer CreateOneShot(TimerCallback callback, TimeSpan dueTime) => _fake.CreateTimer(callback, null, dueTime, Timeout.InfiniteTimeSpan);

    private static bool IsPeriod(TimeSpan period) => period > TimeSpan.Zero && period != Timeout.InfiniteTimeSpan;

    /// <summary>A periodic timer made of a one-shot one, set again after each firing.</summary>
    private sealed class OncePerMove : ITimer
    {
        private readonly DeskClock _clock;
        private readonly TimerCallback _callback;
        private readonly object? _state;
        private readonly ITimer _shot;
        private TimeSpan _period;
        private bool _disposed;

        public OncePerMove(DeskClock clock, TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            (_clock, _callback, _state, _period) = (clock, callback, state, period);
            _shot = clock.CreateOneShot(_ => Fire(), dueTime); // a due time of zero fires at once, inside this call
            if (dueTime == TimeSpan.Zero) SetAgain();
        }

        private void Fire()
        {
            _callback(_state);
            if (_shot is not null) // null: fired as it was made, set again by the constructor
                lock (_clock._firedOnTheWay) _clock._firedOnTheWay.Add(this);
        }

        public void SetAgain()
        {
            if (!_disposed && IsPeriod(_period)) _shot.Change(_period, Timeout.InfiniteTimeSpan);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            _period = period;
            return IsPeriod(period) ? _shot.Change(dueTime, Timeout.InfiniteTimeSpan) : _shot.Change(dueTime, period);
        }

        public void Dispose()
        {
            _disposed = true;
            _shot.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            _disposed = true;
            return _shot.DisposeAsync();
        }
    }
}

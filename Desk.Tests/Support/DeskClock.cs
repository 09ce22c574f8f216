using Microsoft.Extensions.Time.Testing;

namespace Desk.Tests.Support;

/// <summary>
/// A test desk's clock: time moves only when a test moves it, as with <see cref="FakeTimeProvider"/>, except that a periodic
/// timer fires once per move however many of its periods the move spans (as a real timer does after the machine slept),
/// not once per period. The loyalty check's one-minute timer fired 20,000 times on a move of fourteen days, each waking a
/// database check, and such a move took 10–15 s.
/// </summary>
/// <remarks>
/// <see cref="FakeTimeProvider"/> wakes each due timer with its clock set to that timer's own due time, and schedules a
/// periodic timer's next period from there. Here a periodic timer is a one-shot timer that, once fired, is set again one
/// period after the time the clock is moving to. Tests move the clock through this type: the base's
/// <see cref="FakeTimeProvider.Advance(TimeSpan)"/> is not virtual, and a move through it fires a timer once per period again.
/// </remarks>
public sealed class DeskClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock _moving = new();
    private long _movingToTicks; // UTC ticks of where a move under way ends, else 0

    /// <summary>Moves the clock forward by <paramref name="delta"/>, firing each timer that falls due on the way once.</summary>
    public new void Advance(TimeSpan delta)
    {
        lock (_moving) MoveTo(GetUtcNow() + delta);
    }

    /// <summary>Moves the clock forward to <paramref name="value"/>, firing each timer that falls due on the way once.</summary>
    public new void SetUtcNow(DateTimeOffset value)
    {
        lock (_moving) MoveTo(value);
    }

    private void MoveTo(DateTimeOffset value)
    {
        Volatile.Write(ref _movingToTicks, value.UtcTicks);
        try { base.SetUtcNow(value); }
        finally { Volatile.Write(ref _movingToTicks, 0); }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        IsPeriod(period) ? new OncePerMove(this, callback, state, dueTime, period) : base.CreateTimer(callback, state, dueTime, period);

    private ITimer CreateOneShot(TimerCallback callback, TimeSpan dueTime) => base.CreateTimer(callback, null, dueTime, Timeout.InfiniteTimeSpan);

    /// <summary>From now, or during a move from where it ends, to one <paramref name="period"/> later.</summary>
    private TimeSpan NextPeriod(TimeSpan period)
    {
        var now = GetUtcNow(); // during a move: the due time of the timer being fired
        var movingTo = Volatile.Read(ref _movingToTicks);
        return (movingTo == 0 ? TimeSpan.Zero : new DateTimeOffset(movingTo, TimeSpan.Zero) - now) + period;
    }

    private static bool IsPeriod(TimeSpan period) => period > TimeSpan.Zero && period != Timeout.InfiniteTimeSpan;

    private sealed class OncePerMove : ITimer
    {
        private readonly DeskClock _clock;
        private readonly TimerCallback _callback;
        private readonly object? _state;
        private readonly ITimer _shot;
        private TimeSpan _period;
        private bool _firedBeforeItWasSet;

        public OncePerMove(DeskClock clock, TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            (_clock, _callback, _state, _period) = (clock, callback, state, period);
            _shot = clock.CreateOneShot(_ => Fire(), dueTime); // a due time of zero fires at once, inside this call
            if (_firedBeforeItWasSet) _shot.Change(_clock.NextPeriod(_period), Timeout.InfiniteTimeSpan);
        }

        private void Fire()
        {
            _callback(_state);
            if (!IsPeriod(_period)) return;
            if (_shot is null) _firedBeforeItWasSet = true;
            else _shot.Change(_clock.NextPeriod(_period), Timeout.InfiniteTimeSpan);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            _period = period;
            return IsPeriod(period) ? _shot.Change(dueTime, Timeout.InfiniteTimeSpan) : _shot.Change(dueTime, period);
        }

        public void Dispose() => _shot.Dispose();

        public ValueTask DisposeAsync() => _shot.DisposeAsync();
    }
}

namespace Desk.Tests.Support;

/// <summary>The test desks' clock: a periodic timer fires once per move, one period after where the move ended.</summary>
public sealed class DeskClockTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Advance_FourteenDaysPastAOneMinuteTimer_FiresItOnceThenOnePeriodAfterTheMove()
    {
        var clock = new DeskClock(Start);
        var fired = new List<DateTimeOffset>();
        using var timer = clock.CreateTimer(_ => fired.Add(clock.GetUtcNow()), null, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));

        clock.Advance(TimeSpan.FromDays(14));
        Assert.Single(fired); // once on the way, not 20,160 times

        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Single(fired);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(Start.AddDays(14).AddMinutes(1), fired[1]);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(3, fired.Count); // each period after that, as before
    }

    [Fact]
    public void CreateTimer_DueAtOnceOrOneShot_BehaveAsTheFakeTimeProvidersDo()
    {
        var clock = new DeskClock(Start);
        var (atOnce, oneShot) = (0, 0);
        using var periodic = clock.CreateTimer(_ => atOnce++, null, TimeSpan.Zero, TimeSpan.FromMinutes(5));
        using var single = clock.CreateTimer(_ => oneShot++, null, TimeSpan.FromMinutes(10), Timeout.InfiniteTimeSpan);
        Assert.Equal((1, 0), (atOnce, oneShot)); // a due time of zero fires as the timer is made

        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal((1, 0), (atOnce, oneShot));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal((2, 0), (atOnce, oneShot));
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal((3, 1), (atOnce, oneShot));
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal((4, 1), (atOnce, oneShot)); // the one-shot timer fired once only
    }

    [Fact]
    public void Dispose_APeriodicTimer_StopsIt()
    {
        var clock = new DeskClock(Start);
        var fired = 0;
        var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        clock.Advance(TimeSpan.FromMinutes(1));
        timer.Dispose();
        clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, fired);
    }

    [Fact]
    public async Task PeriodicTimer_OnTheClock_TicksOncePerMove()
    {
        var clock = new DeskClock(Start);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(30), clock);
        clock.Advance(TimeSpan.FromDays(2));
        Assert.True(await timer.WaitForNextTickAsync());
        var next = timer.WaitForNextTickAsync();
        Assert.False(next.IsCompleted); // the move's ticks were one, already taken
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.True(await next);
    }
}

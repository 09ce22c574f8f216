using System.Diagnostics;
using Desk.Web.Features.Queue;
using Microsoft.EntityFrameworkCore;

namespace Desk.Bench;

/// <summary>The counts beside the queue's views, read in-process the way the page reads them, many times.</summary>
public static class CountsBench
{
    public static async Task<(double P50, double P99)> ReadAsync(BenchDatabase db, int times = 2_000)
    {
        await using var context = db.NewContext();
        await context.Database.OpenConnectionAsync();
        var counts = new QueueCounts(context, Desk.Web.Features.Queue.QueueCountsKept.Nothing());
        var now = new DateTime(2026, 11, 23, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < 50; i++) await counts.ReadAsync("alice", now); // warm up: query compilation, page cache
        var samples = new double[times];
        for (var i = 0; i < times; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await counts.ReadAsync("alice", now);
            samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        Array.Sort(samples);
        return (samples[times / 2], samples[(int)(times * 0.99)]);
    }
}

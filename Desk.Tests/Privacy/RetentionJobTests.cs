using System.Net;
using Desk.Tests.Support;
using Desk.Web.Data;
using Desk.Web.Features.Privacy;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Privacy;

/// <summary>A desk with retention set: the job runs under its lease at start and again when the (fake) clock has moved on.</summary>
public sealed class RetentionDesk : DeskWebFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Desk:Privacy:RawMailDays", "30");
        builder.UseSetting("Desk:Privacy:ClosedTicketPersonalDataDays", "365");
        builder.UseSetting("Desk:Privacy:RunEveryMinutes", "60");
    }
}

public sealed class RetentionJobTests(RetentionDesk desk) : IClassFixture<RetentionDesk>
{
    [Fact]
    public async Task RetentionJob_PeriodsSet_RunsAtStartAndAgainWhenTheClockMovesOn_AndAdminSeesTheLastRun()
    {
        _ = desk.Services; // starts the desk and its job
        var first = await RunsAsync(1);
        Assert.Equal(DeskWebFactory.Now, first[0].At);

        await Task.Delay(300);
        Assert.Single(await RunsOnceSettledAsync()); // no second run while the clock stands still
        desk.Clock.Advance(TimeSpan.FromMinutes(61));
        var runs = await RunsAsync(2);
        Assert.Equal(DeskWebFactory.Now.AddMinutes(61), runs[1].At);

        var page = WebUtility.HtmlDecode(await (await desk.SignedInAsync("admin")).GetStringAsync("/admin/privacy"));
        Assert.Contains("data-setting=\"RawMailDays\">30 days", page, StringComparison.Ordinal);
        Assert.Contains("data-setting=\"AttachmentDays\">kept (off)", page, StringComparison.Ordinal);
        Assert.Contains(DeskWebFactory.Now.AddMinutes(61).ToString("yyyy-MM-dd HH:mm") + " UTC", page, StringComparison.Ordinal);
    }

    private async Task<List<PrivacyEvent>> RunsOnceSettledAsync()
    {
        await using var db = desk.Database.NewContext();
        return await db.PrivacyEvents.AsNoTracking().Where(p => p.Action == PrivacyAction.Retention).OrderBy(p => p.Id).ToListAsync();
    }

    private async Task<List<PrivacyEvent>> RunsAsync(int atLeast)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var runs = await RunsOnceSettledAsync();
            if (runs.Count >= atLeast) return runs;
            if (waited.Elapsed > TimeSpan.FromSeconds(30)) throw new Xunit.Sdk.XunitException($"{runs.Count} retention runs after 30 s; expected {atLeast}.");
            await Task.Delay(100);
        }
    }
}

/// <summary>A desk with retention set, on a database its test shares with other desks.</summary>
public sealed class RetentionSharedDesk(TestDatabase shared) : SharedDesk(shared)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Desk:Privacy:RawMailDays", "30");
        builder.UseSetting("Desk:Leases:CheckSeconds", "0.2");
    }
}

/// <summary>Two desks on one PostgreSQL database: one runs the retention job, and the other takes over when it stops.</summary>
public sealed class RetentionJobOnSeveralDesksTestsOnPostgres : IRunsOnPostgres
{
    [StorageFact]
    public async Task RetentionJob_TwoDesksOnOneDatabase_OneRunsIt_TheOtherTakesOverWhenItStops()
    {
        using var database = new TestDatabase(DatabaseProvider.Postgres);
        var first = new RetentionSharedDesk(database);
        var second = new RetentionSharedDesk(database);
        await Task.WhenAll(Task.Run(() => first.Services), Task.Run(() => second.Services));

        await RunsAsync(database, 1);
        await Task.Delay(1_500); // both offered to run it; only the lease's holder did
        Assert.Single(await RunsAsync(database, 0));

        // Stop the holder: the desk left takes the lease over and runs at once. Which desk holds it is not known, so
        // stop the first; if the second was the holder nothing happens, and a third desk takes over from the second.
        await first.DisposeAsync();
        await Task.Delay(1_500);
        if ((await RunsAsync(database, 0)).Count == 1)
        {
            await using var third = new RetentionSharedDesk(database);
            _ = third.Services;
            await Task.Delay(1_000);
            Assert.Single(await RunsAsync(database, 0)); // still the second's
            await second.DisposeAsync();
            Assert.Equal(2, (await RunsAsync(database, 2)).Count);
        }
        else
        {
            Assert.Equal(2, (await RunsAsync(database, 0)).Count);
            await second.DisposeAsync();
        }
    }

    private static async Task<List<PrivacyEvent>> RunsAsync(TestDatabase database, int atLeast)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            await using var db = database.NewContext();
            var runs = await db.PrivacyEvents.AsNoTracking().Where(p => p.Action == PrivacyAction.Retention).OrderBy(p => p.Id).ToListAsync();
            if (runs.Count >= atLeast || waited.Elapsed > TimeSpan.FromSeconds(30)) return runs;
            await Task.Delay(100);
        }
    }
}

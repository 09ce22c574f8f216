using System.Net;
using Desk.Tests.Support;
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

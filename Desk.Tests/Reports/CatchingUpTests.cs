using System.Net;
using Desk.Seed;
using Desk.Tests.Support;
using Desk.Web.Data;
using Desk.Web.Features.Reports;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Desk.Tests.Reports;

/// <summary>A desk whose background refresher waits an hour between rounds (the test catches up by hand) and whose reports say so above ten waiting customers.</summary>
public class CatchingUpDesk : DeskWebFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Desk:Reports:RefreshIntervalSeconds", "3600");
        builder.UseSetting("Desk:Reports:CatchUpAbove", "10");
    }
}

public abstract class CatchingUpTests(CatchingUpDesk factory)
{
    [StorageFact]
    public async Task ReportPages_WithMoreCustomersWaitingThanTheLimit_Answer503WithAPageThatReloads_AndServeTheReportOnceCaughtUp()
    {
        var manager = await factory.SignedInAsync("maria");
        long customers;
        using (var scope = factory.Services.CreateScope())
            customers = await scope.ServiceProvider.GetRequiredService<DeskDbContext>().Customers.LongCountAsync();

        // A new desk's rows were never built: every customer waits.
        foreach (var path in new[] { "/reports/recovery", "/reports/three-faces", "/reports/win-back?minimum=10" })
        {
            var waiting = await manager.GetAsync(path);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, waiting.StatusCode);
            Assert.Equal("5", waiting.Headers.GetValues("Retry-After").Single());
            var page = await waiting.Content.ReadAsStringAsync();
            Assert.Contains($"data-customers=\"{customers}\"", page);
            Assert.Contains("http-equiv=\"refresh\"", page);
            Assert.Contains($"href=\"{path}\"", page); // "Reload now" goes back to the same report
        }
        var csv = await manager.GetAsync("/reports/sla.csv");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, csv.StatusCode);
        Assert.Contains($"({customers} customers to go)", await csv.Content.ReadAsStringAsync());

        // Brought up to date, as the background refresher would: the reports answer.
        await RefreshAsync();
        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync("/reports/recovery")).StatusCode);

        // Ten waiting is within the limit (the report rewrites them itself); eleven is not.
        await MarkAsync(10);
        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync("/reports/sla")).StatusCode);
        await MarkAsync(11);
        var eleven = await manager.GetAsync("/reports/sla");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, eleven.StatusCode);
        Assert.Contains("data-customers=\"11\"", await eleven.Content.ReadAsStringAsync());

        // In Chinese.
        await manager.GetAsync("/language?culture=zh-CN&returnUrl=/");
        var response = await manager.GetAsync("/reports/recovery");
        var zh = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("报表正在更新", zh);
        EnglishLeftovers.AssertNone(zh, new HashSet<string> { "Desk", "English", "CSV", "Excel" }, ["maria", .. DemoDataGenerator.AgentUserNames, "admin"]);

        await RefreshAsync();
        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync("/reports/recovery")).StatusCode);
    }

    private async Task RefreshAsync()
    {
        using var scope = factory.Services.CreateScope();
        await ReportOutcomes.RefreshAsync(scope.ServiceProvider.GetRequiredService<DeskDbContext>(), factory.Clock.GetUtcNow().UtcDateTime, null, CancellationToken.None);
    }

    private async Task MarkAsync(int customers)
    {
        using var scope = factory.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<DeskDbContext>().Database
            .ExecuteSqlAsync($"INSERT INTO \"OutcomesDirty\" (\"CustomerId\") SELECT \"Id\" FROM \"Customers\" ORDER BY \"Id\" LIMIT {customers} ON CONFLICT (\"CustomerId\") DO NOTHING");
    }
}

public sealed class CatchingUpTestsOnSqlite(CatchingUpDesk factory) : CatchingUpTests(factory), IClassFixture<CatchingUpDesk>;

public sealed class CatchingUpTestsOnPostgres(PostgresCatchingUpDesk factory) : CatchingUpTests(factory), IClassFixture<PostgresCatchingUpDesk>, IRunsOnPostgres;

/// <summary>A desk with no background refresher: nothing would ever catch up, so the reports do it themselves.</summary>
public class NoBackgroundRefreshDesk : DeskWebFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Desk:Reports:RefreshInBackground", "false");
        builder.UseSetting("Desk:Reports:CatchUpAbove", "10");
    }
}

public abstract class NoBackgroundRefreshTests(NoBackgroundRefreshDesk factory)
{
    [StorageFact]
    public async Task ReportPages_WithTheBackgroundRefresherOff_BringTheRowsUpToDateThemselves_InsteadOfWaitingForever()
    {
        var manager = await factory.SignedInAsync("maria");
        using (var scope = factory.Services.CreateScope())
            Assert.True(await ReportOutcomes.BacklogAsync(scope.ServiceProvider.GetRequiredService<DeskDbContext>(), CancellationToken.None) > 10);

        var page = await manager.GetAsync("/reports/recovery");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        using (var scope = factory.Services.CreateScope())
            Assert.Equal(0, await ReportOutcomes.BacklogAsync(scope.ServiceProvider.GetRequiredService<DeskDbContext>(), CancellationToken.None));
    }
}

public sealed class NoBackgroundRefreshTestsOnSqlite(NoBackgroundRefreshDesk factory) : NoBackgroundRefreshTests(factory), IClassFixture<NoBackgroundRefreshDesk>;

public sealed class NoBackgroundRefreshTestsOnPostgres(PostgresNoBackgroundRefreshDesk factory) : NoBackgroundRefreshTests(factory), IClassFixture<PostgresNoBackgroundRefreshDesk>, IRunsOnPostgres;

public sealed class PostgresCatchingUpDesk : CatchingUpDesk
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}

public sealed class PostgresNoBackgroundRefreshDesk : NoBackgroundRefreshDesk
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}

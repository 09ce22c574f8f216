using System.Net;
using Desk.Domain.Customers;
using Desk.Seed;
using Desk.Tests.Support;
using Desk.Web.Data;
using Desk.Web.Features.Queue;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.DemoData;

/// <summary>A desk started on an empty database fills it with demo data on its first start, on either database.</summary>
public abstract class FirstRunDemoDataTests(DatabaseProvider provider)
{
    private sealed class NewDesk(DatabaseProvider provider) : DeskWebFactory
    {
        public override DatabaseProvider Provider => provider;
    }

    [StorageFact]
    public async Task SeedIfEmpty_FirstStartOnAnEmptyDatabase_FillsItAndTheDeskWorksOnFromThere()
    {
        using var desk = new NewDesk(provider);

        var manager = await desk.SignedInAsync("maria"); // the first start: migrations, demo data, demo users
        var queue = await manager.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, queue.StatusCode);
        // A demo desk says so on every page: the staff's and the customers'.
        Assert.Contains("id=\"demo-data-banner\"", await queue.Content.ReadAsStringAsync());
        Assert.Contains("id=\"demo-data-banner\"", await desk.CreateClient().GetStringAsync("/complain"));
        await using var db = desk.Database.NewContext();
        Assert.Equal(desk.DemoTickets, await db.Tickets.CountAsync());
        Assert.Equal(DemoDataGenerator.AgentUserNames.Count + 2, await db.Users.CountAsync());
        Assert.True(await db.Macros.AnyAsync());
        // The queue counters were kept by the triggers during the load: they equal a fresh count.
        var kept = await Counters(db);
        await db.Database.ExecuteSqlRawAsync(QueueCounterKeys.Recount());
        Assert.Equal(await Counters(db), kept);
        Assert.Equal(desk.DemoTickets, kept.Where(c => c.Key.StartsWith("state:", StringComparison.Ordinal)).Sum(c => c.Value));
        // A customer added now takes the id after the demo ones (on PostgreSQL the identity sequences were moved past them).
        var customers = await db.Customers.CountAsync();
        var customer = new Customer("new.after.demo@example.com", "New after the demo", DeskWebFactory.Now);
        db.Customers.Add(customer);
        await db.SaveChangesAsync();
        Assert.Equal(customers + 1, customer.Id);
    }

    [StorageFact]
    public async Task CreateAdmin_OnANewDatabase_LoadsNoDemoDataThenOrLater()
    {
        using var database = new TestDatabase(provider, migrate: false);
        var start = new System.Diagnostics.ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "Desk.Web"))
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var argument in new[] { "create-admin", "--user", "ops", "--email", "ops@example.com" }) start.ArgumentList.Add(argument);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Desk__Database__Provider"] = provider.ToString();
        start.Environment["Desk__Database__ConnectionString"] = database.ConnectionString;
        // Desk:DemoData:SeedOnFirstRun is left at its default (on), as someone following the README would.
        using (var process = System.Diagnostics.Process.Start(start)!)
        {
            await process.StandardInput.WriteLineAsync("A-long-Secret-1");
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, await output + await errors);
        }
        await using (var db = database.NewContext())
            Assert.Equal((1, 0, 0), (await db.Users.CountAsync(), await db.Tickets.CountAsync(), await db.Customers.CountAsync()));

        // Started later with the demo setting still on: a desk with a real user never receives demo data.
        await using (var desk = new SharedDesk(database))
        {
            var form = await desk.CreateClient().GetStringAsync("/complain");
            await using var db = database.NewContext();
            Assert.Equal((1, 0), (await db.Users.CountAsync(), await db.Tickets.CountAsync()));
            Assert.Contains("<form", form);
            Assert.DoesNotContain("demo-data-banner", form); // a real desk does not call itself a demo
        }
    }

    private static async Task<Dictionary<string, long>> Counters(DeskDbContext db) =>
        await db.Set<QueueCounter>().AsNoTracking().Where(c => c.Count != 0).ToDictionaryAsync(c => c.Key, c => c.Count);
}

public sealed class FirstRunDemoDataTestsOnSqlite() : FirstRunDemoDataTests(DatabaseProvider.Sqlite);

public sealed class FirstRunDemoDataTestsOnPostgres() : FirstRunDemoDataTests(DatabaseProvider.Postgres), IRunsOnPostgres;

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

    private static async Task<Dictionary<string, long>> Counters(DeskDbContext db) =>
        await db.Set<QueueCounter>().AsNoTracking().Where(c => c.Count != 0).ToDictionaryAsync(c => c.Key, c => c.Count);
}

public sealed class FirstRunDemoDataTestsOnSqlite() : FirstRunDemoDataTests(DatabaseProvider.Sqlite);

public sealed class FirstRunDemoDataTestsOnPostgres() : FirstRunDemoDataTests(DatabaseProvider.Postgres), IRunsOnPostgres;

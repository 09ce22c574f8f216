using System.Diagnostics;
using System.Globalization;
using System.Net;
using Desk.Domain.Customers;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web.Data;
using Desk.Web.Email.Outbound;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Npgsql;

namespace Desk.Tests.Data;

/// <summary>
/// Work that must be done once stays done once however many desks share the database: leases for the singleton jobs,
/// claimed batches for the outbox, turns for the writers of orders.
/// </summary>
public abstract class SeveralDesksTests(DatabaseProvider provider)
{
    protected static readonly TimeSpan Check = TimeSpan.FromMilliseconds(200);

    [StorageFact]
    public async Task TryTakeLease_WhileAnotherHoldsIt_IsRefusedUntilItIsLetGo()
    {
        using var database = new TestDatabase(provider);
        var providerOf = DeskDatabaseProviders.For(provider);

        var first = await providerOf.TryTakeLeaseAsync(database.ConnectionString, "mailbox support", Check, CancellationToken.None);
        Assert.NotNull(first);
        Assert.Null(await providerOf.TryTakeLeaseAsync(database.ConnectionString, "mailbox support", Check, CancellationToken.None));
        await using (var other = await providerOf.TryTakeLeaseAsync(database.ConnectionString, "mailbox sales", Check, CancellationToken.None))
            Assert.NotNull(other); // another work's lease is another lease

        await first.DisposeAsync();
        await using var second = await providerOf.TryTakeLeaseAsync(database.ConnectionString, "mailbox support", Check, CancellationToken.None);
        Assert.NotNull(second);
    }

    [StorageFact]
    public async Task Senders_TwoDesksOnOneDatabase_SendEachQueuedMailOnce()
    {
        using var database = new TestDatabase(provider);
        await using var first = new QuietDesk(database);
        await using var second = new QuietDesk(database);
        _ = first.Services; // the first one loads the demo data
        _ = second.Services;
        const int count = 300;
        var ids = new List<string>();
        await using (var db = database.NewContext())
        {
            var at = DeskWebFactory.Now.AddMinutes(-1);
            for (var i = 0; i < count; i++)
            {
                var id = $"claim-{i}@desk.local";
                ids.Add(id);
                db.OutboundMails.Add(new OutboundMail(null, OutboundKind.Reply, $"c{i}@customer.test", "C", $"Mail {i}", "Body", "en", id, null, null, at));
            }
            await db.SaveChangesAsync();
        }
        // Both senders are running; a wake on one reaches both.
        using (var scope = first.Services.CreateScope()) scope.ServiceProvider.GetRequiredService<Outbox>().Wake();

        var deadline = Stopwatch.StartNew();
        while (await QueuedAsync(database) > 0)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "The senders did not empty the outbox within 60 s.");
            await Task.Delay(100);
        }
        await Task.Delay(1_500); // a second sender's late send would show now

        var delivered = first.PickedUp().Concat(second.PickedUp()).Where(ids.Contains).ToList();
        Assert.Equal(count, delivered.Count);
        Assert.Equal(count, delivered.Distinct().Count());
        if (provider == DatabaseProvider.Postgres)
            Assert.True(first.PickedUp().Count > 0 && second.PickedUp().Count > 0, "Both desks should have sent some of the mail.");
    }

    [StorageFact]
    public async Task OrderImports_TwoAtOnce_TakeTurnsSoIdsCommitInOrder()
    {
        using var database = new TestDatabase(provider);
        await using var desk = new QuietDesk(database);
        var release = new TaskCompletionSource();
        var firstStarted = new TaskCompletionSource();

        async IAsyncEnumerable<Desk.Web.Features.Orders.OrderLine> Held()
        {
            yield return Line(1, "held-1");
            firstStarted.SetResult();
            await release.Task; // the import's transaction stays open, its order not yet written
        }
        async IAsyncEnumerable<Desk.Web.Features.Orders.OrderLine> One()
        {
            await Task.Yield();
            yield return Line(1, "quick-1");
        }

        var held = ImportAsync(desk, Held());
        await firstStarted.Task;
        var quick = ImportAsync(desk, One());
        var finishedFirst = await Task.WhenAny(quick, Task.Delay(1_000));
        Assert.NotSame(quick, finishedFirst); // it waits for the open import
        release.SetResult();
        await Task.WhenAll(held, quick);

        await using var db = database.NewContext();
        var heldId = await db.Orders.Where(o => o.ExternalRef == "held-1").Select(o => o.Id).SingleAsync();
        var quickId = await db.Orders.Where(o => o.ExternalRef == "quick-1").Select(o => o.Id).SingleAsync();
        Assert.True(heldId < quickId, $"The open import's order ({heldId}) should have the lower id, the one committed first ({quickId}).");
    }

    private static Desk.Web.Features.Orders.OrderLine Line(long position, string reference) =>
        new(position, $"{reference}@customer.test", null, reference, "2026-11-01", "25.00", null, null);

    private static async Task ImportAsync(DeskWebFactory desk, IAsyncEnumerable<Desk.Web.Features.Orders.OrderLine> lines)
    {
        await using var scope = desk.Services.CreateAsyncScope();
        var import = scope.ServiceProvider.GetRequiredService<Desk.Web.Features.Orders.OrderImport>();
        var result = await import.RunAsync(lines, Desk.Web.Features.Orders.OrderImportMode.Import);
        Assert.Equal(Desk.Web.Features.Orders.OrderImportOutcome.Imported, result.Outcome);
    }

    private static async Task<int> QueuedAsync(TestDatabase database)
    {
        await using var db = database.NewContext();
        return await db.OutboundMails.CountAsync(m => m.State == OutboundState.Queued);
    }

    /// <summary>A desk on a shared database with little demo data, sending into its own pickup folder.</summary>
    private sealed class QuietDesk(TestDatabase database) : DeskWebFactory(database)
    {
        public override int DemoTickets => 20;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Desk:Leases:CheckSeconds", "0.2");
        }

        /// <summary>The Message-IDs of the mails this desk wrote to its pickup folder.</summary>
        public List<string> PickedUp()
        {
            var folder = Path.Combine(MailFolder, "outbox");
            return Directory.Exists(folder)
                ? Directory.EnumerateFiles(folder, "*.eml").Select(f => MimeMessage.Load(f).MessageId ?? "").ToList()
                : [];
        }
    }
}

public sealed class SeveralDesksTestsOnSqlite() : SeveralDesksTests(DatabaseProvider.Sqlite);

public sealed class SeveralDesksTestsOnPostgres() : SeveralDesksTests(DatabaseProvider.Postgres), IRunsOnPostgres
{
    [StorageFact]
    public async Task Lease_ItsConnectionKilled_IsLostAndAnotherDeskTakesIt()
    {
        using var database = new TestDatabase(DatabaseProvider.Postgres);
        var postgres = DeskDatabaseProviders.For(DatabaseProvider.Postgres);
        await using var held = await postgres.TryTakeLeaseAsync(database.ConnectionString, "follow-up scheduler", Check, CancellationToken.None);
        Assert.NotNull(held);

        // What a killed desk's server session sees: the connection ends.
        await using (var admin = new NpgsqlConnection(database.ConnectionString))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'Desk lease: follow-up scheduler'", admin);
            Assert.Equal(true, await kill.ExecuteScalarAsync());
        }

        var lost = Stopwatch.StartNew();
        while (!held.Lost.IsCancellationRequested)
        {
            Assert.True(lost.Elapsed < TimeSpan.FromSeconds(10), "The holder did not notice its lease was lost within 10 s.");
            await Task.Delay(20);
        }
        await using var taken = await postgres.TryTakeLeaseAsync(database.ConnectionString, "follow-up scheduler", Check, CancellationToken.None);
        Assert.NotNull(taken);
    }

    [StorageFact]
    public async Task Signals_RaisedOnOneDesk_WakeTheOther()
    {
        using var database = new TestDatabase(DatabaseProvider.Postgres);
        await using var first = DeskWebFactory.On(database);
        await using var second = DeskWebFactory.On(database);
        var heard = new TaskCompletionSource();
        second.Services.GetRequiredService<DeskSignals>().On(DeskSignals.Outbox, () => heard.TrySetResult());
        _ = first.Services;
        await Task.Delay(500); // both listening
        heard = new TaskCompletionSource(); // not the look every desk takes when it starts listening

        first.Services.GetRequiredService<DeskSignals>().Raise(DeskSignals.Outbox);

        Assert.Same(heard.Task, await Task.WhenAny(heard.Task, Task.Delay(TimeSpan.FromSeconds(5))));
    }
}

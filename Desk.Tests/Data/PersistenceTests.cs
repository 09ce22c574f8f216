using Desk.Domain.Remedies;
using Desk.Domain.Customers;
using Desk.Domain.Orders;
using Desk.Domain.RootCauses;
using Desk.Domain.Sla;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web.Data;
using Desk.Web.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Data;

public abstract class PersistenceTests(DatabaseProvider provider) : IDisposable
{
    private static readonly DateTime Start = new(2026, 3, 2, 9, 15, 30, 123, DateTimeKind.Utc);
    private readonly TestDatabase _database = new(provider);

    public void Dispose() => _database.Dispose();

    [StorageFact]
    public void Migrate_FreshFile_AppliesEveryMigrationAndLeavesNoPendingModelChanges()
    {
        using var db = _database.NewContext();
        Assert.Empty(db.Database.GetPendingMigrations());
        Assert.Equal(db.Database.GetMigrations(), db.Database.GetAppliedMigrations());
        Assert.False(db.Database.HasPendingModelChanges(), "The model changed without a migration: run the README's `dotnet ef migrations add` line for this provider.");
    }

    [StorageFact]
    public void Migrate_FreshFile_SeedsTaxonomyAndSlaTargets()
    {
        using var db = _database.NewContext();
        Assert.Equal(RootCauseTaxonomy.Default.Count, db.RootCauses.Count());
        var topLevel = db.RootCauses.Where(c => c.ParentId == null).OrderBy(c => c.SortOrder).Select(c => c.Code).ToList();
        Assert.Equal(["staff-attitude", "out-of-stock", "poor-service", "untrained-staff", "product-quality", "poor-selection",
            "delivery", "billing-price", "policy", "communication"], topLevel);
        Assert.All(db.RootCauses.Where(c => c.ParentId != null).ToList(), c => Assert.Contains(c.ParentId!.Value, db.RootCauses.Select(p => p.Id)));

        var policy = new SlaPolicy(db.SlaTargets.ToList());
        foreach (var severity in Enum.GetValues<Severity>())
            foreach (var level in Enum.GetValues<RelationshipLevel>())
                Assert.Equal(SlaPolicy.Default.TargetFor(severity, level).Resolution, policy.TargetFor(severity, level).Resolution);
    }

    [StorageFact]
    public void SaveAndLoad_CustomerAndOrder_RoundTripEveryField()
    {
        long customerId;
        using (var db = _database.NewContext())
        {
            var customer = new Customer("  Li.Na@Example.NET ", "李娜", Start, "zh-CN", RelationshipLevel.Proactive, "+86 10 1234 5678");
            db.Customers.Add(customer);
            db.SaveChanges();
            customerId = customer.Id;
            db.Orders.Add(new Order("SO-1", customerId, Start.AddDays(1), 19.995m, "Kettle", "Kitchen"));
            db.SaveChanges();
        }

        using var fresh = _database.NewContext();
        var loaded = fresh.Customers.Single(c => c.Id == customerId);
        Assert.Equal(("li.na@example.net", "李娜", "+86 10 1234 5678", "zh", RelationshipLevel.Proactive, Start),
            (loaded.Email, loaded.Name, loaded.Phone, loaded.Language, loaded.Level, loaded.FirstSeenAt));
        Assert.Equal(DateTimeKind.Utc, loaded.FirstSeenAt.Kind);
        var order = fresh.Orders.Single();
        Assert.Equal(("SO-1", customerId, Start.AddDays(1), 20.00m, "Kettle", "Kitchen"),
            (order.ExternalRef, order.CustomerId, order.PlacedAt, order.Amount, order.Product, order.Category));
    }

    [StorageFact]
    public void SaveAndLoad_TicketThroughWholeWorkflow_RoundTripsFieldsConversationAndAuditTrail()
    {
        long ticketId;
        Ticket original;
        using (var db = _database.NewContext())
        {
            var customer = SavedCustomer(db);
            original = Ticket.Receive(
                new TicketIntake(TicketKind.Complaint, Channel.Web, Severity.Minor, "Kettle leaks", "It leaks from the base.",
                    RemedyKinds.Replacement, "SO-9", "Kettle"),
                customer, SlaPolicy.Default, RepeatComplaintPolicy.Default, Start.AddDays(-10), Start);
            original.Acknowledge("desk", Start.AddSeconds(5));
            original.Assess("alice", Start.AddMinutes(10), Severity.Major, Impact.High, safetyRisk: true, SlaPolicy.Default);
            original.Assign("alice", Start.AddMinutes(11), "bob");
            original.AddInternalNote("bob", Start.AddMinutes(12), "Batch 7 again.");
            original.AddTag("bob", Start.AddMinutes(13), "Batch 7");
            original.RequestInfo("bob", Start.AddMinutes(20), "A photo, please?");
            original.CustomerReplied(customer.Email, Start.AddHours(2), "Here it is.");
            original.Resolve("bob", Start.AddHours(5), new Resolution(RemedyKinds.Replacement, 12.345m, 51, "Seal", "We send a new one."));
            original.StartFollowUp("desk", Start.AddHours(6), TimeSpan.FromDays(14));
            original.RecordFollowUpOutcome("desk", Start.AddDays(3), customerAccepted: true, "Happy now");
            original.Close("desk", Start.AddDays(3).AddMinutes(1));
            db.Tickets.Add(original);
            db.SaveChanges();
            ticketId = original.Id;
        }

        using var fresh = _database.NewContext();
        var loaded = fresh.Tickets.Include(t => t.Conversation).Include(t => t.AuditTrail).Include(t => t.Tags).Single(t => t.Id == ticketId);
        Assert.Equal(TicketNumber.Format(ticketId), loaded.Number);
        Assert.Equal(["batch 7"], loaded.Tags.Select(t => t.Name));
        foreach (var property in typeof(Ticket).GetProperties().Where(p => p.Name is not (nameof(Ticket.Conversation) or nameof(Ticket.AuditTrail) or nameof(Ticket.Tags))))
            Assert.True(Equals(property.GetValue(original), property.GetValue(loaded)),
                $"{property.Name}: saved {property.GetValue(original)}, loaded {property.GetValue(loaded)}");
        Assert.Equal(12.35m, loaded.RemedyCost); // cents, rounded half away from zero
        Assert.True(loaded.IsRepeatComplaint);
        Assert.Equal(
            original.Conversation.Select(e => (e.Kind, e.Author, e.At, e.Body)),
            loaded.Conversation.OrderBy(e => e.Id).Select(e => (e.Kind, e.Author, e.At, e.Body)));
        Assert.Equal(
            original.AuditTrail.Select(a => (a.Actor, a.At, a.FromState, a.Trigger, a.ToState, a.Comment)),
            loaded.AuditTrail.OrderBy(a => a.Id).Select(a => (a.Actor, a.At, a.FromState, a.Trigger, a.ToState, a.Comment)));

        // And the loaded ticket's machine works from the persisted state.
        loaded.Reopen("customer", Start.AddDays(4), "Leaks again");
        Assert.Equal(TicketState.InProgress, loaded.State);
    }

    [StorageFact]
    public void Save_Ticket_StoresEnumsAsNamesTimesAsUnixMillisecondsAndMoneyAsCents()
    {
        using (var db = _database.NewContext())
        {
            var ticket = Ticket.Receive(new TicketIntake(TicketKind.Question, Channel.Api, Severity.Major, "Q", "Why?"),
                SavedCustomer(db), SlaPolicy.Default, RepeatComplaintPolicy.Default, null, Start);
            ticket.Acknowledge("desk", Start);
            ticket.Assign("desk", Start, "bob");
            ticket.Resolve("bob", Start, new Resolution(RemedyKinds.GoodwillGesture, 7.5m, 11));
            db.Tickets.Add(ticket);
            db.SaveChanges();
        }
        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT \"State\", \"Kind\", \"Channel\", \"Severity\", \"RemedyGivenId\", \"ReceivedAt\", \"RemedyCost\" FROM \"Tickets\"";
        using var row = command.ExecuteReader();
        Assert.True(row.Read());
        Assert.Equal(("Resolved", "Question", "Api", "Major", (long)RemedyKinds.GoodwillGesture),
            (row.GetString(0), row.GetString(1), row.GetString(2), row.GetString(3), row.GetInt64(4)));
        Assert.Equal(new DateTimeOffset(Start).ToUnixTimeMilliseconds(), row.GetInt64(5));
        Assert.Equal(750L, row.GetInt64(6));
    }

    [StorageFact]
    public void SaveChanges_TwoAgentsEditOneTicket_SecondSaveRefusedWithClearMessageAndFirstEditKept()
    {
        long id;
        using (var db = _database.NewContext())
        {
            var ticket = Ticket.Receive(new TicketIntake(TicketKind.Complaint, Channel.Email, Severity.Minor, "Late", "Still not here"),
                SavedCustomer(db), SlaPolicy.Default, RepeatComplaintPolicy.Default, null, Start);
            ticket.Acknowledge("desk", Start);
            db.Tickets.Add(ticket);
            db.SaveChanges();
            id = ticket.Id;
        }

        using var alice = _database.NewContext();
        using var bob = _database.NewContext();
        var seenByAlice = alice.Tickets.Single(t => t.Id == id);
        var seenByBob = bob.Tickets.Single(t => t.Id == id);
        seenByAlice.Assign("alice", Start.AddMinutes(1), "alice");
        alice.SaveChanges();
        seenByBob.Escalate("bob", Start.AddMinutes(2), "Angry customer");

        var refused = Assert.Throws<ConcurrencyConflictException>(() => bob.SaveChanges());
        Assert.Contains(TicketNumber.Format(id), refused.Message);
        Assert.Contains("changed by someone else", refused.Message);
        Assert.Contains("reload", refused.Message, StringComparison.OrdinalIgnoreCase);

        using var fresh = _database.NewContext();
        var stored = fresh.Tickets.Include(t => t.AuditTrail).Single(t => t.Id == id);
        Assert.Equal((TicketState.InProgress, "alice", (string?)null), (stored.State, stored.AssignedTo, stored.EscalationReason));
        Assert.Equal(3, stored.AuditTrail.Count);
    }

    [StorageFact]
    public async Task SaveChangesAsync_LostUpdate_IsRefusedTheSameWay()
    {
        long id;
        await using (var db = _database.NewContext())
        {
            var ticket = Ticket.Receive(new TicketIntake(TicketKind.Complaint, Channel.Email, Severity.Minor, "Late", "Still not here"),
                SavedCustomer(db), SlaPolicy.Default, RepeatComplaintPolicy.Default, null, Start);
            db.Tickets.Add(ticket);
            await db.SaveChangesAsync();
            id = ticket.Id;
        }
        await using var first = _database.NewContext();
        await using var second = _database.NewContext();
        var a = await first.Tickets.SingleAsync(t => t.Id == id);
        var b = await second.Tickets.SingleAsync(t => t.Id == id);
        a.AddInternalNote("alice", Start, "Mine");
        await first.SaveChangesAsync();
        b.AddInternalNote("bob", Start, "Mine too");
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => second.SaveChangesAsync());
    }

    [StorageFact]
    public void Save_TwoCustomersWithOneAddressInDifferentCase_SecondIsRefusedByUniqueIndex()
    {
        using var db = _database.NewContext();
        db.Customers.Add(new Customer("Same@Example.com", "One", Start));
        db.SaveChanges();
        db.Customers.Add(new Customer("same@example.COM", "Two", Start));
        Assert.Throws<DbUpdateException>(() => db.SaveChanges());
    }

    [StorageFact]
    public void SaveAndLoad_RootCauseAndSlaTargetEdits_RoundTrip()
    {
        using (var db = _database.NewContext())
        {
            var custom = new RootCause(RootCauseTaxonomy.FirstCustomId, "delivery/locker", "Parcel locker full", "快递柜已满", 70, 9);
            db.RootCauses.Add(custom);
            db.RootCauses.Single(c => c.Code == "policy/warranty").Retire();
            var target = db.SlaTargets.Single(t => t.Severity == Severity.Major && t.Level == RelationshipLevel.Basic);
            target.Change(TimeSpan.FromMinutes(30), TimeSpan.FromHours(24));
            db.SaveChanges();
        }
        using var fresh = _database.NewContext();
        var locker = fresh.RootCauses.Single(c => c.Id == RootCauseTaxonomy.FirstCustomId);
        Assert.Equal(("delivery/locker", "Parcel locker full", "快递柜已满", (int?)70, true), (locker.Code, locker.Name, locker.NameZh, locker.ParentId, locker.IsActive));
        Assert.False(fresh.RootCauses.Single(c => c.Code == "policy/warranty").IsActive);
        var changed = fresh.SlaTargets.Single(t => t.Severity == Severity.Major && t.Level == RelationshipLevel.Basic);
        Assert.Equal((TimeSpan.FromMinutes(30), TimeSpan.FromHours(24)), (changed.FirstResponse, changed.Resolution));
    }

    private static Customer SavedCustomer(DeskDbContext db)
    {
        var customer = new Customer($"c{Guid.NewGuid():N}@example.com", "Casey", Start.AddYears(-1));
        db.Customers.Add(customer);
        db.SaveChanges();
        return customer;
    }

    private static long Scalar(System.Data.Common.DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

public sealed class PersistenceTestsOnSqlite() : PersistenceTests(DatabaseProvider.Sqlite);

public sealed class PersistenceTestsOnPostgres() : PersistenceTests(DatabaseProvider.Postgres), IRunsOnPostgres;

/// <summary>SQLite's own connection settings (PostgreSQL has none of these).</summary>
public sealed class SqliteConnectionTests : IDisposable
{
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public void Connection_Opened_IsInWalModeWithBusyTimeoutAndForeignKeys()
    {
        using var db = _database.NewContext();
        db.Database.OpenConnection();
        var connection = db.Database.GetDbConnection();
        Assert.Equal("wal", SqliteStore.JournalMode(connection), ignoreCase: true);
        Assert.Equal(SqliteStore.BusyTimeoutMilliseconds, Scalar(connection, "PRAGMA busy_timeout"));
        Assert.Equal(1L, Scalar(connection, "PRAGMA foreign_keys"));
    }

    private static long Scalar(System.Data.Common.DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

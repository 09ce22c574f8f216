using Desk.Domain.Customers;
using Desk.Domain.Sla;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web.Data;
using Desk.Web.Features.Import;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Desk.Tests.Import;

/// <summary>Each peer's fixture imported into a real database: counts, states, conversations, files, the report, idempotence.</summary>
public abstract class HistoryImportTests(DatabaseProvider provider) : IDisposable
{
    private static readonly DateTime Now = new(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc);
    private readonly TestDatabase _database = new(provider);

    public void Dispose() => _database.Dispose();

    private async Task<HistoryImportResult> ImportAsync(ImportFixture fixture)
    {
        await using var db = _database.NewContext();
        var import = new HistoryImport(db, SlaPolicy.Default, new FakeTimeProvider(new DateTimeOffset(Now)));
        await using var file = File.OpenRead(fixture.Path);
        var export = await fixture.Reader.ReadAsync(file, default);
        return await import.RunAsync(fixture.Reader, export, progress: null, default);
    }

    /// <summary>The Desk ticket that the peer's ticket <paramref name="reference"/> became, found by its import audit entry.</summary>
    private static Task<Ticket> TicketAsync(DeskDbContext db, string peerName, string reference) =>
        db.Tickets.Include(t => t.Conversation).Include(t => t.AuditTrail)
            .SingleAsync(t => t.AuditTrail.Any(a => a.Comment!.StartsWith($"Imported from {peerName} #{reference},")));

    [StorageTheory]
    [MemberData(nameof(ImportFixture.Peers), MemberType = typeof(ImportFixture))]
    public async Task Import_PeerFixture_StoresCustomersTicketsStatesAndConversations(string peer)
    {
        var fixture = ImportFixture.All[peer];
        await using (var db = _database.NewContext())
        {
            db.Customers.Add(new Customer("ann.lee@example.org", "Ann from the shop", new DateTime(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc)));
            await db.SaveChangesAsync();
        }

        var result = await ImportAsync(fixture);

        Assert.Equal((fixture.States.Count, 0), (result.Imported, result.AlreadyImported));
        Assert.Equal(fixture.Customers - 1, result.NewCustomers); // Ann was known: merged, not created again
        Assert.Equal(1, result.Attachments);
        Assert.Contains(result.Unmapped, u => u.Item == fixture.OddItem && u.ToString().Contains(fixture.OddText, StringComparison.Ordinal));
        await using (var db = _database.NewContext())
        {
            Assert.Equal(fixture.States.Count, await db.Tickets.CountAsync());
            Assert.Equal(fixture.Customers, await db.Customers.CountAsync());
            var ann = await db.Customers.SingleAsync(c => c.Email == "ann.lee@example.org");
            Assert.Equal("Ann from the shop", ann.Name); // the desk's own record stands
            Assert.Equal(new DateTime(2025, 3, 2, 9, 15, 0, DateTimeKind.Utc), ann.FirstSeenAt); // her tenure starts at her first ticket there
            var peerName = fixture.Reader.Name;
            foreach (var (reference, state) in fixture.States)
                Assert.Equal((reference, state), (reference, (await TicketAsync(db, peerName, reference)).State));

            var kettle = await TicketAsync(db, peerName, fixture.Conversation);
            Assert.Equal(ann.Id, kettle.CustomerId);
            Assert.Equal("Kettle arrived broken", kettle.Subject);
            Assert.Equal(new DateTime(2025, 3, 2, 9, 15, 0, DateTimeKind.Utc), kettle.ReceivedAt); // the peer's time, not today's
            Assert.Equal(new DateTime(2025, 3, 2, 11, 30, 0, DateTimeKind.Utc), kettle.UpdatedAt);
            Assert.Equal(new DateTime(2025, 3, 2, 10, 2, 0, DateTimeKind.Utc), kettle.FirstRespondedAt);
            var conversation = kettle.Conversation.OrderBy(e => e.At).ToList();
            Assert.Equal([ConversationEntryKind.Inbound, ConversationEntryKind.Outbound, ConversationEntryKind.InternalNote, ConversationEntryKind.Inbound],
                conversation.Select(e => e.Kind));
            Assert.StartsWith("The kettle I ordered (KT-200) arrived with a cracked lid.", conversation[0].Body); // HTML read as text
            Assert.Equal("ann.lee@example.org", conversation[0].Author.ToLowerInvariant());
            Assert.Equal("Second cracked lid this month; asked the warehouse.", conversation[2].Body);
            var receipt = await db.Attachments.SingleAsync(a => a.TicketId == kettle.Id);
            Assert.Equal(("receipt.txt", "text/plain", conversation[3].Id), (receipt.FileName, receipt.ContentType, receipt.ConversationEntryId));
            Assert.Equal(ImportFixture.Receipt, receipt.Content);

            Assert.Contains(await db.AuditEntries.Select(a => a.Comment).ToListAsync(), c => c == fixture.AuditExample);
            Assert.Equal(0, await db.OutboundMails.CountAsync()); // no acknowledgement, no mail of any kind
            Assert.Equal(0, await db.Tickets.CountAsync(t => t.ReceivedAt >= Now.Date)); // none counts as today's arrival
        }
    }

    [StorageTheory]
    [MemberData(nameof(ImportFixture.Peers), MemberType = typeof(ImportFixture))]
    public async Task Import_SameFileTwice_SecondChangesNothing(string peer)
    {
        var fixture = ImportFixture.All[peer];
        var first = await ImportAsync(fixture);
        var before = await SnapshotAsync();

        var second = await ImportAsync(fixture);

        Assert.Equal((0, first.Imported, 0), (second.Imported, second.AlreadyImported, second.NewCustomers));
        Assert.Equal(before, await SnapshotAsync());
    }

    [StorageFact]
    public async Task Import_TwoDesksAtOnce_StoreEachTicketOnce()
    {
        var fixture = ImportFixture.All["zendesk"];

        var results = await Task.WhenAll(Task.Run(() => ImportAsync(fixture)), Task.Run(() => ImportAsync(fixture)));

        Assert.Equal(fixture.States.Count, results.Sum(r => r.Imported));
        Assert.Equal(fixture.States.Count, results.Sum(r => r.AlreadyImported));
        await using var db = _database.NewContext();
        Assert.Equal(fixture.States.Count, await db.Tickets.CountAsync());
        Assert.Equal(fixture.Customers, await db.Customers.CountAsync());
    }

    private async Task<string> SnapshotAsync()
    {
        await using var db = _database.NewContext();
        var tickets = await db.Tickets.OrderBy(t => t.Id).Select(t => $"{t.Id}:{t.State}:{t.Version}:{t.UpdatedAt:O}").ToListAsync();
        return string.Join(",", tickets) + $"|{await db.Customers.CountAsync()}|{await db.ConversationEntries.CountAsync()}"
            + $"|{await db.AuditEntries.CountAsync()}|{await db.Attachments.CountAsync()}|{await db.ImportedTickets.CountAsync()}";
    }

    [StorageFact]
    public async Task Read_AnotherPeersFile_IsRefusedAndNothingIsImported()
    {
        var zendesk = ImportFixture.All["zendesk"].Reader;
        await using var osTicketFile = File.OpenRead(ImportFixture.All["osticket"].Path);

        var refused = await Assert.ThrowsAsync<PeerExportException>(() => zendesk.ReadAsync(osTicketFile, default));

        Assert.Contains("not a Zendesk export", refused.Message);
        await using var db = _database.NewContext();
        Assert.Equal(0, await db.Tickets.CountAsync());
    }
}

public sealed class HistoryImportTestsOnSqlite() : HistoryImportTests(DatabaseProvider.Sqlite);

public sealed class HistoryImportTestsOnPostgres() : HistoryImportTests(DatabaseProvider.Postgres), IRunsOnPostgres;

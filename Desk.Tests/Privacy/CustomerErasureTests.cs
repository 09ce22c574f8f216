using System.Text.Json;
using Desk.Domain.Tickets;
using Desk.Tests.Reports;
using Desk.Tests.Seed;
using Desk.Tests.Support;
using Desk.Web.Data;
using Desk.Web.Email.Intake;
using Desk.Web.Email.Outbound;
using Desk.Web.Features.Attachments;
using Desk.Web.Features.Privacy;
using Desk.Web.Features.Reports;
using Desk.Web.Features.Reports.Recovery;
using Desk.Web.Features.Reports.Remedies;
using Desk.Web.Features.Reports.RootCauses;
using Desk.Web.Features.Reports.Sla;
using Desk.Web.Features.Reports.ThreeFaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Desk.Tests.Privacy;

/// <summary>
/// Erasing a customer on a generated desk, on both databases: their personal data goes, their tickets stay anonymised,
/// and every report counts exactly what it counted before — and what a rebuild of the kept outcomes gives.
/// </summary>
public abstract class CustomerErasureTests : IDisposable
{
    private readonly TestDatabase _database;
    private readonly FakeTimeProvider _clock = new(GeneratedDesk.Now);

    protected CustomerErasureTests(DatabaseProvider provider)
    {
        _database = new TestDatabase(provider);
        GeneratedDesk.Generate(_database, 1_500, seed: 5, GeneratedDesk.Now);
    }

    public void Dispose()
    {
        _database.Dispose();
        GC.SuppressFinalize(this);
    }

    [StorageFact]
    public async Task EraseAsync_CustomerWithHistory_RemovesPersonalData_AndTheReportsCountTheSameAsBeforeAndAsARebuild()
    {
        await using var db = _database.NewContext();
        await ReportOutcomes.RefreshAsync(db, GeneratedDesk.Now, null, CancellationToken.None);
        // A customer whose complaint was followed by an order: they are in the recovery figures' numerators.
        var customerId = await db.Database.SqlQueryRaw<long>("""
            SELECT "CustomerId" AS "Value" FROM "ComplaintOutcomes" WHERE "Revenue" IS NOT NULL ORDER BY "TicketId" LIMIT 1
            """).SingleAsync();
        var (ticketId, email) = await PrepareHistoryAsync(db, customerId);
        db.Add(new Desk.Web.Features.Drafts.ReplyDraft(ticketId, "maria", "Dear customer in Quokkaville, about your parcel…", GeneratedDesk.Now));
        await db.SaveChangesAsync();
        Assert.Contains(ticketId, await db.TicketSearch("Quokkaville").ToListAsync());
        Assert.Contains(ticketId, await db.TicketSearch("Zebulonia").ToListAsync());
        await ReportOutcomes.RefreshAsync(db, GeneratedDesk.Now, null, CancellationToken.None);
        var reportsBefore = await ReportsAsync(db);
        var keptBefore = await KeptOutcomesTests.SnapshotAsync(db);

        await using (var erasing = _database.NewContext())
        {
            var counts = await new CustomerErasure(erasing, _clock).EraseAsync(customerId, " " + email.ToUpperInvariant() + " ", "maria", CancellationToken.None);
            Assert.NotNull(counts);
            Assert.Equal((1L, 1L), (counts.RawMails, counts.Attachments));
            Assert.True(counts.Tickets >= 1);
        }

        db.ChangeTracker.Clear();
        var customer = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == customerId);
        Assert.Equal(($"erased-{customerId}@erased.invalid", $"Erased customer {customerId}", (string?)null, (DateTime?)GeneratedDesk.Now),
            (customer.Email, customer.Name, customer.Phone, customer.ErasedAt));
        var tickets = await db.Tickets.AsNoTracking().Include(t => t.Conversation).Include(t => t.AuditTrail).Where(t => t.CustomerId == customerId).ToListAsync();
        Assert.All(tickets, t =>
        {
            Assert.Equal((Ticket.Removed, Ticket.Removed, (string?)null), (t.Subject, t.Description, t.OrderReference));
            Assert.All(t.Conversation, e => Assert.Equal(Ticket.Removed, e.Body));
            Assert.DoesNotContain(t.Conversation, e => e.Author.Contains('@', StringComparison.Ordinal));
            Assert.DoesNotContain(t.AuditTrail, a => a.Actor.Contains('@', StringComparison.Ordinal));
        });
        Assert.Equal(0, await db.Attachments.CountAsync(a => a.TicketId == ticketId));
        Assert.Equal(0, await db.Set<Desk.Web.Features.Drafts.ReplyDraft>().CountAsync(d => d.TicketId == ticketId)); // an agent's unsent words too
        var mail = await db.InboundMails.AsNoTracking().SingleAsync(m => m.TicketId == ticketId);
        Assert.Equal((0L, "", "", (string?)null), (mail.Size, mail.From, mail.Subject, mail.Html));
        Assert.Empty(mail.Raw);
        Assert.Equal(0, await db.OutboundMails.CountAsync(m => m.TicketId == ticketId || m.To == email));
        Assert.All(await db.Orders.Where(o => o.CustomerId == customerId).ToListAsync(), o => Assert.StartsWith("erased:", o.ExternalRef, StringComparison.Ordinal));
        Assert.Empty(await db.TicketSearch("Quokkaville").ToListAsync());
        Assert.Empty(await db.TicketSearch("Zebulonia").ToListAsync());
        var trail = await db.PrivacyEvents.SingleAsync();
        Assert.Equal((PrivacyAction.Erasure, "maria", customerId, GeneratedDesk.Now), (trail.Action, trail.Actor, trail.CustomerId!.Value, trail.At));

        // The figures: the same as before the erasure, the kept rows the same, and what a rebuild from nothing gives.
        await ReportOutcomes.RefreshAsync(db, GeneratedDesk.Now, null, CancellationToken.None);
        Assert.Equal(reportsBefore, await ReportsAsync(db));
        Assert.Equal(keptBefore, await KeptOutcomesTests.SnapshotAsync(db));
        await db.Database.ExecuteSqlRawAsync(KeptOutcomesTests.RebuildAll);
        await ReportOutcomes.RefreshAsync(db, GeneratedDesk.Now, null, CancellationToken.None);
        Assert.Equal(keptBefore, await KeptOutcomesTests.SnapshotAsync(db));
        Assert.Equal(reportsBefore, await ReportsAsync(db));
    }

    [StorageFact]
    public async Task EraseAsync_WrongAddressTyped_ErasesNothing()
    {
        await using var db = _database.NewContext();
        var customer = await db.Customers.AsNoTracking().OrderBy(c => c.Id).FirstAsync();

        var refused = await Assert.ThrowsAsync<Desk.Domain.DomainException>(() =>
            new CustomerErasure(db, _clock).EraseAsync(customer.Id, "someone.else@example.org", "maria", CancellationToken.None));

        Assert.Contains("Type the customer's address", refused.Message, StringComparison.Ordinal);
        db.ChangeTracker.Clear();
        Assert.Equal(customer.Email, (await db.Customers.AsNoTracking().SingleAsync(c => c.Id == customer.Id)).Email);
        Assert.Equal(0, await db.PrivacyEvents.CountAsync());
        Assert.Null(await new CustomerErasure(db, _clock).EraseAsync(999_999_999, "x@example.org", "maria", CancellationToken.None));
    }

    /// <summary>A mail with a file, the desk's answer, a unique word in the conversation and the customer's name: all to go.</summary>
    private async Task<(long TicketId, string Email)> PrepareHistoryAsync(DeskDbContext db, long customerId)
    {
        var customer = await db.Customers.SingleAsync(c => c.Id == customerId);
        customer.Rename("Zebulonia Testperson");
        var ticket = await db.Tickets.Include(t => t.Conversation).Where(t => t.CustomerId == customerId).OrderBy(t => t.Id).FirstAsync();
        ticket.AddInternalNote("li.na", GeneratedDesk.Now, "She lives at 3 Quokkaville Lane.");
        await db.SaveChangesAsync();
        var entry = ticket.Conversation.First();
        var mail = new InboundMail("mid:privacy-1@example.org", "privacy-1@example.org", "test", customer.Email, "My lamp", GeneratedDesk.Now,
            InboundOutcome.Opened, null, "From: x\r\n\r\nQuokkaville"u8.ToArray());
        mail.LinkTo(ticket.Id, entry.Id, "<p>Quokkaville</p>");
        db.InboundMails.Add(mail);
        db.Attachments.Add(new Attachment(ticket.Id, entry.Id, "photo.png", "image/png", [0x89, 0x50, 0x4E, 0x47, 1, 2], GeneratedDesk.Now));
        db.OutboundMails.Add(new OutboundMail(ticket.Id, OutboundKind.Reply, customer.Email, customer.Name, "Re: My lamp", "Dear Zebulonia", "en",
            "<out-privacy-1@desk.local>", null, null, GeneratedDesk.Now));
        await db.SaveChangesAsync();
        return (ticket.Id, customer.Email);
    }

    /// <summary>What managers read: every report with no filter, as text.</summary>
    private async Task<string> ReportsAsync(DeskDbContext db)
    {
        var filter = new RecoveryFilter();
        var thresholds = new Desk.Domain.Loyalty.LoyaltyThresholds();
        return string.Join("\n",
            JsonSerializer.Serialize(await new RecoveryMatrixQuery(db, _clock).RunAsync(filter, CancellationToken.None)),
            JsonSerializer.Serialize(await new SlaReportQuery(db, _clock).RunAsync(filter, CancellationToken.None)),
            JsonSerializer.Serialize(await new RemedyEffectivenessQuery(db, _clock).RunAsync(filter, CancellationToken.None)),
            JsonSerializer.Serialize(await new ThreeFacesQuery(db, _clock, thresholds).RunAsync(filter, CancellationToken.None)),
            JsonSerializer.Serialize(await new RootCauseParetoQuery(db, _clock).RunAsync(new ParetoFilter(), CancellationToken.None)));
    }
}

public sealed class CustomerErasureTestsOnSqlite() : CustomerErasureTests(DatabaseProvider.Sqlite);

public sealed class CustomerErasureTestsOnPostgres() : CustomerErasureTests(DatabaseProvider.Postgres), IRunsOnPostgres;

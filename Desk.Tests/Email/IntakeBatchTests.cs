using System.Text;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web.Email.Intake;
using Desk.Web.Email.Outbound;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Desk.Tests.Email;

/// <summary>
/// A poller's batch is stored in one transaction: these check that batching changes nothing a mail by mail intake
/// would do — a mail that fails while being stored costs only itself, duplicates and replies inside one batch are seen.
/// </summary>
public abstract class IntakeBatchTests(MailDesk desk)
{
    private async Task<IReadOnlyList<IntakeResult>> TakeManyAsync(params byte[][] raws)
    {
        using var scope = desk.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<MailIntake>().TakeManyAsync(raws, "batch test", CancellationToken.None);
    }

    [StorageFact]
    public async Task TakeMany_AMailThatFailsWhileBeingStored_IsQuarantinedAndTheOthersBecomeTickets()
    {
        var before = MailDesk.Bytes(MailDesk.CustomerMail("batch.before@customer.test", "Cracked screen", "The screen arrived cracked."));
        // A sender address that mail parsing accepts (a quoted local part with a space) but the desk's customers cannot
        // have: it fails inside the transaction, after the mail before it was stored.
        var broken = Encoding.ASCII.GetBytes("From: Odd <\"odd one\"@customer.test>\r\nTo: support@desk.local\r\nSubject: Odd sender\r\n" +
            "Message-ID: <odd-sender@customer.test>\r\n\r\nHello\r\n");
        var after = MailDesk.Bytes(MailDesk.CustomerMail("batch.after@customer.test", "Wrong colour", "I ordered blue and got green."));

        var results = await TakeManyAsync(before, broken, after);

        Assert.Equal([IntakeOutcome.Opened, IntakeOutcome.Quarantined, IntakeOutcome.Opened], results.Select(r => r.Outcome));
        Assert.Contains("is not an e-mail address", results[1].Reason);
        await using var db = desk.Database.NewContext();
        Assert.Equal(1, await db.QuarantinedMails.CountAsync(q => q.Source == "batch test" && q.Reason.Contains("odd one")));
        foreach (var opened in new[] { results[0], results[2] })
            Assert.True(await db.Tickets.AnyAsync(t => t.Id == opened.TicketId));
        Assert.Equal(2, await db.OutboundMails.CountAsync(m => m.To == "batch.before@customer.test" || m.To == "batch.after@customer.test"));
    }

    [StorageFact]
    public async Task TakeMany_TheSameMailTwiceInOneBatch_MakesOneTicket()
    {
        var raw = MailDesk.Bytes(MailDesk.CustomerMail("batch.twice@customer.test", "Double charge", "I was charged twice."));

        var results = await TakeManyAsync(raw, raw);

        Assert.Equal(IntakeOutcome.Opened, results[0].Outcome);
        Assert.Equal((IntakeOutcome.Duplicate, results[0].TicketId), (results[1].Outcome, results[1].TicketId));
        await using var db = desk.Database.NewContext();
        Assert.Equal(1, await db.Tickets.CountAsync(t => t.Subject == "Double charge"));
    }

    [StorageFact]
    public async Task TakeMany_AReplyInTheSameBatchAsItsFirstMail_LandsInThatTicket()
    {
        var first = MailDesk.CustomerMail("batch.reply@customer.test", "Missing manual", "The box had no manual.");
        var reply = MailDesk.ReplyTo("batch.reply@customer.test", first.MessageId!, "Re: Missing manual", "It is the model X200.");

        var results = await TakeManyAsync(MailDesk.Bytes(first), MailDesk.Bytes(reply));

        Assert.Equal((IntakeOutcome.Added, results[0].TicketId), (results[1].Outcome, results[1].TicketId));
        await using var db = desk.Database.NewContext();
        var bodies = await db.ConversationEntries.Where(e => e.TicketId == results[0].TicketId && e.Kind == ConversationEntryKind.Inbound)
            .OrderBy(e => e.Id).Select(e => e.Body).ToListAsync();
        Assert.Equal(2, bodies.Count);
        Assert.Contains("X200", bodies[1]);
    }

    [StorageFact]
    public async Task TakeMany_TwoComplaintsFromANewCustomerInOneBatch_OneCustomerAndTheSecondIsARepeat()
    {
        var results = await TakeManyAsync(
            MailDesk.Bytes(MailDesk.CustomerMail("batch.repeat@customer.test", "Late parcel", "Two weeks late.")),
            MailDesk.Bytes(MailDesk.CustomerMail("batch.repeat@customer.test", "Late again", "The replacement is late too.")));

        await using var db = desk.Database.NewContext();
        Assert.Equal(1, await db.Customers.CountAsync(c => c.Email == "batch.repeat@customer.test"));
        var tickets = await db.Tickets.Where(t => t.Id == results[0].TicketId || t.Id == results[1].TicketId).OrderBy(t => t.Id).ToListAsync();
        Assert.Equal([false, true], tickets.Select(t => t.IsRepeatComplaint));
    }

    [StorageFact]
    public void Batches_CutAtFiftyMailsAndSixteenMegabytes_ABigMailGoesAlone()
    {
        const long MB = 1024 * 1024;
        var small = Enumerable.Repeat(30_000L, 120).ToList();
        Assert.Equal([50, 50, 20], MailIntake.Batches(small, s => s).Select(b => b.Count));

        var mixed = new List<long> { MB, MB, 25 * MB, MB, 10 * MB, 10 * MB };
        Assert.Equal([[MB, MB], [25 * MB], [MB, 10 * MB], [10 * MB]], MailIntake.Batches(mixed, s => s).Select(b => b.ToArray()));
        Assert.Empty(MailIntake.Batches(new List<long>(), s => s));
    }
}

public sealed class IntakeBatchTestsOnSqlite(MailDesk desk) : IntakeBatchTests(desk), IClassFixture<MailDesk>;

public sealed class IntakeBatchTestsOnPostgres(PostgresMailDesk desk) : IntakeBatchTests(desk), IClassFixture<PostgresMailDesk>, IRunsOnPostgres;

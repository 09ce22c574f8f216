using System.Text;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web.Email.Intake;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Email;

/// <summary>
/// The text a ticket shows of a mail taken in: quoted history and signatures stripped from the first mail as from
/// replies, long text kept, and repaired mail saying what was repaired; the original always kept beside it.
/// </summary>
public abstract class MailIntakeTextTests(MailDesk desk)
{
    [StorageFact]
    public async Task Take_FirstMailAnsweringTheShopsMail_ShowsOnlyTheCustomersWordsAndKeepsTheOriginal()
    {
        // Apple Mail writes format=flowed; its "-- " must stay a signature delimiter after the lines are joined.
        var raw = Raw("first-quote@customer.test", "Re: Your order 1042 has shipped", "text/plain; charset=utf-8; format=flowed",
            "It never came, and the tracking page says \r\ndelivered.\r\n\r\n-- \r\nAna Souza\r\n\r\n" +
            "On Fri, Nov 20, 2026 at 3:14 PM Shop <orders@shop.example> wrote:\r\n> Your order 1042 has shipped.\r\n> Shop\r\n");

        var result = await desk.TakeAsync(raw);

        Assert.Equal(IntakeOutcome.Opened, result.Outcome);
        await using var db = desk.Database.NewContext();
        var ticket = await db.Tickets.Include(t => t.Conversation).SingleAsync(t => t.Id == result.TicketId);
        const string words = "It never came, and the tracking page says delivered.";
        Assert.Equal(words, ticket.Description);
        Assert.Equal(words, ticket.Conversation.Single().Body);
        var inbound = await db.InboundMails.SingleAsync(m => m.TicketId == ticket.Id);
        Assert.Equal(ticket.Conversation.Single().Id, inbound.ConversationEntryId); // the "original (.eml)" link of that message
        Assert.Equal(raw, inbound.Raw);
    }

    [StorageFact]
    public async Task Take_FirstMailThatIsAllQuote_KeepsTheWholeText()
    {
        var text = "Sent from my iPhone\r\n\r\n-----Original Message-----\r\nFrom: Shop <orders@shop.example>\r\nSent: Friday, November 20, 2026 3:14 PM\r\n" +
                   "To: Ana\r\nSubject: Refund\r\n\r\nYour refund was refused.";

        var result = await desk.TakeAsync(Raw("all-quote@customer.test", "Fw: Refund", "text/plain; charset=utf-8", text));

        var ticket = await TicketAsync(result.TicketId!.Value);
        Assert.Equal(text.Replace("\r\n", "\n", StringComparison.Ordinal), ticket.Conversation.Single().Body);
    }

    [StorageFact]
    public async Task Take_MailWithAVeryLongLine_KeepsEveryWordOfIt()
    {
        var line = string.Concat(Enumerable.Repeat("the hinge broke again ", 10_000)); // 220,000 characters, no line break
        var result = await desk.TakeAsync(Raw("long-line@customer.test", "Hinge", "text/plain; charset=utf-8", line + "and I want my money back."));

        var ticket = await TicketAsync(result.TicketId!.Value);
        // Compared as plain strings: xUnit's string equality is slow on a line this long.
        var body = ticket.Conversation.Single().Body;
        Assert.True(body == line + "and I want my money back.", $"{body.Length} characters, ending \"{body[^40..]}\"");
        Assert.True(ticket.Description == body);
    }

    [StorageFact]
    public async Task Take_TextLongerThanAMessageHolds_IsCutWithAClearMarkAndANoteThatTheRestIsInTheOriginal()
    {
        var text = string.Concat(Enumerable.Repeat("Lorem ipsum dolor sit amet.\n", 45_000)); // 1,260,000 characters
        var opened = await desk.TakeAsync(Raw("longest@customer.test", "Very long", "text/plain; charset=utf-8", text));
        var reply = await desk.TakeAsync(Raw("longest@customer.test", $"Re: Very long [{TicketNumber.Format(opened.TicketId!.Value)}]", "text/plain; charset=utf-8", text));

        Assert.Equal((IntakeOutcome.Added, opened.TicketId), (reply.Outcome, reply.TicketId)); // not quarantined
        var ticket = await TicketAsync(opened.TicketId.Value);
        await using var db = desk.Database.NewContext();
        foreach (var entry in ticket.Conversation.Where(e => e.Kind == ConversationEntryKind.Inbound))
        {
            Assert.True(entry.Body.Length <= 1_000_000, $"{entry.Body.Length} characters");
            Assert.StartsWith(text[..900_000], entry.Body, StringComparison.Ordinal);
            Assert.EndsWith("[…] The rest of this text is in the original mail (.eml).", entry.Body, StringComparison.Ordinal);
            var inbound = await db.InboundMails.SingleAsync(m => m.ConversationEntryId == entry.Id);
            Assert.Matches(@"The text is 1,259,99\d characters long; the first [\d,]+ are shown and the whole text is in the original mail", inbound.Note);
        }
    }

    [StorageFact]
    public async Task Take_MailARepairFromAnEmptyMailboxOrAPastedLineMadeReadable_OpensATicketThatSaysWhatWasRepaired()
    {
        var raw = Encoding.ASCII.GetBytes(string.Join("\r\n", "==============================", "From: <>, Ana Lima <repaired@customer.test>",
            $"To: Desk <{MailDesk.DeskAddress}>", "Subject: Kettle", $"Message-ID: <{Guid.NewGuid():N}@customer.test>", "", "It leaks from the base.", ""));

        var result = await desk.TakeAsync(raw);

        Assert.Equal(IntakeOutcome.Opened, result.Outcome); // not quarantined, not set aside as a robot's
        await using var db = desk.Database.NewContext();
        var ticket = await db.Tickets.SingleAsync(t => t.Id == result.TicketId);
        Assert.Equal("repaired@customer.test", (await db.Customers.SingleAsync(c => c.Id == ticket.CustomerId)).Email);
        var note = (await db.InboundMails.SingleAsync(m => m.TicketId == ticket.Id)).Note;
        Assert.Contains("not a header and was skipped", note, StringComparison.Ordinal);
        Assert.Contains("listed an empty address before repaired@customer.test", note, StringComparison.Ordinal);
        Assert.Single(await db.OutboundMails.Where(m => m.TicketId == ticket.Id).ToListAsync()); // acknowledged like any customer
    }

    private static byte[] Raw(string from, string subject, string contentType, string body) => Encoding.UTF8.GetBytes(string.Join("\r\n",
        $"From: Ana Souza <{from}>", $"To: Desk <{MailDesk.DeskAddress}>", $"Subject: {subject}", $"Message-ID: <{Guid.NewGuid():N}@customer.test>",
        "Date: Mon, 23 Nov 2026 09:00:00 +0000", "MIME-Version: 1.0", $"Content-Type: {contentType}", "Content-Transfer-Encoding: 8bit", "", body));

    private async Task<Ticket> TicketAsync(long id)
    {
        await using var db = desk.Database.NewContext();
        return await db.Tickets.AsNoTracking().Include(t => t.Conversation).SingleAsync(t => t.Id == id);
    }
}

public sealed class MailIntakeTextTestsOnSqlite(MailDesk desk) : MailIntakeTextTests(desk), IClassFixture<MailDesk>;

public sealed class MailIntakeTextTestsOnPostgres(PostgresMailDesk desk) : MailIntakeTextTests(desk), IClassFixture<PostgresMailDesk>, IRunsOnPostgres;

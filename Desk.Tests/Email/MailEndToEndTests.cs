using System.Diagnostics;
using System.Globalization;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web.Email.Intake;
using Desk.Web.Email.Outbound;
using MailKit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using MimeKit.Utils;
using Xunit.Abstractions;

namespace Desk.Tests.Email;

/// <summary>
/// The desk against real mail servers on 127.0.0.1 (Exim for SMTP, Dovecot for IMAP, from scripts/mailstack): a
/// customer's mail sent over SMTP becomes a ticket, the acknowledgement reaches the customer's mailbox, their reply to
/// it lands in the ticket, the agent's answer arrives threaded, an out-of-office changes nothing; with SMTP down the
/// outbox waits and delivers when it is back.
/// </summary>
[Collection(MailStackCollection.Name)]
public sealed class MailEndToEndTests(MailStack stack, ITestOutputHelper output)
{
    private const string Password = "Mail-Test-Pw-1";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [MailStackFact]
    public async Task CustomerMail_RoundTripOverSmtpAndImap_OneThreadedTicket()
    {
        var (deskAddress, customer) = await MailboxesAsync("round");
        await using var desk = new StackDesk(stack, deskAddress, Password);
        var agent = await desk.SignedInAsync("alice"); // starts the desk and its pollers

        // 1. The complaint, over SMTP.
        var complaint = Mail(customer, deskAddress, "The blender smells of burning", "It smoked the first time I used it.");
        var sentAt = Stopwatch.GetTimestamp();
        await stack.SendAsync(complaint);
        var inbound = await UntilAsync(desk, db => db.InboundMails.SingleOrDefaultAsync(m => m.MessageId == complaint.MessageId));
        output.WriteLine($"arrival to committed ticket over IMAP IDLE: {Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds:N0} ms");
        Assert.Equal(InboundOutcome.Opened, inbound.Outcome);
        var number = TicketNumber.Format(inbound.TicketId!.Value);

        // 2. The acknowledgement, in the customer's mailbox.
        var ack = await stack.WaitForMessageAsync(customer, Password, m => m.Subject?.Contains($"[{number}]") == true, Wait);
        Assert.Equal(("auto-replied", complaint.MessageId), (ack.Headers["Auto-Submitted"], ack.InReplyTo));
        Assert.Contains("/status/", ack.TextBody ?? "");

        // 3. The customer's reply to it lands in the same ticket, without the quoted acknowledgement.
        desk.Clock.Advance(TimeSpan.FromMinutes(30)); // the desk's clock is a test clock: it moves as a day would
        var reply = Mail(customer, deskAddress, "Re: " + ack.Subject, $"The model is BL-200.\n\nOn Mon, 23 Nov 2026 at 10:00, Desk <{deskAddress}> wrote:\n> {(ack.TextBody ?? "").Replace("\n", "\n> ")}");
        reply.InReplyTo = ack.MessageId;
        reply.References.AddRange([complaint.MessageId!, ack.MessageId!]);
        await stack.SendAsync(reply);
        var replied = await UntilAsync(desk, db => db.InboundMails.SingleOrDefaultAsync(m => m.MessageId == reply.MessageId));
        Assert.Equal((InboundOutcome.Added, inbound.TicketId), (replied.Outcome, replied.TicketId));
        Assert.Equal("The model is BL-200.", (await TicketAsync(desk, inbound.TicketId.Value)).Conversation.OrderBy(e => e.Id).Last().Body);

        // 4. The agent's answer arrives threaded.
        desk.Clock.Advance(TimeSpan.FromMinutes(30));
        await StepAsync(desk, agent, number, "steps/Assign", new() { ["Assignee"] = "alice" });
        await StepAsync(desk, agent, number, "actions/reply", new() { ["Text"] = "A replacement BL-200 leaves today." });
        var answer = await stack.WaitForMessageAsync(customer, Password, m => m.TextBody?.StartsWith("A replacement BL-200 leaves today.") == true, Wait);
        Assert.Equal(reply.MessageId, answer.InReplyTo);
        Assert.Equal([complaint.MessageId!, ack.MessageId!, reply.MessageId!], answer.References);
        Assert.Equal($"Re: The blender smells of burning [{number}]", answer.Subject);
        Assert.Null(answer.Headers["Auto-Submitted"]);

        // 5. An out-of-office answer to the acknowledgement: recorded, nothing changes, nothing is sent.
        var before = await TicketAsync(desk, inbound.TicketId.Value);
        var outOfOffice = Mail(customer, deskAddress, "Automatic reply: " + ack.Subject, "I am away until Monday.");
        outOfOffice.InReplyTo = ack.MessageId;
        outOfOffice.Headers.Add("Auto-Submitted", "auto-replied");
        await stack.SendAsync(outOfOffice);
        var robot = await UntilAsync(desk, db => db.InboundMails.SingleOrDefaultAsync(m => m.MessageId == outOfOffice.MessageId));
        Assert.Equal(InboundOutcome.Robot, robot.Outcome);
        var after = await TicketAsync(desk, inbound.TicketId.Value);
        Assert.Equal((before.Version, before.State, before.Conversation.Count), (after.Version, after.State, after.Conversation.Count));
        await using (var db = desk.Database.NewContext())
            Assert.Equal(2, await db.OutboundMails.CountAsync(m => m.TicketId == inbound.TicketId)); // the acknowledgement and the answer

        // The desk's mailbox: every mail marked done, by UID; the checkpoint is past them all.
        using var imap = await stack.ConnectImapAsync(deskAddress, Password);
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var summaries = await imap.Inbox.FetchAsync(0, -1, MessageSummaryItems.Flags | MessageSummaryItems.UniqueId);
        Assert.Equal(3, summaries.Count);
        Assert.All(summaries, s => Assert.Contains(ImapIntake.DoneKeyword, s.Keywords));
        await using (var db = desk.Database.NewContext())
            Assert.Equal(summaries.Max(s => s.UniqueId.Id), (await db.MailboxCheckpoints.SingleAsync()).LastUid);
    }

    [MailStackFact]
    public async Task Reply_WhileSmtpIsDown_WaitsInTheOutboxAndIsDeliveredWhenItIsBack()
    {
        var (deskAddress, customer) = await MailboxesAsync("outage");
        await using var desk = new StackDesk(stack, deskAddress, Password);
        var agent = await desk.SignedInAsync("alice");
        var complaint = Mail(customer, deskAddress, "Invoice wrong", "You charged me twice.");
        await stack.SendAsync(complaint);
        var inbound = await UntilAsync(desk, db => db.InboundMails.SingleOrDefaultAsync(m => m.MessageId == complaint.MessageId));
        var number = TicketNumber.Format(inbound.TicketId!.Value);
        await stack.WaitForMessageAsync(customer, Password, m => m.Subject?.Contains($"[{number}]") == true, Wait);

        await stack.StopSmtpAsync();
        try
        {
            await StepAsync(desk, agent, number, "steps/Assign", new() { ["Assignee"] = "alice" });
            await StepAsync(desk, agent, number, "actions/reply", new() { ["Text"] = "The second charge is refunded." });
            var waiting = await UntilAsync(desk, db => db.OutboundMails.SingleOrDefaultAsync(m => m.TicketId == inbound.TicketId && m.Kind == OutboundKind.Reply && m.Attempts > 0));
            Assert.Equal(OutboundState.Queued, waiting.State);
            Assert.Contains("could not be reached", waiting.LastError ?? "");
        }
        finally
        {
            await stack.StartSmtpAsync();
        }
        desk.Clock.Advance(TimeSpan.FromMinutes(5)); // past the back-off
        var delivered = await stack.WaitForMessageAsync(customer, Password, m => m.TextBody?.StartsWith("The second charge is refunded.") == true, Wait);
        Assert.Equal($"Re: Invoice wrong [{number}]", delivered.Subject);
        await using var after = desk.Database.NewContext();
        Assert.Equal(OutboundState.Sent, (await after.OutboundMails.SingleAsync(m => m.TicketId == inbound.TicketId && m.Kind == OutboundKind.Reply)).State);
    }

    private async Task<(string Desk, string Customer)> MailboxesAsync(string test)
    {
        var deskAddress = $"desk-{test}@desk.test";
        var customer = $"ana-{test}@customer.test";
        await stack.AddUsersAsync((deskAddress, Password), (customer, Password));
        return (deskAddress, customer);
    }

    /// <summary>
    /// Issue 18, item 21: a mail that arrived while the desk was taking in the previous ones was announced (IMAP EXISTS)
    /// during that round, before IDLE listened, and then waited for IDLE's renewal minutes later. Mails sent at uneven
    /// gaps land in the middle of rounds; each must be taken in within seconds of its sending. (The window is a few
    /// milliseconds wide: this run does not hit it every time, so it guards the promise rather than proving the cause;
    /// the cause is the poller's <c>arrived</c> flag in <see cref="ImapIntake"/>.)
    /// </summary>
    [MailStackFact]
    public async Task Idle_MailsArrivingWhileARoundIsTakenIn_AreEachTakenWithinSeconds()
    {
        var (deskAddress, customer) = await MailboxesAsync("rounds");
        await using var desk = new StackDesk(stack, deskAddress, Password);
        _ = await desk.SignedInAsync("alice"); // starts the desk and its poller
        var first = Mail(customer, deskAddress, "The lamps", "Several lamps flicker; details follow.");
        await stack.SendAsync(first);
        _ = await UntilAsync(desk, db => db.InboundMails.SingleOrDefaultAsync(m => m.MessageId == first.MessageId)); // the poller is at work

        var random = new Random(21);
        var sent = new List<(string MessageId, long At)>();
        for (var i = 0; i < 40; i++)
        {
            var mail = Mail(customer, deskAddress, $"Round {i}: the lamp flickers", $"Lamp number {i} flickers when it is switched on.");
            await stack.SendAsync(mail);
            sent.Add((mail.MessageId!, Stopwatch.GetTimestamp()));
            await Task.Delay(random.Next(0, 400));
        }

        var taken = new Dictionary<string, double>();
        var deadline = Stopwatch.GetTimestamp() + 90 * Stopwatch.Frequency;
        while (taken.Count < sent.Count && Stopwatch.GetTimestamp() < deadline)
        {
            await using (var db = desk.Database.NewContext())
            {
                var ids = sent.Select(s => s.MessageId).ToList();
                foreach (var id in await db.InboundMails.Where(m => ids.Contains(m.MessageId!)).Select(m => m.MessageId!).ToListAsync())
                    if (!taken.ContainsKey(id)) taken[id] = Stopwatch.GetElapsedTime(sent.Single(s => s.MessageId == id).At).TotalSeconds;
            }
            await Task.Delay(50);
        }
        output.WriteLine($"{taken.Count} of {sent.Count} taken in; seconds from SMTP to committed (upper bound, polled every 50 ms): "
            + $"max {(taken.Count == 0 ? 0 : taken.Values.Max()):0.00}");
        var late = sent.Where(s => !taken.TryGetValue(s.MessageId, out var seconds) || seconds > 30).Select(s => sent.IndexOf(s)).ToList();
        Assert.True(late.Count == 0, $"mails {string.Join(", ", late)} were not taken in within 30 s of being sent (IDLE renews after 9 minutes)");

        // Then one at a time, each sent the moment the one before is committed: it lands while the poller looks once more
        // for new mail after its round, the moment the bench caught a mail being missed.
        for (var i = 0; i < 40; i++)
        {
            var mail = Mail(customer, deskAddress, $"One by one {i}: the lamp flickers", $"Lamp {i} flickers.");
            var at = Stopwatch.GetTimestamp();
            await stack.SendAsync(mail);
            var until = at + 30 * Stopwatch.Frequency;
            var committed = false;
            while (!committed && Stopwatch.GetTimestamp() < until)
            {
                await using (var db = desk.Database.NewContext())
                    committed = await db.InboundMails.AnyAsync(m => m.MessageId == mail.MessageId);
                if (!committed) await Task.Delay(5);
            }
            Assert.True(committed, $"mail {i} sent one by one was not taken in within 30 s (IDLE renews after 9 minutes)");
        }
    }

    private static MimeMessage Mail(string from, string to, string subject, string text)
    {
        var message = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = text }, MessageId = MimeUtils.GenerateMessageId("customer.test") };
        message.From.Add(new MailboxAddress("Ana", from));
        message.To.Add(new MailboxAddress("Desk", to));
        return message;
    }

    private static async Task StepAsync(StackDesk desk, HttpClient agent, string number, string path, Dictionary<string, string> fields)
    {
        await using var db = desk.Database.NewContext();
        TicketNumber.TryParse(number, out var id);
        fields["Version"] = (await db.Tickets.Where(t => t.Id == id).Select(t => t.Version).SingleAsync()).ToString(CultureInfo.InvariantCulture);
        var response = await Forms.PostAsync(agent, $"/tickets/{number}", $"/tickets/{number}/{path}", fields);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
    }

    private static async Task<Ticket> TicketAsync(StackDesk desk, long id)
    {
        await using var db = desk.Database.NewContext();
        return await db.Tickets.AsNoTracking().Include(t => t.Conversation).SingleAsync(t => t.Id == id);
    }

    private static async Task<T> UntilAsync<T>(StackDesk desk, Func<Desk.Web.Data.DeskDbContext, Task<T?>> query) where T : class
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(Wait.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            await using (var db = desk.Database.NewContext())
                if (await query(db) is { } found) return found;
            if (Stopwatch.GetTimestamp() > deadline) throw new TimeoutException($"Nothing after {Wait.TotalSeconds} s.");
            await Task.Delay(50);
        }
    }

    /// <summary>The desk taking mail from a mailbox of the stack over IMAP and sending through its SMTP.</summary>
    private sealed class StackDesk(MailStack stack, string address, string password) : MailDesk
    {
        public override int DemoTickets => 30;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Desk:Mail:Mailboxes:0:Host", stack.Host);
            builder.UseSetting("Desk:Mail:Mailboxes:0:Port", stack.ImapPort.ToString(CultureInfo.InvariantCulture));
            builder.UseSetting("Desk:Mail:Mailboxes:0:Security", "None");
            builder.UseSetting("Desk:Mail:Mailboxes:0:User", address);
            builder.UseSetting("Desk:Mail:Mailboxes:0:Password", password);
            stack.SendThrough(builder, address, password);
        }
    }
}

using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web.Email.Intake;
using Desk.Web.Email.Outbound;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Desk.Tests.Email;

public abstract partial class MailIntakeTests(MailDesk desk)
{
    [StorageFact]
    public async Task Take_NewMail_OpensEmailTicketForANewCustomerAndQueuesAnAcknowledgementWithTheStatusLink()
    {
        var mail = MailDesk.CustomerMail("Ana.Lima@Customer.test", "Kettle leaks", "The kettle I bought leaks from the base.", "Ana Lima");

        var result = await desk.TakeAsync(mail);

        Assert.Equal(IntakeOutcome.Opened, result.Outcome);
        await using var db = desk.Database.NewContext();
        var ticket = await db.Tickets.Include(t => t.Conversation).SingleAsync(t => t.Id == result.TicketId);
        var customer = await db.Customers.SingleAsync(c => c.Id == ticket.CustomerId);
        Assert.Equal(("ana.lima@customer.test", "Ana Lima", "en"), (customer.Email, customer.Name, customer.Language));
        Assert.Equal((Channel.Email, TicketState.Acknowledged, "Kettle leaks"), (ticket.Channel, ticket.State, ticket.Subject));
        Assert.Equal("The kettle I bought leaks from the base.", ticket.Conversation.Single().Body);

        var ack = await db.OutboundMails.SingleAsync(m => m.TicketId == ticket.Id);
        Assert.Equal((OutboundKind.Acknowledgement, "ana.lima@customer.test", mail.MessageId), (ack.Kind, ack.To, ack.InReplyTo));
        Assert.Contains($"[{ticket.Number}]", ack.Subject);
        var sent = (await desk.PickedUpAsync(ack.MessageId)).TextBody ?? "";
        var link = StatusLinkIn().Match(sent);
        Assert.True(link.Success, sent);
        var status = await desk.CreateClient().GetAsync(new Uri(link.Value).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Contains("Kettle leaks", await status.Content.ReadAsStringAsync());

        var stored = await db.InboundMails.SingleAsync(m => m.TicketId == ticket.Id);
        Assert.Equal(MailDesk.Bytes(mail), stored.Raw); // the full original is kept
    }

    [StorageFact]
    public async Task Take_LineBreaksInSubjectAndName_AreFoldedToSpacesEverywhereTheyAreShownOrSent()
    {
        // Encoded-words may carry CR LF: a header injection and a broken greeting if they reach the acknowledgement.
        var raw = System.Text.Encoding.ASCII.GetBytes(string.Join("\r\n",
            "From: =?utf-8?Q?Ana=0D=0A=09Lima?= <folded@customer.test>",
            "To: Desk <support@desk.local>",
            "Subject: =?utf-8?Q?Refund_request=0D=0ABcc:_someone@elsewhere.test?=",
            $"Message-ID: <{Guid.NewGuid():N}@customer.test>",
            "Date: Mon, 23 Nov 2026 09:00:00 +0000",
            "Content-Type: text/plain; charset=utf-8",
            "",
            "Please refund me.",
            ""));

        var result = await desk.TakeAsync(raw);

        await using var db = desk.Database.NewContext();
        var ticket = await db.Tickets.SingleAsync(t => t.Id == result.TicketId);
        var customer = await db.Customers.SingleAsync(c => c.Id == ticket.CustomerId);
        Assert.Equal(("Refund request Bcc: someone@elsewhere.test", "Ana Lima"), (ticket.Subject, customer.Name));
        var ack = await db.OutboundMails.SingleAsync(m => m.TicketId == ticket.Id);
        Assert.DoesNotContain('\n', ack.Subject);
        Assert.DoesNotContain('\r', ack.Subject);
        Assert.Contains("Ana Lima", ack.Body.Split('\n')[0]);
        var inbound = await db.InboundMails.SingleAsync(m => m.TicketId == ticket.Id);
        Assert.Equal("Refund request Bcc: someone@elsewhere.test", inbound.Subject);
    }

    [StorageFact]
    public async Task Take_SameMailTwiceOrToTwoDeskAddresses_MakesOneTicket()
    {
        var mail = MailDesk.CustomerMail("twice@customer.test", "Charged twice", "I was charged twice for order 77.");
        var first = await desk.TakeAsync(mail);
        var again = await desk.TakeAsync(mail);
        mail.To.Add(new MailboxAddress("Sales", "sales@desk.local")); // the copy that reached another address: other bytes, same Message-ID
        var copy = await desk.TakeAsync(mail);

        Assert.Equal(IntakeOutcome.Opened, first.Outcome);
        Assert.Equal((IntakeOutcome.Duplicate, first.TicketId), (again.Outcome, again.TicketId));
        Assert.Equal((IntakeOutcome.Duplicate, first.TicketId), (copy.Outcome, copy.TicketId));
        await using var db = desk.Database.NewContext();
        Assert.Equal(1, await db.Tickets.CountAsync(t => t.Subject == "Charged twice"));
        Assert.Equal(1, await db.OutboundMails.CountAsync(m => m.TicketId == first.TicketId));
    }

    [StorageFact]
    public async Task Take_NoMessageId_SameBytesMakeOneTicketOtherBytesAnother()
    {
        var raw = Encoding.ASCII.GetBytes("From: nomid@customer.test\r\nTo: support@desk.local\r\nSubject: No id\r\n\r\nMy parcel is lost.\r\n");
        var other = Encoding.ASCII.GetBytes("From: nomid@customer.test\r\nTo: support@desk.local\r\nSubject: No id\r\n\r\nMy second parcel is lost too.\r\n");

        var first = await desk.TakeAsync(raw);
        var again = await desk.TakeAsync(raw);
        var second = await desk.TakeAsync(other);

        Assert.Equal(IntakeOutcome.Opened, first.Outcome);
        Assert.Equal(IntakeOutcome.Duplicate, again.Outcome);
        Assert.Equal(IntakeOutcome.Opened, second.Outcome);
        Assert.NotEqual(first.TicketId, second.TicketId);
    }

    [StorageFact]
    public async Task Take_ReplyToTheAcknowledgement_LandsInTheSameTicketAndResumesIt()
    {
        var opened = await desk.TakeAsync(MailDesk.CustomerMail("bo.chen@customer.test", "Wrong size", "The shoes are a size too small."));
        var ack = await OutboundOf(opened.TicketId!.Value, OutboundKind.Acknowledgement);
        await ChangeAsync(opened.TicketId.Value, t => { t.Assign("agent", MailDesk.Now, "agent"); t.RequestInfo("agent", MailDesk.Now, "Which size did you order?"); });

        var reply = await desk.TakeAsync(MailDesk.ReplyTo("bo.chen@customer.test", ack.MessageId, "Re: " + ack.Subject, "I ordered 42.", quoted: ack.Body));

        Assert.Equal((IntakeOutcome.Added, opened.TicketId), (reply.Outcome, reply.TicketId));
        var ticket = await TicketAsync(opened.TicketId.Value);
        Assert.Equal(TicketState.InProgress, ticket.State);
        var last = ticket.Conversation.OrderBy(e => e.Id).Last();
        Assert.Equal((ConversationEntryKind.Inbound, "bo.chen@customer.test"), (last.Kind, last.Author));
        Assert.Equal("I ordered 42.", last.Body); // the quoted acknowledgement is stripped; the original is kept in InboundMails
    }

    [StorageFact]
    public async Task Take_SubjectTicketNumberWithoutHeaders_ThreadsForTheCustomerOnly()
    {
        var opened = await desk.TakeAsync(MailDesk.CustomerMail("dara@customer.test", "Late delivery", "Still waiting."));
        var number = TicketNumber.Format(opened.TicketId!.Value);

        var fromCustomer = await desk.TakeAsync(MailDesk.CustomerMail("dara@customer.test", $"Re: Late delivery [{number}]", "Any news?"));
        var fromStranger = await desk.TakeAsync(MailDesk.CustomerMail("mallory@elsewhere.test", $"Re: Late delivery [{number}]", "Let me in."));

        Assert.Equal((IntakeOutcome.Added, opened.TicketId), (fromCustomer.Outcome, fromCustomer.TicketId));
        Assert.Equal(IntakeOutcome.Opened, fromStranger.Outcome);
        Assert.NotEqual(opened.TicketId, fromStranger.TicketId);
    }

    [StorageFact]
    public async Task Take_CcParticipantReplyingToTheThread_LandsInTheTicketUnderTheirAddress()
    {
        var original = MailDesk.CustomerMail("erin@customer.test", "Damaged sofa", "The sofa arrived torn.");
        original.Cc.Add(new MailboxAddress("Erin's partner", "sam@customer.test"));
        var opened = await desk.TakeAsync(original);

        var reply = await desk.TakeAsync(MailDesk.ReplyTo("sam@customer.test", original.MessageId!, "Re: Damaged sofa", "Photos attached later; the tear is 20 cm."));

        Assert.Equal((IntakeOutcome.Added, opened.TicketId), (reply.Outcome, reply.TicketId));
        var ticket = await TicketAsync(opened.TicketId!.Value);
        Assert.Contains(ticket.Conversation, e => e.Author == "sam@customer.test" && e.Body.StartsWith("Photos attached later"));
    }

    [StorageFact]
    public async Task Take_OutOfOfficeReplyToTheAcknowledgement_ChangesNothingAndSendsNothing()
    {
        var opened = await desk.TakeAsync(MailDesk.CustomerMail("fay@customer.test", "Missing part", "The shelf came without screws."));
        var ack = await OutboundOf(opened.TicketId!.Value, OutboundKind.Acknowledgement);
        var before = await TicketAsync(opened.TicketId.Value);
        var outOfOffice = MailDesk.ReplyTo("fay@customer.test", ack.MessageId, "Automatic reply: " + ack.Subject, "I am out of the office until Monday.");
        outOfOffice.Headers.Add("Auto-Submitted", "auto-replied");

        var result = await desk.TakeAsync(outOfOffice);

        Assert.Equal(IntakeOutcome.Robot, result.Outcome);
        var after = await TicketAsync(opened.TicketId.Value);
        Assert.Equal((before.Version, before.State, before.Conversation.Count), (after.Version, after.State, after.Conversation.Count));
        await using var db = desk.Database.NewContext();
        Assert.Equal(1, await db.OutboundMails.CountAsync(m => m.To == "fay@customer.test"));
    }

    [StorageFact]
    public async Task Take_BounceOfTheAcknowledgement_MarksThatMailBouncedAndTellsTheAgents()
    {
        var opened = await desk.TakeAsync(MailDesk.CustomerMail("gone@customer.test", "Refund", "Where is my refund?"));
        var ack = await SentAsync(opened.TicketId!.Value); // a bounce comes back for a mail that went out
        var bounce = Bounce(MailSender.Build(ack, new Desk.Web.Email.MailOptions()));

        var result = await desk.TakeAsync(bounce);

        Assert.Equal(IntakeOutcome.Robot, result.Outcome);
        Assert.Equal(OutboundState.Bounced, (await OutboundOf(opened.TicketId.Value, OutboundKind.Acknowledgement)).State);
        var ticket = await TicketAsync(opened.TicketId.Value);
        Assert.Contains(ticket.Conversation, e => e.Kind == ConversationEntryKind.SystemEvent && e.Body.Contains("could not be delivered"));
        Assert.Equal(TicketState.Acknowledged, ticket.State);
    }

    [StorageFact]
    public async Task Take_DelayedDeliveryNotice_IsNotABounceAndChangesNothing()
    {
        var opened = await desk.TakeAsync(MailDesk.CustomerMail("slow@customer.test", "Refund", "Where is my refund?"));
        var ack = await OutboundOf(opened.TicketId!.Value, OutboundKind.Acknowledgement);
        var delay = Bounce(MailSender.Build(ack, new Desk.Web.Email.MailOptions()), "delayed", "4.4.7", "Delivery Status Notification (Delay)");

        var result = await desk.TakeAsync(delay);

        Assert.Equal(IntakeOutcome.Robot, result.Outcome);
        Assert.Contains("delayed", result.Reason);
        Assert.NotEqual(OutboundState.Bounced, (await OutboundOf(opened.TicketId.Value, OutboundKind.Acknowledgement)).State);
        var ticket = await TicketAsync(opened.TicketId.Value);
        Assert.DoesNotContain(ticket.Conversation, e => e.Body.Contains("could not be delivered"));
    }

    [StorageFact]
    public async Task Take_ReplyToAResolvedTicket_ReopensIt()
    {
        var opened = await desk.TakeAsync(MailDesk.CustomerMail("hana@customer.test", "Cold food", "The delivery was cold."));
        await ResolveAsync(opened.TicketId!.Value);

        var reply = await desk.TakeAsync(MailDesk.CustomerMail("hana@customer.test", $"Re: Cold food [{TicketNumber.Format(opened.TicketId.Value)}]", "The voucher code does not work."));

        Assert.Equal((IntakeOutcome.Added, opened.TicketId), (reply.Outcome, reply.TicketId));
        var ticket = await TicketAsync(opened.TicketId.Value);
        Assert.Equal((TicketState.InProgress, 1), (ticket.State, ticket.ReopenCount));
    }

    [StorageFact]
    public async Task Take_ReplyToATicketClosedLongerThanTheReopenWindow_OpensANewTicketThatFollowsIt()
    {
        var opened = await desk.TakeAsync(MailDesk.CustomerMail("ivo@customer.test", "Scratched table", "The table has a scratch."));
        var id = opened.TicketId!.Value;
        await ResolveAsync(id);
        await ChangeAsync(id, t => t.StartFollowUp("agent", MailDesk.Now, TimeSpan.FromDays(1)));
        await ChangeAsync(id, t => t.RecordFollowUpOutcome("agent", MailDesk.Now, true, null));
        await ChangeAsync(id, t => t.Close("agent", MailDesk.Now));
        await using (var db = desk.Database.NewContext())
            await db.Database.ExecuteSqlRawAsync("UPDATE \"Tickets\" SET \"ClosedAt\" = \"ClosedAt\" - 3456000000 WHERE \"Id\" = {0}", id); // closed 40 days ago

        var reply = await desk.TakeAsync(MailDesk.CustomerMail("ivo@customer.test", $"Re: Scratched table [{TicketNumber.Format(id)}]", "Now a leg is loose."));

        Assert.Equal(IntakeOutcome.Opened, reply.Outcome);
        var follower = await TicketAsync(reply.TicketId!.Value);
        Assert.Equal(id, follower.FollowsTicketId);
        Assert.Equal(TicketState.Closed, (await TicketAsync(id)).State);
    }

    [StorageTheory]
    [InlineData(new byte[0], "empty")]
    [InlineData(new byte[] { 0x00, 0xFF, 0x13, 0x37, 0x00, 0x00, 0x89 }, "binary")]
    public async Task Take_SomethingThatIsNotAMail_IsQuarantinedOnceWithAReason(byte[] raw, string what)
    {
        var first = await desk.TakeAsync(raw, "quarantine-" + what);
        var again = await desk.TakeAsync(raw, "quarantine-" + what);

        Assert.Equal(IntakeOutcome.Quarantined, first.Outcome);
        Assert.False(string.IsNullOrWhiteSpace(first.Reason));
        Assert.Equal(IntakeOutcome.Quarantined, again.Outcome);
        await using var db = desk.Database.NewContext();
        var kept = await db.QuarantinedMails.SingleAsync(q => q.Source == "quarantine-" + what);
        Assert.Equal(raw, kept.Raw);
        Assert.Equal(QuarantineState.Waiting, kept.State);
    }

    [StorageFact]
    public async Task Take_MailWithoutAnySender_IsQuarantinedWithTheReason()
    {
        var raw = Encoding.ASCII.GetBytes("To: support@desk.local\r\nSubject: Who am I\r\nMessage-ID: <nosender@x.test>\r\n\r\nHello\r\n");
        var result = await desk.TakeAsync(raw);
        Assert.Equal(IntakeOutcome.Quarantined, result.Outcome);
        Assert.Contains("no sender address", result.Reason);
    }

    [StorageFact]
    public async Task Take_MailFromTheDesksOwnAddress_OpensNothing()
    {
        var result = await desk.TakeAsync(MailDesk.CustomerMail(MailDesk.DeskAddress, "Loop?", "Our own mail came back."));
        Assert.Equal((IntakeOutcome.Own, (long?)null), (result.Outcome, result.TicketId));
    }

    [StorageFact]
    public async Task Take_ManyMailsFromOneAddressInAnHour_AcknowledgesOnlyTheFirstFew()
    {
        var results = new List<IntakeResult>();
        for (var i = 0; i < 5; i++)
            results.Add(await desk.TakeAsync(MailDesk.CustomerMail("chatty-robot@customer.test", $"Ticket {i}", $"Message number {i}.")));

        await using var db = desk.Database.NewContext();
        Assert.All(results, r => Assert.Equal(IntakeOutcome.Opened, r.Outcome));
        Assert.Equal(3, await db.OutboundMails.CountAsync(m => m.To == "chatty-robot@customer.test" && m.Kind == OutboundKind.Acknowledgement));
        var last = await TicketAsync(results[^1].TicketId!.Value);
        Assert.Contains(last.Conversation, e => e.Kind == ConversationEntryKind.SystemEvent && e.Body.StartsWith("No acknowledgement was sent"));
    }

    [StorageFact]
    public async Task Take_MailWithNulCharactersInSubjectAndBody_OpensATicketWithTheTextKept()
    {
        // Broken mailers send U+0000; PostgreSQL's text cannot hold it, so the desk stores U+FFFD there instead.
        var mail = MailDesk.CustomerMail("nul.sender@customer.test", "Broken\0 kettle", "It leaks\0 from the base.", "Nul Sender");

        var result = await desk.TakeAsync(mail);

        Assert.Equal(IntakeOutcome.Opened, result.Outcome);
        await using var db = desk.Database.NewContext();
        var ticket = await db.Tickets.Include(t => t.Conversation).SingleAsync(t => t.Id == result.TicketId);
        Assert.Equal("Broken kettle", ticket.Subject); // a subject is one line: a control character folds to a space
        Assert.Matches("^It leaks[\0\uFFFD]? from the base\\.$", ticket.Conversation.Single().Body); // the reader drops it
        Assert.Equal(MailDesk.Bytes(mail), (await db.InboundMails.SingleAsync(m => m.TicketId == ticket.Id)).Raw);
    }

    [StorageFact]
    public async Task Take_ChineseMailInGb2312_IsReadRightAndTheCustomerIsAnsweredInChinese()
    {
        var mail = MailDesk.CustomerMail("zhou@customer.test", "快递破损", "", "周晓燕");
        var part = new TextPart("plain");
        part.SetText(Encoding.GetEncoding("gb2312"), "我收到的水壶漏水了，请尽快处理。");
        mail.Body = part;

        var result = await desk.TakeAsync(mail);

        var ticket = await TicketAsync(result.TicketId!.Value);
        Assert.Equal("我收到的水壶漏水了，请尽快处理。", ticket.Description);
        await using var db = desk.Database.NewContext();
        var customer = await db.Customers.Where(c => c.Id == ticket.CustomerId).Select(c => new { c.Language, c.Name }).SingleAsync();
        Assert.Equal(("zh", "周晓燕"), (customer.Language, customer.Name));
        var ack = await OutboundOf(ticket.Id, OutboundKind.Acknowledgement);
        Assert.StartsWith("已收到：快递破损", ack.Subject);
        Assert.Contains("周晓燕，您好", ack.Body);
    }

    [StorageFact]
    public async Task Take_MailWithAnAttachment_KeepsItAsADownloadOfTheTicket()
    {
        var mail = MailDesk.CustomerMail("jo@customer.test", "Broken lamp", "");
        var builder = new BodyBuilder { TextBody = "Photo attached." };
        builder.Attachments.Add("lamp<script>.png", [0x89, 0x50, 0x4E, 0x47, 1, 2, 3], new ContentType("image", "png"));
        builder.Attachments.Add("invoice.html", Encoding.UTF8.GetBytes("<script>alert(1)</script>"), new ContentType("text", "html"));
        mail.Body = builder.ToMessageBody();

        var result = await desk.TakeAsync(mail);

        await using var db = desk.Database.NewContext();
        var files = await db.Attachments.Where(a => a.TicketId == result.TicketId).OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(["lamp<script>.png", "invoice.html"], files.Select(f => f.FileName));
        Assert.Equal(["image/png", "application/octet-stream"], files.Select(f => f.ContentType)); // HTML is never served as HTML
        var agent = await desk.SignedInAsync("carmen");
        var download = await agent.GetAsync($"/tickets/{TicketNumber.Format(result.TicketId!.Value)}/attachments/{files[1].Id}");
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
    }

    [StorageFact]
    public async Task Take_AttachmentNameWithBidiControls_IsKeptWithoutThem()
    {
        var mail = MailDesk.CustomerMail("rlo@customer.test", "My receipt", "");
        var builder = new BodyBuilder { TextBody = "Receipt attached." };
        builder.Attachments.Add("receipt\u202Egnp.txt", "paid 20 EUR"u8.ToArray(), new ContentType("text", "plain"));
        builder.Attachments.Add("\u2066scan\u2069\u200F.pdf", "%PDF-1.4\n"u8.ToArray(), new ContentType("application", "pdf"));
        mail.Body = builder.ToMessageBody();

        var result = await desk.TakeAsync(mail);

        await using var db = desk.Database.NewContext();
        var files = await db.Attachments.Where(a => a.TicketId == result.TicketId).OrderBy(a => a.Id).Select(a => a.FileName).ToListAsync();
        Assert.Equal(["receiptgnp.txt", "scan.pdf"], files); // "receipt\u202Egnp.txt" shows as "receipttxt.png"
    }

    [StorageFact]
    public async Task Formatted_HtmlMail_IsShownSanitisedWithItsInlinePictureAndNothingThatRuns()
    {
        var mail = MailDesk.CustomerMail("lena@customer.test", "See the stain", "");
        var builder = new BodyBuilder
        {
            TextBody = "See the stain in the picture.",
            HtmlBody = "<p onclick=\"steal()\">See the <b>stain</b>:</p><img src=\"cid:stain@lena\" alt=\"stain\"><script>alert(1)</script>"
                + "<img src=\"https://tracker.example/pixel.gif\" alt=\"pixel\"><a href=\"javascript:alert(2)\">click</a>",
        };
        var picture = builder.LinkedResources.Add("stain.png", [0x89, 0x50, 0x4E, 0x47, 9, 9, 9], new ContentType("image", "png"));
        picture.ContentId = "stain@lena";
        mail.Body = builder.ToMessageBody();
        var result = await desk.TakeAsync(mail);
        var number = TicketNumber.Format(result.TicketId!.Value);
        await using var db = desk.Database.NewContext();
        var stored = await db.InboundMails.SingleAsync(m => m.TicketId == result.TicketId);
        var image = await db.Attachments.SingleAsync(a => a.TicketId == result.TicketId && a.ContentId == "stain@lena");
        var agent = await desk.SignedInAsync("carmen");

        var ticketPage = await agent.GetStringAsync($"/tickets/{number}");
        Assert.Contains($"/tickets/{number}/mail/{stored.Id}/formatted", ticketPage);
        var formatted = await agent.GetAsync($"/tickets/{number}/mail/{stored.Id}/formatted");
        var html = await formatted.Content.ReadAsStringAsync();

        Assert.StartsWith("sandbox", formatted.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains($"src=\"/tickets/{number}/attachments/{image.Id}\"", html);
        Assert.Contains("<b>stain</b>", html);
        foreach (var hostile in new[] { "<script", "onclick", "javascript:", "tracker.example" }) Assert.DoesNotContain(hostile, html);
        Assert.Equal(MailDesk.Bytes(mail), await agent.GetByteArrayAsync($"/tickets/{number}/mail/{stored.Id}/original"));
        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync($"/tickets/D-000001/mail/{stored.Id}/formatted")).StatusCode); // not this ticket's mail
    }

    private static MimeMessage Bounce(MimeMessage original, string action = "failed", string status = "5.1.1", string subject = "Undelivered Mail Returned to Sender")
    {
        var bounce = new MimeMessage { Subject = subject, MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("mx.customer.test") };
        bounce.From.Add(new MailboxAddress("Mail Delivery System", "MAILER-DAEMON@mx.customer.test"));
        bounce.To.Add(new MailboxAddress("", MailDesk.DeskAddress));
        var report = new MultipartReport("delivery-status")
        {
            new TextPart("plain") { Text = "Your message could not be delivered: mailbox unknown." },
            new MimePart("message", "delivery-status") { Content = new MimeContent(new MemoryStream(Encoding.ASCII.GetBytes($"Reporting-MTA: dns; mx.customer.test\r\n\r\nFinal-Recipient: rfc822; gone@customer.test\r\nAction: {action}\r\nStatus: {status}\r\n"))) },
            new MessagePart { Message = original },
        };
        bounce.Body = report;
        return bounce;
    }

    /// <summary>The ticket's acknowledgement once the desk's sender has sent it.</summary>
    private async Task<OutboundMail> SentAsync(long ticketId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var ack = await OutboundOf(ticketId, OutboundKind.Acknowledgement);
            if (ack.State == OutboundState.Sent) return ack;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The acknowledgement was not sent within 20 s.");
            await Task.Delay(50);
        }
    }

    private async Task<OutboundMail> OutboundOf(long ticketId, OutboundKind kind)
    {
        await using var db = desk.Database.NewContext();
        return await db.OutboundMails.AsNoTracking().SingleAsync(m => m.TicketId == ticketId && m.Kind == kind);
    }

    private async Task<Ticket> TicketAsync(long id)
    {
        await using var db = desk.Database.NewContext();
        return await db.Tickets.AsNoTracking().Include(t => t.Conversation).SingleAsync(t => t.Id == id);
    }

    private async Task ChangeAsync(long id, Action<Ticket> change)
    {
        await using var db = desk.Database.NewContext();
        var ticket = await db.Tickets.Include(t => t.Conversation).SingleAsync(t => t.Id == id);
        change(ticket);
        await db.SaveChangesAsync();
    }

    private async Task ResolveAsync(long id)
    {
        await using var db = desk.Database.NewContext();
        var cause = await db.RootCauses.Select(c => c.Id).FirstAsync();
        var ticket = await db.Tickets.Include(t => t.Conversation).SingleAsync(t => t.Id == id);
        ticket.Assign("agent", MailDesk.Now, "agent");
        ticket.Resolve("agent", MailDesk.Now, new Resolution(Desk.Domain.Remedies.RemedyKinds.ApologyAndExplanation, 0m, cause, null, "Sorry about that."));
        await db.SaveChangesAsync();
    }

    [GeneratedRegex(@"https?://\S+/status/\S+")]
    private static partial Regex StatusLinkIn();
}

public sealed class MailIntakeTestsOnSqlite(MailDesk desk) : MailIntakeTests(desk), IClassFixture<MailDesk>;

public sealed class MailIntakeTestsOnPostgres(PostgresMailDesk desk) : MailIntakeTests(desk), IClassFixture<PostgresMailDesk>, IRunsOnPostgres;

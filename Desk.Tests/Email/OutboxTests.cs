using System.Globalization;
using System.Net;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web.Email.Outbound;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Desk.Tests.Email;

public abstract class OutboxTests(MailDesk desk)
{
    [StorageFact]
    public async Task AgentReply_IsQueuedWithTheChangeAndDeliveredToThePickupFolderThreaded()
    {
        var mail = MailDesk.CustomerMail("kim@customer.test", "Stove knob", "A knob fell off.", "Kim Park");
        var opened = await desk.TakeAsync(mail);
        var number = TicketNumber.Format(opened.TicketId!.Value);
        var agent = await desk.SignedInAsync("alice");
        var version = await VersionAsync(opened.TicketId.Value);
        await Forms.PostAsync(agent, $"/tickets/{number}", $"/tickets/{number}/steps/Assign", new() { ["Version"] = version, ["Assignee"] = "alice" });

        var sent = await Forms.PostAsync(agent, $"/tickets/{number}", $"/tickets/{number}/actions/reply",
            new() { ["Version"] = await VersionAsync(opened.TicketId.Value), ["Text"] = "A new knob is in the post." });

        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        await using var db = desk.Database.NewContext();
        var ack = await db.OutboundMails.SingleAsync(m => m.TicketId == opened.TicketId && m.Kind == OutboundKind.Acknowledgement);
        var reply = await db.OutboundMails.SingleAsync(m => m.TicketId == opened.TicketId && m.Kind == OutboundKind.Reply);
        Assert.Equal(($"Re: Stove knob [{number}]", "kim@customer.test"), (reply.Subject, reply.To));
        Assert.StartsWith("A new knob is in the post.", reply.Body);

        var delivered = await desk.PickedUpAsync(reply.MessageId);
        Assert.Equal(ack.MessageId, delivered.InReplyTo); // the newest mail of the thread
        Assert.Equal([mail.MessageId!, ack.MessageId], delivered.References);
        Assert.Null(delivered.Headers["Auto-Submitted"]); // a person's reply, not an automatic one
        var acknowledgement = await desk.PickedUpAsync(ack.MessageId);
        Assert.Equal("auto-replied", acknowledgement.Headers["Auto-Submitted"]);
        Assert.Equal(mail.MessageId, acknowledgement.InReplyTo);
    }

    [StorageFact]
    public async Task Acknowledgement_OnceSent_TheDesksCopyHoldsNoLinkThatOpensTheTicket()
    {
        var opened = await desk.TakeAsync(MailDesk.CustomerMail("noor@customer.test", "Cracked lid", "The lid of the pot is cracked."));
        string messageId;
        await using (var db = desk.Database.NewContext())
            messageId = (await db.OutboundMails.SingleAsync(m => m.TicketId == opened.TicketId && m.Kind == OutboundKind.Acknowledgement)).MessageId;

        // The customer's mail carries the link, and it opens the ticket.
        var delivered = await desk.PickedUpAsync(messageId);
        var link = System.Text.RegularExpressions.Regex.Match(delivered.TextBody ?? "", @"https?://\S+/status/(\S+)");
        Assert.True(link.Success, delivered.TextBody);
        var page = await desk.CreateClient().GetAsync($"/status/{link.Groups[1].Value}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);

        // The desk's copy, once sent, does not: a copy of the database opens no ticket.
        await using (var db = desk.Database.NewContext())
        {
            var kept = await db.OutboundMails.SingleAsync(m => m.MessageId == messageId);
            Assert.Equal(OutboundState.Sent, kept.State);
            Assert.DoesNotContain(link.Groups[1].Value, kept.Body, StringComparison.Ordinal);
            Assert.Contains("/status/" + OutboundMail.RemovedToken, kept.Body, StringComparison.Ordinal);
        }
    }

    [StorageFact]
    public async Task SentMailWithoutLinksMigration_MailsSentBefore_LoseTheirLinksAsNewOnesDo_UnsentOnesKeepThem()
    {
        const string body = "Follow it at http://desk.example/status/abcdefghijklmnopqrstuvwxyz_-0123456789ABCDEFG\n"
            + "and confirm at http://desk.example/confirm/0123456789abcdefghijklmnopqrstuvwxyzABCDEFG — thank you.";
        var now = MailDesk.Now;
        var sent = new OutboundMail(null, OutboundKind.Acknowledgement, "old@customer.test", "Old", "Old ack", body, "en", $"old-sent-{Guid.NewGuid():N}@desk.local", null, null, now);
        var queued = new OutboundMail(null, OutboundKind.Acknowledgement, "old@customer.test", "Old", "Queued ack", body, "en", $"old-queued-{Guid.NewGuid():N}@desk.local", null, null, now);
        await using (var db = desk.Database.NewContext())
        {
            // In one transaction, so the desk's sender never sees them queued: one as a desk before this change left it
            // (sent, link and all; Sent() now takes the link out, so the state is set in SQL), one given up (never sent).
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.OutboundMails.AddRange(sent, queued);
            await db.SaveChangesAsync();
            await db.Database.ExecuteSqlAsync($"UPDATE \"OutboundMails\" SET \"State\" = 'Sent' WHERE \"Id\" = {sent.Id}");
            await db.Database.ExecuteSqlAsync($"UPDATE \"OutboundMails\" SET \"State\" = 'Dead' WHERE \"Id\" = {queued.Id}");
            await transaction.CommitAsync();
        }

        await using (var db = desk.Database.NewContext())
            await db.Database.ExecuteSqlRawAsync((desk.Provider == Desk.Web.Data.DatabaseProvider.Postgres
                ? Desk.Web.Data.Postgres.Migrations.SentMailWithoutLinks.Statement
                : Desk.Web.Data.Sqlite.Migrations.SentMailWithoutLinks.Statement).Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal));

        await using (var db = desk.Database.NewContext())
        {
            Assert.Equal(OutboundMail.WithoutPrivateLinks(body), (await db.OutboundMails.SingleAsync(m => m.Id == sent.Id)).Body);
            Assert.NotEqual(body, OutboundMail.WithoutPrivateLinks(body));
            Assert.Equal(body, (await db.OutboundMails.SingleAsync(m => m.Id == queued.Id)).Body); // never sent: an admin may send it again
        }
    }

    [StorageFact]
    public void WithoutPrivateLinks_StatusSurveyAndConfirmationLinks_LoseTheirTokensAndNothingElseChanges()
    {
        var body = "See https://desk.example/status/abcdefghijklmnopqrstuvwxyz_-0123456789ABCDEFG for news,\n"
            + "answer at https://desk.example/survey/ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210-_abcdefg?culture=zh-CN\n"
            + "confirm at https://desk.example/confirm/0123456789abcdefghijklmnopqrstuvwxyzABCDEFG\n"
            + "or read https://shop.example/status/of/your/order and https://desk.example/status/short";

        Assert.Equal("See https://desk.example/status/" + OutboundMail.RemovedToken + " for news,\n"
            + "answer at https://desk.example/survey/" + OutboundMail.RemovedToken + "?culture=zh-CN\n"
            + "confirm at https://desk.example/confirm/" + OutboundMail.RemovedToken + "\n"
            + "or read https://shop.example/status/of/your/order and https://desk.example/status/short", OutboundMail.WithoutPrivateLinks(body));
    }

    [StorageFact]
    public async Task Reply_RefusedByTheWorkflow_QueuesNoMail()
    {
        var opened = await desk.TakeAsync(MailDesk.CustomerMail("lou@customer.test", "Noise", "The fridge hums."));
        var number = TicketNumber.Format(opened.TicketId!.Value);
        var agent = await desk.SignedInAsync("alice");
        await Forms.PostAsync(agent, $"/tickets/{number}", $"/tickets/{number}/steps/Reject",
            new() { ["Version"] = await VersionAsync(opened.TicketId.Value), ["RejectionReason"] = "Spam" });

        var refused = await Forms.PostAsync(agent, $"/tickets/{number}", $"/tickets/{number}/actions/reply",
            new() { ["Version"] = await VersionAsync(opened.TicketId.Value), ["Text"] = "Hello?" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        await using var db = desk.Database.NewContext();
        Assert.False(await db.OutboundMails.AnyAsync(m => m.TicketId == opened.TicketId && m.Kind == OutboundKind.Reply));
    }

    [StorageFact]
    public void Failed_BacksOffDoublingThenDiesAndAnAdminCanResendIt()
    {
        var now = MailDesk.Now;
        var mail = new OutboundMail(null, OutboundKind.Reply, "x@customer.test", "X", "S", "B", "en", "id@desk.local", null, null, now);

        mail.Failed(now, "connection refused", maxAttempts: 3);
        Assert.Equal((OutboundState.Queued, now.AddSeconds(10)), (mail.State, mail.NextAttemptAt));
        mail.Failed(now, "connection refused", maxAttempts: 3);
        Assert.Equal(now.AddSeconds(20), mail.NextAttemptAt);
        Assert.Throws<Desk.Domain.DomainException>(() => mail.Resend(now)); // still queued: nothing to resend
        mail.Failed(now, "connection refused", maxAttempts: 3);
        Assert.Equal((OutboundState.Dead, 3, "connection refused"), (mail.State, mail.Attempts, mail.LastError));

        mail.Resend(now.AddHours(1));
        Assert.Equal((OutboundState.Queued, 0, now.AddHours(1)), (mail.State, mail.Attempts, mail.NextAttemptAt));
    }

    private async Task<string> VersionAsync(long id)
    {
        await using var db = desk.Database.NewContext();
        return (await db.Tickets.Where(t => t.Id == id).Select(t => t.Version).SingleAsync()).ToString(CultureInfo.InvariantCulture);
    }
}

public sealed class OutboxTestsOnSqlite(MailDesk desk) : OutboxTests(desk), IClassFixture<MailDesk>;

public sealed class OutboxTestsOnPostgres(PostgresMailDesk desk) : OutboxTests(desk), IClassFixture<PostgresMailDesk>, IRunsOnPostgres;

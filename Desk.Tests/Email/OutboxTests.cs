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

        var delivered = await PickedUpAsync(reply.MessageId);
        Assert.Equal(ack.MessageId, delivered.InReplyTo); // the newest mail of the thread
        Assert.Equal([mail.MessageId!, ack.MessageId], delivered.References);
        Assert.Null(delivered.Headers["Auto-Submitted"]); // a person's reply, not an automatic one
        var acknowledgement = await PickedUpAsync(ack.MessageId);
        Assert.Equal("auto-replied", acknowledgement.Headers["Auto-Submitted"]);
        Assert.Equal(mail.MessageId, acknowledgement.InReplyTo);
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

    /// <summary>Waits for the background sender to write the mail into the pickup folder.</summary>
    private async Task<MimeMessage> PickedUpAsync(string messageId)
    {
        var folder = Path.Combine(desk.MailFolder, "outbox");
        for (var i = 0; i < 100; i++)
        {
            if (Directory.Exists(folder))
                foreach (var file in Directory.EnumerateFiles(folder, "*.eml"))
                {
                    var message = await MimeMessage.LoadAsync(file);
                    if (message.MessageId == messageId) return message;
                }
            await Task.Delay(100);
        }
        throw new TimeoutException($"No mail {messageId} in {folder} after 10 s.");
    }
}

public sealed class OutboxTestsOnSqlite(MailDesk desk) : OutboxTests(desk), IClassFixture<MailDesk>;

public sealed class OutboxTestsOnPostgres(PostgresMailDesk desk) : OutboxTests(desk), IClassFixture<PostgresMailDesk>, IRunsOnPostgres;

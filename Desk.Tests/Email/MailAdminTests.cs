using System.Net;
using System.Text;
using System.Text.Json;
using Desk.Tests.Support;
using Desk.Web.Email.Intake;
using Desk.Web.Email.Outbound;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Desk.Tests.Email;

public abstract class MailAdminTests(MailDesk desk)
{
    [StorageFact]
    public async Task MailPage_AgentIsDeniedAndAnonymousSentToSignIn()
    {
        var agent = await desk.SignedInAsync("alice");
        var denied = await agent.GetAsync("/admin/mail");
        Assert.StartsWith("/account/denied", denied.Headers.Location!.PathAndQuery);
        var anonymous = await desk.CreateClient(new() { AllowAutoRedirect = false }).GetAsync("/admin/mail");
        Assert.StartsWith("/account/login", anonymous.Headers.Location!.PathAndQuery);
    }

    [StorageFact]
    public async Task Quarantine_AdminSeesTheReasonDownloadsTheOriginalAndDismissesIt()
    {
        var raw = Encoding.ASCII.GetBytes("To: support@desk.local\r\nSubject: dismiss me\r\nMessage-ID: <q1@x.test>\r\n\r\nno sender\r\n");
        await desk.TakeAsync(raw, "admin-test");
        await using var db = desk.Database.NewContext();
        var entry = await db.QuarantinedMails.SingleAsync(q => q.Source == "admin-test");
        var admin = await desk.SignedInAsync("admin");

        var page = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/mail"));
        Assert.Contains($"data-quarantine=\"{entry.Id}\"", page);
        Assert.Contains("no sender address", page);
        Assert.Equal(raw, await admin.GetByteArrayAsync($"/admin/mail/quarantine/{entry.Id}/raw"));

        var noToken = await admin.PostAsync($"/admin/mail/quarantine/{entry.Id}/dismiss", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode); // antiforgery
        var dismissed = await Forms.PostAsync(admin, "/admin/mail", $"/admin/mail/quarantine/{entry.Id}/dismiss", []);
        Assert.Equal(HttpStatusCode.Redirect, dismissed.StatusCode);
        await using var after = desk.Database.NewContext();
        var handled = await after.QuarantinedMails.Where(q => q.Id == entry.Id).Select(q => new { q.State, q.HandledBy }).SingleAsync();
        Assert.Equal((QuarantineState.Dismissed, "admin"), (handled.State, handled.HandledBy));
        Assert.DoesNotContain($"data-quarantine=\"{entry.Id}\"", await admin.GetStringAsync("/admin/mail"));
    }

    [StorageFact]
    public async Task Quarantine_RetryThatStillFails_StaysWaitingWithTheReason()
    {
        var raw = Encoding.ASCII.GetBytes("To: support@desk.local\r\nSubject: retry me\r\nMessage-ID: <q2@x.test>\r\n\r\nno sender\r\n");
        await desk.TakeAsync(raw, "retry-test");
        await using var db = desk.Database.NewContext();
        var entry = await db.QuarantinedMails.SingleAsync(q => q.Source == "retry-test");
        var admin = await desk.SignedInAsync("admin");

        var retried = await Forms.PostAsync(admin, "/admin/mail", $"/admin/mail/quarantine/{entry.Id}/retry", []);

        Assert.Contains("still cannot be taken in", WebUtility.HtmlDecode(await retried.Content.ReadAsStringAsync()));
        await using var after = desk.Database.NewContext();
        Assert.Equal(1, await after.QuarantinedMails.CountAsync(q => q.Hash == entry.Hash));
        Assert.Equal(QuarantineState.Waiting, (await after.QuarantinedMails.SingleAsync(q => q.Id == entry.Id)).State);
    }

    [StorageFact]
    public async Task DeadMail_AdminSendsItAgain_AndTheSenderDeliversIt()
    {
        var opened = await desk.TakeAsync(MailDesk.CustomerMail("nia@customer.test", "Dead letter", "Please answer."));
        long id;
        await using (var db = desk.Database.NewContext())
        {
            // Dead before it is ever saved: a queued mail would race the background sender, which sends it at once.
            var reply = new OutboundMail(opened.TicketId, OutboundKind.Reply, "nia@customer.test", "Nia", "Re: Dead letter", "We are on it.", "en",
                $"dead-{Guid.NewGuid():N}@desk.local", null, null, MailDesk.Now);
            for (var i = 0; i < 8; i++) reply.Failed(MailDesk.Now, "550 mailbox unavailable", maxAttempts: 8);
            Assert.Equal(OutboundState.Dead, reply.State);
            db.OutboundMails.Add(reply);
            await db.SaveChangesAsync();
            id = reply.Id;
        }
        var admin = await desk.SignedInAsync("admin");
        Assert.Contains($"data-outbound=\"{id}\"", await admin.GetStringAsync("/admin/mail"));

        var resent = await Forms.PostAsync(admin, "/admin/mail", $"/admin/mail/outbox/{id}/resend", []);

        Assert.Equal(HttpStatusCode.Redirect, resent.StatusCode);
        for (var i = 0; i < 50; i++)
        {
            await using var db = desk.Database.NewContext();
            if (await db.OutboundMails.Where(m => m.Id == id).Select(m => m.State).SingleAsync() == OutboundState.Sent) return;
            await Task.Delay(100);
        }
        Assert.Fail("The resent mail was not delivered within 5 s.");
    }

    [StorageFact]
    public async Task Healthz_ReportsTheDropFolderPoll()
    {
        var response = await desk.CreateClient().GetAsync("/healthz");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var mail = json.RootElement.GetProperty("checks").GetProperty("mail");
        Assert.Equal("Healthy", mail.GetProperty("status").GetString());
        Assert.Contains(DropFolderIntake.Source, mail.GetProperty("description").GetString());
    }

    [StorageFact]
    public void Status_NoSuccessfulPollForLongerThanTheLimit_IsStale()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(MailDesk.Now));
        var status = new MailStatus(clock, desk.Services.GetRequiredService<IServiceScopeFactory>(),
            desk.Services.GetRequiredService<IOptions<Desk.Web.Email.MailOptions>>(), NullLogger<MailStatus>.Instance);
        var polled = new MailStatus.SourceStatus("box", MailDesk.Now, null, null, 0, false, PolledSince: MailDesk.Now.AddHours(-1));
        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.False(status.IsStale(polled with { LastFailureAt = clock.GetUtcNow().UtcDateTime, LastError = "connection refused" }, TimeSpan.FromMinutes(10)));
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.True(status.IsStale(polled, TimeSpan.FromMinutes(10)));
        // A desk that has just taken the source over counts from when it began.
        Assert.False(status.IsStale(polled with { PolledSince = clock.GetUtcNow().UtcDateTime.AddMinutes(-1) }, TimeSpan.FromMinutes(10)));
    }
}

public sealed class MailAdminTestsOnSqlite(MailDesk desk) : MailAdminTests(desk), IClassFixture<MailDesk>;

public sealed class MailAdminTestsOnPostgres(PostgresMailDesk desk) : MailAdminTests(desk), IClassFixture<PostgresMailDesk>, IRunsOnPostgres;

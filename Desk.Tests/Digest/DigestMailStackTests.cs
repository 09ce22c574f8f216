using System.Net;
using Desk.Tests.Support;
using Desk.Web.Email.Outbound;
using Desk.Web.Features.Digest;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Desk.Tests.Digest;

/// <summary>
/// The digest crosses a real wire: a manager reading the desk in Chinese subscribes on their page, and on the chosen day
/// (the fake clock moved on) the desk's own running scheduler — with a second scheduler looking at the same moment —
/// queues it once; the sender hands it to Exim, Dovecot delivers it, and it is read back over IMAP from the manager's mailbox.
/// </summary>
[Collection(MailStackCollection.Name)]
public sealed class DigestMailStackTests(MailStack stack)
{
    private const string Password = "Mail-Test-Pw-1";

    [MailStackFact]
    public async Task Scheduler_OnTheChosenDayWithTwoSchedulers_OneChineseDigestArrivesOverTheRealMailStack_NoneTheDayBefore()
    {
        const string deskAddress = "desk-digest@desk.test", managerAddress = "digest.manager@managers.test";
        await stack.AddUsersAsync((deskAddress, Password), (managerAddress, Password));
        await using var desk = new StackDesk(stack, deskAddress, Password);
        await using (var scope = desk.Services.CreateAsyncScope())
            Assert.Null(await scope.ServiceProvider.GetRequiredService<DeskUsers>().CreateAsync("digest.manager", managerAddress, "李娜", DeskWebFactory.DemoPassword, DeskRoles.Manager));
        var manager = await desk.SignedInAsync("digest.manager");
        var tomorrow = desk.Clock.GetUtcNow().UtcDateTime.AddDays(1).DayOfWeek;

        // Reading the desk in Chinese, the page offers Chinese mail; she keeps it and picks tomorrow.
        Assert.Contains("<option value=\"zh\" selected=\"selected\">", await manager.GetStringAsync("/account/digest?culture=zh-CN"));
        var saved = await Forms.PostAsync(manager, "/account/digest?culture=zh-CN", "/account/digest",
            new() { ["Frequency"] = "Weekly", ["Day"] = tomorrow.ToString(), ["Language"] = "zh" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        // The day before: another scheduler finds nothing due (the desk's own is waiting on the clock).
        var other = ActivatorUtilities.CreateInstance<DigestScheduler>(desk.Services);
        Assert.Equal(0, await other.RunAsync(default));

        // The chosen day at 07:00 UTC (her zone is the desk's): the desk's scheduler wakes on the clock, the other looks too.
        desk.Clock.Advance(TimeSpan.FromHours(22));
        await other.RunAsync(default);

        var digest = await stack.WaitForMessageAsync(managerAddress, Password, m => (m.Subject ?? "").Contains("每周报告", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.StartsWith("Desk · 每周报告：近 7 天收到", digest.Subject);
        Assert.Equal("auto-generated", digest.Headers["Auto-Submitted"]);
        Assert.Equal(deskAddress, digest.From.Mailboxes.Single().Address);
        Assert.Contains("收到的投诉", digest.TextBody);
        Assert.Contains("id=\"chart-complaints\"", digest.HtmlBody ?? "");
        Assert.Contains("/dashboard?culture=zh-CN", digest.HtmlBody ?? "");

        await other.RunAsync(default); // a later look the same day
        await using var db = desk.Database.NewContext();
        Assert.Equal(1, await db.Set<DigestDelivery>().CountAsync(d => d.UserName == "digest.manager"));
        var sent = await db.OutboundMails.Where(m => m.To == managerAddress).Select(m => new { m.Kind, m.State }).ToListAsync();
        Assert.Equal([(OutboundKind.ReportDigest, OutboundState.Sent)], sent.Select(m => (m.Kind, m.State)).ToList());
        Assert.Single(await stack.FetchAllAsync(managerAddress, Password));
    }

    /// <summary>A desk sending through the stack's SMTP, its digest scheduler running on the fake clock.</summary>
    private sealed class StackDesk(MailStack stack, string address, string password) : MailDesk
    {
        public override int DemoTickets => 20;
        public override bool DigestSchedulerEnabled => true;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            stack.SendThrough(builder, address, password);
        }
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using MimeKit.Utils;

namespace Desk.Tests.Notifications;

/// <summary>
/// The assignee's notice crosses a real wire: the desk sends it through Exim's SMTP, Dovecot delivers it, and it is read
/// back over IMAP from the agent's own mailbox (the servers of scripts/mailstack on 127.0.0.1).
/// </summary>
[Collection(MailStackCollection.Name)]
public sealed partial class NotificationMailStackTests(MailStack stack)
{
    private const string Password = "Mail-Test-Pw-1";

    [MailStackFact]
    public async Task Assign_ToAnAgent_TheNoticeArrivesInTheirMailboxOverTheRealMailStack()
    {
        const string deskAddress = "desk-notify@desk.test", agentAddress = "nina@agents.test";
        await stack.AddUsersAsync((deskAddress, Password), (agentAddress, Password));
        await using var desk = new StackDesk(stack, deskAddress, Password);
        await using (var scope = desk.Services.CreateAsyncScope())
            Assert.Null(await scope.ServiceProvider.GetRequiredService<DeskUsers>().CreateAsync("nina", agentAddress, "Nina", DeskWebFactory.DemoPassword, DeskRoles.Agent));
        var alice = await desk.SignedInAsync("alice");
        var complaint = new MimeMessage { Subject = "The lamp flickers", Body = new TextPart("plain") { Text = "Every evening." }, MessageId = MimeUtils.GenerateMessageId("customer.test") };
        complaint.From.Add(new MailboxAddress("Ana", "ana-notify@customer.test"));
        complaint.To.Add(new MailboxAddress("Desk", deskAddress));
        var number = TicketNumber.Format((await desk.TakeAsync(complaint)).TicketId!.Value);

        var page = await alice.GetStringAsync($"/tickets/{number}");
        var assigned = await Forms.PostAsync(alice, $"/tickets/{number}", $"/tickets/{number}/steps/Assign",
            new() { ["Assignee"] = "nina", ["Version"] = VersionInput().Match(page).Groups[1].Value });
        Assert.Equal(System.Net.HttpStatusCode.Redirect, assigned.StatusCode);

        var notice = await stack.WaitForMessageAsync(agentAddress, Password, m => m.Subject == $"{number}: assigned to you", TimeSpan.FromSeconds(20));
        Assert.Equal("auto-generated", notice.Headers["Auto-Submitted"]);
        Assert.Equal(deskAddress, notice.From.Mailboxes.Single().Address);
        Assert.Contains($"Ticket {number} was assigned to you by alice.", notice.TextBody);
        await using var db = desk.Database.NewContext();
        Assert.Equal(Desk.Web.Email.Outbound.OutboundState.Sent,
            await db.OutboundMails.Where(m => m.To == agentAddress).Select(m => m.State).SingleAsync());
    }

    [GeneratedRegex("name=\"Version\" value=\"(\\d+)\"")]
    private static partial Regex VersionInput();

    /// <summary>A desk sending through the stack's SMTP (no mailbox polled: the complaint is handed to its intake directly).</summary>
    private sealed class StackDesk(MailStack stack, string address, string password) : MailDesk
    {
        public override int DemoTickets => 20;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            stack.SendThrough(builder, address, password);
        }
    }
}

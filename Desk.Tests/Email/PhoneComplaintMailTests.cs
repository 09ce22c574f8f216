using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Desk.Tests.Support;
using Microsoft.AspNetCore.Hosting;

namespace Desk.Tests.Email;

/// <summary>
/// A complaint an agent files for a caller reaches the caller's real mailbox: sent by the desk over SMTP to Exim,
/// delivered by Dovecot, read back over IMAP, with the ticket number and a status link that opens the ticket.
/// </summary>
[Collection(MailStackCollection.Name)]
public sealed partial class PhoneComplaintMailTests(MailStack stack)
{
    private const string Password = "Mail-Test-Pw-1";

    [MailStackFact]
    public async Task FileForACustomer_WithAnAddress_AcknowledgementArrivesInTheirMailbox()
    {
        const string deskAddress = "desk-phone@desk.test", caller = "caller-phone@customer.test";
        await stack.AddUsersAsync((deskAddress, Password), (caller, Password));
        await using var desk = new StackDesk(stack, deskAddress, Password);
        var agent = await desk.SignedInAsync("alice");

        var html = await agent.GetStringAsync("/tickets/new");
        var filed = await agent.PostAsync("/tickets/new", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Field(html, "__RequestVerificationToken"), ["Submission"] = Field(html, "Submission"),
            ["Name"] = "Carla Caller", ["Email"] = caller, ["Language"] = "en", ["Channel"] = "Phone", ["Kind"] = "Complaint",
            ["Subject"] = "Toaster burns everything", ["Description"] = "Phoned: the toaster ignores its dial.",
        }));
        var page = WebUtility.HtmlDecode(await filed.Content.ReadAsStringAsync());
        var number = Regex.Match(page, @"D-\d+").Value;

        var ack = await stack.WaitForMessageAsync(caller, Password, m => m.Subject?.Contains($"[{number}]") == true, TimeSpan.FromSeconds(20));
        var status = Regex.Match(ack.TextBody ?? "", @"/status/[A-Za-z0-9_\-]{16,}").Value;
        Assert.Contains("Toaster burns everything", ack.Subject);
        Assert.Contains(number, await desk.CreateClient().GetStringAsync(status));
    }

    private static string Field(string html, string name) =>
        WebUtility.HtmlDecode(Regex.Match(html, $"name=\"{name}\"[^>]*value=\"([^\"]*)\"").Groups[1].Value);

    private sealed class StackDesk(MailStack stack, string address, string password) : MailDesk
    {
        public override int DemoTickets => 10;

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

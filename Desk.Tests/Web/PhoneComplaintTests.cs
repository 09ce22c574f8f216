using System.Net;
using System.Text.RegularExpressions;
using Desk.Domain.Customers;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web.Email.Outbound;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Web;

/// <summary>
/// An agent files a complaint told by phone or at the counter (/tickets/new), for a customer found by the search or
/// added there, through the one way in: acknowledged, with a status link, by mail when there is an address and on the
/// agent's screen when there is none; the audit trail names the agent.
/// </summary>
public abstract partial class PhoneComplaintTests(UserManagementTests.PeopleDesk desk)
{
    [StorageFact]
    public async Task FileForACustomer_NewWithAnAddress_IsAcknowledgedByMailWithAStatusLinkThatOpens()
    {
        var alice = await desk.SignedInAsync("alice");

        var page = await FileAsync(alice, new()
        {
            ["Name"] = "Pat Phone", ["Email"] = "pat.phone@example.org", ["Phone"] = "+44 20 7946 0000", ["Channel"] = "Phone",
            ["Subject"] = "Kettle leaks", ["Description"] = "Rang at 10:05: the kettle leaks from the base.", ["OrderReference"] = "SO-PAT-1",
        });

        Assert.Contains("is on its way to pat.phone@example.org", page);
        await using var db = desk.Database.NewContext();
        var ticket = await db.Tickets.Include(t => t.AuditTrail).SingleAsync(t => t.Subject == "Kettle leaks");
        var customer = await db.Customers.SingleAsync(c => c.Id == ticket.CustomerId);
        Assert.Equal((Channel.Phone, TicketState.Acknowledged, "SO-PAT-1"), (ticket.Channel, ticket.State, ticket.OrderReference));
        Assert.Equal(("Pat Phone", "+44 20 7946 0000"), (customer.Name, customer.Phone));
        var received = ticket.AuditTrail.OrderBy(a => a.Id).First();
        Assert.Equal(("alice", "Received by Phone, filed by alice for the customer"), (received.Actor, received.Comment));
        var ack = await db.OutboundMails.SingleAsync(m => m.TicketId == ticket.Id && m.Kind == OutboundKind.Acknowledgement);
        var mail = await desk.PickedUpAsync(ack.MessageId);
        Assert.Equal("pat.phone@example.org", mail.To.Mailboxes.Single().Address);
        var status = StatusLink().Match(mail.TextBody ?? "").Value;
        Assert.Contains(ticket.Number, await desk.CreateClient().GetStringAsync(status));
    }

    [StorageFact]
    public async Task FileForACustomer_WithoutAnAddress_MailsNothingAndShowsTheAgentTheStatusLink()
    {
        var bob = await desk.SignedInAsync("bob");

        var page = await FileAsync(bob, new()
        {
            ["Name"] = "Walk-in Wu", ["Phone"] = "138 0013 8000", ["Channel"] = "InPerson",
            ["Subject"] = "Shoe sole came off", ["Description"] = "Came to the Nanjing Road shop with the shoes.",
        });

        Assert.Contains("The customer has no e-mail address, so nothing was mailed", page);
        var status = StatusLink().Match(page).Value;
        await using var db = desk.Database.NewContext();
        var ticket = await db.Tickets.Include(t => t.Conversation).SingleAsync(t => t.Subject == "Shoe sole came off");
        var customer = await db.Customers.SingleAsync(c => c.Id == ticket.CustomerId);
        Assert.Equal(Channel.InPerson, ticket.Channel);
        Assert.EndsWith("@" + Customer.NoAddressDomain, customer.Email);
        Assert.False(customer.CanBeMailed);
        Assert.False(await db.OutboundMails.AnyAsync(m => m.TicketId == ticket.Id));
        Assert.Contains(ticket.Conversation, e => e.Body.StartsWith("No acknowledgement was mailed: the desk has no e-mail address", StringComparison.Ordinal));
        Assert.Contains(ticket.Number, await desk.CreateClient().GetStringAsync(status));
    }

    [StorageFact]
    public async Task Reply_ToACustomerWithoutAnAddress_IsKeptOnTheStatusPageAndNothingIsMailed()
    {
        var grace = await desk.SignedInAsync("grace");
        var page = await FileAsync(grace, new() { ["Name"] = "Counter Chen", ["Channel"] = "InPerson", ["Subject"] = "Wrong size", ["Description"] = "At the counter." });
        var status = StatusLink().Match(page).Value;
        await using var db = desk.Database.NewContext();
        var ticket = await db.Tickets.AsNoTracking().SingleAsync(t => t.Subject == "Wrong size");

        await StepAsync(grace, ticket.Number, "steps/Assign", new() { ["Assignee"] = "grace" });
        await StepAsync(grace, ticket.Number, "actions/reply", new() { ["Text"] = "The right size is on its way to the shop." });

        Assert.Contains("The right size is on its way to the shop.", await desk.CreateClient().GetStringAsync(status));
        Assert.False(await db.OutboundMails.AnyAsync(m => m.TicketId == ticket.Id));
    }

    private async Task StepAsync(HttpClient agent, string number, string path, Dictionary<string, string> fields)
    {
        await using var db = desk.Database.NewContext();
        Desk.Domain.Tickets.TicketNumber.TryParse(number, out var id);
        fields["Version"] = (await db.Tickets.Where(t => t.Id == id).Select(t => t.Version).SingleAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var response = await Forms.PostAsync(agent, $"/tickets/{number}", $"/tickets/{number}/{path}", fields);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [StorageFact]
    public async Task FileForACustomer_PickedFromTheSearch_IsFiledUnderThemAndFlaggedAsARepeat()
    {
        var carmen = await desk.SignedInAsync("carmen");
        await FileAsync(carmen, new() { ["Name"] = "Rita Repeat", ["Email"] = "rita.repeat@example.org", ["Channel"] = "Phone", ["Subject"] = "First call", ["Description"] = "One." });

        var search = WebUtility.HtmlDecode(await carmen.GetStringAsync("/tickets/new?q=rita+rep"));
        var id = Regex.Match(search, "name=\"CustomerId\" id=\"customer-(\\d+)\"").Groups[1].Value;
        Assert.Contains("rita.repeat@example.org", search);
        await FileAsync(carmen, new() { ["CustomerId"] = id, ["Channel"] = "InPerson", ["Subject"] = "Second visit", ["Description"] = "Two." }, "/tickets/new?q=rita+rep");

        await using var db = desk.Database.NewContext();
        var second = await db.Tickets.SingleAsync(t => t.Subject == "Second visit");
        Assert.Equal((long.Parse(id, System.Globalization.CultureInfo.InvariantCulture), true), (second.CustomerId, second.IsRepeatComplaint));
        Assert.Equal(1, await db.Customers.CountAsync(c => c.Email == "rita.repeat@example.org"));
    }

    [StorageFact]
    public async Task FileForACustomer_TheSameFormTwice_FilesOneTicket()
    {
        var david = await desk.SignedInAsync("david");
        var html = await david.GetStringAsync("/tickets/new");
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Field(html, "__RequestVerificationToken"), ["Submission"] = Field(html, "Submission"),
            ["Name"] = "Double Click", ["Channel"] = "Phone", ["Subject"] = "Clicked twice", ["Description"] = "Same form.",
        };

        var first = await david.PostAsync("/tickets/new", new FormUrlEncodedContent(fields));
        var second = await david.PostAsync("/tickets/new", new FormUrlEncodedContent(fields));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        await using var db = desk.Database.NewContext();
        Assert.Equal(1, await db.Tickets.CountAsync(t => t.Subject == "Clicked twice"));
        Assert.Equal(StatusLink().Match(await first.Content.ReadAsStringAsync()).Value, StatusLink().Match(await second.Content.ReadAsStringAsync()).Value);
    }

    [StorageFact]
    public async Task FileForACustomer_WithNeitherACustomerNorAName_IsRefusedAndFilesNothing()
    {
        var emma = await desk.SignedInAsync("emma");

        var page = await FileAsync(emma, new() { ["Channel"] = "Phone", ["Subject"] = "Nameless", ["Description"] = "Who?" });

        Assert.Contains("Pick a customer from the search, or give the new customer's name.", page);
        await using var db = desk.Database.NewContext();
        Assert.False(await db.Tickets.AnyAsync(t => t.Subject == "Nameless"));
    }

    [StorageFact]
    public async Task NewPages_InChinese_HaveNoEnglishLeftovers()
    {
        var admin = await desk.SignedInAsync("admin");
        string[] names = ["maria", "admin", .. Desk.Seed.DemoDataGenerator.AgentUserNames];
        string[] people = [.. names.Select(n => n + "@desk.example"), .. names];

        foreach (var path in new[] { "/tickets/new?culture=zh-CN", "/admin/users?culture=zh-CN", "/account/password?culture=zh-CN" })
            EnglishLeftovers.AssertNone(await admin.GetStringAsync(path), new HashSet<string> { "Desk", "English" }, people);
        var anonymous = desk.CreateClient();
        var spent = await anonymous.GetAsync("/account/set-password/bm90LWEtbGluaw?culture=zh-CN");
        Assert.Equal(HttpStatusCode.Gone, spent.StatusCode);
        EnglishLeftovers.AssertNone(await spent.Content.ReadAsStringAsync(), new HashSet<string> { "Desk", "English" });
    }

    /// <summary>Fills the form as the page gives it (antiforgery and submission token) and returns the answer page's text.</summary>
    private static async Task<string> FileAsync(HttpClient agent, Dictionary<string, string> fields, string page = "/tickets/new")
    {
        var html = await agent.GetStringAsync(page);
        fields["__RequestVerificationToken"] = Field(html, "__RequestVerificationToken");
        fields["Submission"] = Field(html, "Submission");
        fields.TryAdd("Language", "en");
        fields.TryAdd("Kind", "Complaint");
        var answer = await agent.PostAsync("/tickets/new", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        return WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync());
    }

    private static string Field(string html, string name) =>
        WebUtility.HtmlDecode(Regex.Match(html, $"name=\"{name}\"[^>]*value=\"([^\"]*)\"").Groups[1].Value);

    [GeneratedRegex(@"/status/[A-Za-z0-9_\-]{16,}")]
    private static partial Regex StatusLink();
}

public sealed class PhoneComplaintTestsOnSqlite(UserManagementTests.PeopleDesk desk) : PhoneComplaintTests(desk), IClassFixture<UserManagementTests.PeopleDesk>;

public sealed class PhoneComplaintTestsOnPostgres(UserManagementTests.PostgresPeopleDesk desk)
    : PhoneComplaintTests(desk), IClassFixture<UserManagementTests.PostgresPeopleDesk>, IRunsOnPostgres;

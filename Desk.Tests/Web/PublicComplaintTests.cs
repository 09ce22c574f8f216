using Desk.Web.Data;
using System.Net;
using System.Text.RegularExpressions;
using Desk.Domain.Remedies;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web.Features.Public;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Web;

public abstract partial class PublicComplaintTests(DeskWebFactory factory)
{
    [StorageFact]
    public async Task Complain_ValidForm_OpensAcknowledgedWebTicketAndSendsToPrivateStatusPage()
    {
        var client = Anonymous();
        var response = await FileAsync(client, "Nora.Quinn@Example.org", "Blender arrived broken");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        var token = TokenIn(location);
        var status = await client.GetStringAsync(location);
        Assert.Contains("Thank you, Nora Quinn", status);
        Assert.Contains("Blender arrived broken", status);

        await using var db = factory.Database.NewContext();
        var customer = await db.Customers.SingleAsync(c => c.Email == "nora.quinn@example.org");
        var ticket = await db.Tickets.SingleAsync(t => t.CustomerId == customer.Id);
        Assert.Equal((TicketState.Acknowledged, Channel.Web, (int?)RemedyKinds.Replacement, "SO-42"),
            (ticket.State, ticket.Channel, ticket.RemedySoughtId, ticket.OrderReference));
        Assert.Contains(ticket.Number, status);
        var link = await db.StatusLinks.SingleAsync(l => l.TicketId == ticket.Id);
        Assert.Equal(StatusLink.Hash(token), link.TokenHash);
        Assert.DoesNotContain(token, link.TokenHash); // only the hash is kept
    }

    [StorageFact]
    public async Task Complain_SameAddressTwice_MatchesTheCustomerButFilesTheSecondUnverifiedAndNoRepeat()
    {
        // The second filer may not be the first: until the address's owner confirms it (UnverifiedContactTests), it is
        // kept apart from the customer's history.
        var client = Anonymous();
        await FileAsync(client, "repeat.rita@example.org", "First");
        await FileAsync(client, "REPEAT.Rita@example.org", "Second");
        await using var db = factory.Database.NewContext();
        var customer = await db.Customers.SingleAsync(c => c.Email == "repeat.rita@example.org");
        var tickets = await db.Tickets.Where(t => t.CustomerId == customer.Id).OrderBy(t => t.Id).ToListAsync();
        Assert.Equal([(false, false), (false, true)], tickets.Select(t => (t.IsRepeatComplaint, t.ContactUnverified)));
    }

    [StorageFact]
    public async Task Complain_MissingFields_ShowsWhatIsMissingAndCreatesNothing()
    {
        await using var db = factory.Database.NewContext();
        var before = await db.Tickets.CountAsync();
        var response = await Forms.PostAsync(Anonymous(), "/complain", "/complain",
            new() { ["Name"] = "", ["Email"] = "not-an-address", ["Subject"] = "", ["Description"] = "" });
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Please tell us your name.", html);
        Assert.Contains("does not look like an e-mail address", html);
        Assert.Contains("Please describe what happened.", html);
        Assert.Equal(before, await db.Tickets.CountAsync());
    }

    [StorageFact]
    public async Task Complain_WithoutAntiforgeryToken_IsRefused()
    {
        var response = await Anonymous().PostAsync("/complain", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Name"] = "Eve", ["Email"] = "eve@example.org", ["Subject"] = "x", ["Description"] = "y",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [StorageFact]
    public async Task Complain_HostileText_IsShownAsTextOnStatusAndAgentPages()
    {
        var client = Anonymous();
        var response = await FileAsync(client, "mallory@example.org", "<script>alert(1)</script>", "<img src=x onerror=alert(2)>");
        var status = await client.GetStringAsync(response.Headers.Location!.OriginalString);
        Assert.DoesNotContain("<script>alert(1)", status);
        Assert.DoesNotContain("<img src=x", status);
        Assert.Contains("&lt;img src=x onerror=alert(2)&gt;", status);

        var number = NumberIn(status);
        var agentPage = await (await factory.SignedInAsync("carmen")).GetStringAsync($"/tickets/{number}");
        Assert.DoesNotContain("<script>alert(1)", agentPage);
        Assert.DoesNotContain("<img src=x", agentPage);
    }

    [StorageTheory]
    [InlineData("nope")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // right shape, no such link
    [InlineData("../../admin/users")]
    public async Task Status_WrongToken_Is404(string token)
    {
        var response = await Anonymous().GetAsync($"/status/{Uri.EscapeDataString(token)}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [StorageFact]
    public async Task Status_Token_OpensOnlyItsOwnTicketAndHidesInternalNotes()
    {
        var client = Anonymous();
        var first = TokenIn((await FileAsync(client, "one@example.org", "Ticket one")).Headers.Location!.OriginalString);
        var second = TokenIn((await FileAsync(client, "two@example.org", "Ticket two")).Headers.Location!.OriginalString);

        var page = await client.GetStringAsync($"/status/{first}");
        Assert.Contains("Ticket one", page);
        Assert.DoesNotContain("Ticket two", page);
        Assert.Contains("Ticket two", await client.GetStringAsync($"/status/{second}"));

        var number = NumberIn(page);
        var agent = await factory.SignedInAsync("david");
        var version = await VersionOf(number);
        await Forms.PostAsync(agent, $"/tickets/{number}", $"/tickets/{number}/actions/note",
            new() { ["Version"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Text"] = "Internal: customer is a reseller" });
        Assert.DoesNotContain("reseller", await client.GetStringAsync($"/status/{first}"));
    }

    [StorageFact]
    public async Task Status_AgentsMarkdownReply_IsShownFormattedAndSafe_TheCustomersWordsAsTyped()
    {
        var client = Anonymous();
        var token = TokenIn((await FileAsync(client, "mark.down@example.org", "Stars *and* dashes")).Headers.Location!.OriginalString);
        var number = NumberIn(await client.GetStringAsync($"/status/{token}"));
        var agent = await factory.SignedInAsync("david");
        var version = await VersionOf(number);
        await Forms.PostAsync(agent, $"/tickets/{number}", $"/tickets/{number}/actions/reply",
            new() { ["Version"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Text"] = "Your **refund** is on its way.\n\n- step one\n- <script>alert(1)</script>" });

        var page = await client.GetStringAsync($"/status/{token}");
        Assert.Contains("Your <strong>refund</strong> is on its way.", page);
        Assert.Contains("<li>step one</li>", page);
        Assert.DoesNotContain("**refund**", page);
        Assert.DoesNotContain("<script>alert", page);
        Assert.Contains("Stars *and* dashes", page); // the customer's own words are never formatted
    }

    [StorageFact]
    public async Task Status_ExpiredLink_Is404()
    {
        var client = Anonymous();
        var token = TokenIn((await FileAsync(client, "late.larry@example.org", "Old")).Headers.Location!.OriginalString);
        await using (var db = factory.Database.NewContext())
            await db.StatusLinks.Where(l => l.TokenHash == StatusLink.Hash(token))
                .ExecuteUpdateAsync(l => l.SetProperty(x => x.ExpiresAt, DeskWebFactory.Now.AddSeconds(-1)));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/status/{token}")).StatusCode);
    }

    [StorageFact]
    public async Task Reply_OnStatusPage_AnswersARequestForInformation()
    {
        var client = Anonymous();
        var token = TokenIn((await FileAsync(client, "answering.ann@example.org", "Kettle")).Headers.Location!.OriginalString);
        var number = NumberIn(await client.GetStringAsync($"/status/{token}"));
        var agent = await factory.SignedInAsync("alice");
        await Forms.PostAsync(agent, $"/tickets/{number}", $"/tickets/{number}/steps/Assign",
            new() { ["Version"] = (await VersionOf(number)).ToString(System.Globalization.CultureInfo.InvariantCulture), ["Assignee"] = "alice" });
        await Forms.PostAsync(agent, $"/tickets/{number}", $"/tickets/{number}/steps/RequestInfo",
            new() { ["Version"] = (await VersionOf(number)).ToString(System.Globalization.CultureInfo.InvariantCulture), ["Text"] = "Which model is it?" });
        Assert.Contains("Which model is it?", await client.GetStringAsync($"/status/{token}"));

        var response = await Forms.PostAsync(client, $"/status/{token}", $"/status/{token}/reply", new() { ["Message"] = "The 1.7 litre one." });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var db = factory.Database.NewContext();
        Assert.True(TicketNumber.TryParse(number, out var id));
        var ticket = await db.Tickets.Include(t => t.Conversation).SingleAsync(t => t.Id == id);
        Assert.Equal(TicketState.InProgress, ticket.State);
        Assert.Equal(("answering.ann@example.org", "The 1.7 litre one."), (ticket.Conversation.OrderBy(e => e.Id).Last().Author, ticket.Conversation.OrderBy(e => e.Id).Last().Body));
    }

    private async Task<int> VersionOf(string number)
    {
        Assert.True(TicketNumber.TryParse(number, out var id));
        await using var db = factory.Database.NewContext();
        return await db.Tickets.Where(t => t.Id == id).Select(t => t.Version).SingleAsync();
    }

    internal static Task<HttpResponseMessage> FileAsync(HttpClient client, string email, string subject, string description = "It does not work.") =>
        Forms.PostAsync(client, "/complain", "/complain", new()
        {
            ["Name"] = "Nora Quinn", ["Email"] = email, ["Kind"] = "Complaint", ["OrderReference"] = "SO-42",
            ["Subject"] = subject, ["Description"] = description, ["RemedySoughtId"] = "2",
        });

    private static string TokenIn(string location) => StatusPath().Match(location).Groups[1].Value;

    private static string NumberIn(string html) => TicketNumberText().Match(html).Value;

    private HttpClient Anonymous() => factory.CreateClient(new() { AllowAutoRedirect = false });

    [GeneratedRegex("^/status/([A-Za-z0-9_-]{43})")]
    private static partial Regex StatusPath();

    [GeneratedRegex("D-[0-9]{6,}")]
    private static partial Regex TicketNumberText();
}

public sealed class PublicComplaintTestsOnSqlite(DeskWebFactory factory) : PublicComplaintTests(factory), IClassFixture<DeskWebFactory>;

public sealed class PublicComplaintTestsOnPostgres(PostgresDesk factory) : PublicComplaintTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

public class RateLimitedDesk : DeskWebFactory
{
    public override int PublicPostsPerWindow => 2;
    public override int DemoTickets => 0;
}

public sealed class PostgresRateLimitedDesk : RateLimitedDesk
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}

public abstract class PublicRateLimitTests(RateLimitedDesk factory)
{
    [StorageFact]
    public async Task Complain_TooManyFromOneAddress_IsAnswered429AndCreatesNothingMore()
    {
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Redirect, (await PublicComplaintTests.FileAsync(client, "a@example.org", "1")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await PublicComplaintTests.FileAsync(client, "b@example.org", "2")).StatusCode);
        var third = await PublicComplaintTests.FileAsync(client, "c@example.org", "3");
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Contains("wait a few minutes", await third.Content.ReadAsStringAsync());
        await using var db = factory.Database.NewContext();
        Assert.Equal(2, await db.Tickets.CountAsync());
    }
}

public sealed class PublicRateLimitTestsOnSqlite(RateLimitedDesk factory) : PublicRateLimitTests(factory), IClassFixture<RateLimitedDesk>;

public sealed class PublicRateLimitTestsOnPostgres(PostgresRateLimitedDesk factory) : PublicRateLimitTests(factory), IClassFixture<PostgresRateLimitedDesk>, IRunsOnPostgres;

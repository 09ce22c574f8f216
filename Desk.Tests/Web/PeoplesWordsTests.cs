using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Web;

/// <summary>
/// Issue 19, item 7: the desk's own words on the agent pages in people's language — names, not ids, in the audit trail;
/// plain labels for messages and workflow steps; times in the agent's own time zone and culture.
/// </summary>
public abstract partial class PeoplesWordsTests(DeskWebFactory factory) : IAsyncLifetime
{
    private HttpClient _agent = null!;
    private static int _picked;

    public async Task InitializeAsync() => _agent = await factory.SignedInAsync("grace");

    public Task DisposeAsync() => Task.CompletedTask;

    [StorageFact]
    public async Task AuditTrail_AfterResolve_NamesRemedyAndRootCauseInTheReadersLanguage()
    {
        var ticket = await TicketIn(TicketState.InProgress);
        await using (var db = factory.Database.NewContext())
        {
            var cause = await db.RootCauses.AsNoTracking().SingleAsync(c => c.Id == 71);
            var parent = await db.RootCauses.AsNoTracking().SingleAsync(c => c.Id == cause.ParentId);
            var response = await PostAsync(ticket, "steps/Resolve", new() { ["RemedyKindId"] = "2", ["RemedyCost"] = "18.40", ["RootCauseId"] = "71" });
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

            var english = AuditComments(await _agent.GetStringAsync($"/tickets/{ticket.Number}?culture=en"));
            Assert.Contains($"Replacement (cost 18.40), root cause: {parent.Name} › {cause.Name}", english);
            Assert.DoesNotContain(english, c => c.Contains("Remedy #", StringComparison.Ordinal) || c.Contains("root cause #", StringComparison.Ordinal));

            var chinese = AuditComments(await _agent.GetStringAsync($"/tickets/{ticket.Number}?culture=zh-CN"));
            Assert.Contains(chinese, c => c.Contains($"根本原因：{parent.NameZh} › {cause.NameZh}", StringComparison.Ordinal) && c.Contains("18.40", StringComparison.Ordinal));
        }
        // The stored trail is as the domain wrote it: rendering, not rewriting.
        await using var check = factory.Database.NewContext();
        Assert.Equal("Remedy #2 (18.40), root cause #71",
            (await check.Set<AuditEntry>().AsNoTracking().Where(a => a.TicketId == ticket.Id && a.Trigger == TicketTrigger.Resolve).OrderBy(a => a.Id).LastAsync()).Comment);
    }

    [StorageFact]
    public async Task AuditTrail_InChinese_WritesTheDesksOwnCommentsInChinese()
    {
        var ticket = await TicketIn(TicketState.Acknowledged);
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(ticket, "steps/Assign", new() { ["Assignee"] = "grace" })).StatusCode);
        var ticketAgain = await Reload(ticket);
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(ticketAgain, "steps/Assess",
            new() { ["Severity"] = "Major", ["Impact"] = "High", ["SafetyRisk"] = "true" })).StatusCode);

        var chinese = AuditComments(await _agent.GetStringAsync($"/tickets/{ticket.Number}?culture=zh-CN"));
        Assert.Contains("分配给 grace", chinese);
        Assert.Contains(chinese, c => c.StartsWith("严重程度：", StringComparison.Ordinal) && c.EndsWith("，有安全风险", StringComparison.Ordinal));
        Assert.DoesNotContain(chinese, c => Regex.IsMatch(c, "^(Received by|Severity|Assigned to|Remedy #|Follow-up window|Merged into) "));
    }

    [StorageFact]
    public async Task TicketPage_InEnglish_LabelsMessagesInPlainWords()
    {
        var ticket = await TicketIn(TicketState.InProgress);
        var html = WebUtility.HtmlDecode(await _agent.GetStringAsync($"/tickets/{ticket.Number}?culture=en"));

        Assert.Contains("· Customer wrote ·", html);
        Assert.DoesNotMatch("· (Inbound|Outbound|InternalNote|SystemEvent) ·", html);
    }

    [StorageFact]
    public async Task Workflow_InEitherLanguage_NamesStatesAndStepsInWords()
    {
        var english = WebUtility.HtmlDecode(await _agent.GetStringAsync("/workflow?culture=en"));
        Assert.Contains("state \"In progress\" as InProgress", english);
        Assert.Contains("InProgress --> AwaitingCustomer : Ask the customer", english);
        Assert.DoesNotContain("<td>RequestInfo</td>", english);
        Assert.Contains("<td>Ask the customer</td>", english);

        var chinese = WebUtility.HtmlDecode(await _agent.GetStringAsync("/workflow?culture=zh-CN"));
        Assert.Contains("InProgress --> AwaitingCustomer : 询问顾客", chinese);
    }

    [StorageFact]
    public async Task Preferences_ChosenTimeZone_ShowsTicketTimesInThatZoneAndCulture()
    {
        var agent = await factory.SignedInAsync("hiro");
        var ticket = await TicketIn(TicketState.InProgress);
        var shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var received = TimeZoneInfo.ConvertTimeFromUtc(ticket.ReceivedAt, shanghai);
        try
        {
            var saved = await Forms.PostAsync(agent, "/account/preferences", "/account/preferences", new() { ["TimeZone"] = "Asia/Shanghai" });
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

            var english = WebUtility.HtmlDecode(await agent.GetStringAsync($"/tickets/{ticket.Number}?culture=en"));
            Assert.Contains($"Received: {received.ToString("g", CultureInfo.GetCultureInfo("en"))} (", english);
            Assert.Contains("When (Asia/Shanghai)", english);
            var chinese = WebUtility.HtmlDecode(await agent.GetStringAsync($"/tickets/{ticket.Number}?culture=zh-CN"));
            Assert.Contains(received.ToString("g", CultureInfo.GetCultureInfo("zh-CN")), chinese);

            // Someone who chose nothing reads the desk's zone (UTC here), the same ticket at the same moment.
            var other = WebUtility.HtmlDecode(await _agent.GetStringAsync($"/tickets/{ticket.Number}?culture=en"));
            Assert.Contains($"Received: {ticket.ReceivedAt.ToString("g", CultureInfo.GetCultureInfo("en"))} (", other);
        }
        finally
        {
            await Forms.PostAsync(agent, "/account/preferences", "/account/preferences", new() { ["TimeZone"] = "" });
        }
        await using var db = factory.Database.NewContext();
        Assert.Null((await db.Users.AsNoTracking().SingleAsync(u => u.UserName == "hiro")).TimeZone);
    }

    [StorageFact]
    public async Task DeskTimeZone_Configured_IsTheZoneOfEveryoneWhoChoseNone()
    {
        var ticket = await TicketIn(TicketState.InProgress);
        using var shanghaiDesk = factory.WithWebHostBuilder(b => b.UseSetting("Desk:TimeZone", "Asia/Shanghai"));
        var agent = shanghaiDesk.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.PostAsync(agent, "/account/login", "/account/login",
            new() { ["UserName"] = "emma", ["Password"] = DeskWebFactory.DemoPassword })).StatusCode);

        var html = WebUtility.HtmlDecode(await agent.GetStringAsync($"/tickets/{ticket.Number}?culture=en"));

        var local = TimeZoneInfo.ConvertTimeFromUtc(ticket.ReceivedAt, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        Assert.Contains($"Received: {local.ToString("g", CultureInfo.GetCultureInfo("en"))} (", html);
        Assert.Contains("When (Asia/Shanghai)", html);
    }

    [StorageFact]
    public async Task Preferences_UnknownTimeZone_RefusedWithTheMessageTiedToTheField()
    {
        var response = await Forms.PostAsync(_agent, "/account/preferences", "/account/preferences", new() { ["TimeZone"] = "Mars/Olympus_Mons" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Matches("<select id=\"TimeZone\"[^>]*aria-describedby=\"TimeZone-help TimeZone-error\"[^>]*aria-invalid=\"true\"", html);
        Assert.Contains("id=\"TimeZone-error\" class=\"invalid-feedback d-block\">This desk does not know the time zone Mars/Olympus_Mons.", html);
        await using var db = factory.Database.NewContext();
        Assert.Null((await db.Users.AsNoTracking().SingleAsync(u => u.UserName == "grace")).TimeZone);
    }

    [StorageFact]
    public async Task SignIn_WithoutUserName_MarksTheFieldAndTiesItsMessageToIt()
    {
        var client = factory.CreateClient();
        var response = await Forms.PostAsync(client, "/account/login", "/account/login", new() { ["UserName"] = "", ["Password"] = "x" });

        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Matches("<input[^>]*aria-invalid=\"true\"[^>]*aria-describedby=\"UserName-error\"[^>]*>|<input[^>]*aria-describedby=\"UserName-error\"[^>]*aria-invalid=\"true\"[^>]*>", html);
        Assert.Contains("<div class=\"invalid-feedback d-block\" id=\"UserName-error\">Enter your user name.</div>", html);
        Assert.DoesNotContain("Password-error", html); // only the field that is wrong
    }

    private static List<string> AuditComments(string html) =>
        [.. AuditComment().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value).Trim())];

    [GeneratedRegex("<td class=\"audit-comment\">([^<]*)</td>")]
    private static partial Regex AuditComment();

    private async Task<HttpResponseMessage> PostAsync(Ticket ticket, string path, Dictionary<string, string> fields)
    {
        fields["Version"] = ticket.Version.ToString(CultureInfo.InvariantCulture);
        return await Forms.PostAsync(_agent, $"/tickets/{ticket.Number}", $"/tickets/{ticket.Number}/{path}", fields);
    }

    /// <summary>A different ticket in <paramref name="state"/> for every call, so tests sharing the desk never meet.</summary>
    private async Task<Ticket> TicketIn(TicketState state)
    {
        var skip = Interlocked.Increment(ref _picked);
        await using var db = factory.Database.NewContext();
        var candidates = await db.Tickets.AsNoTracking().Where(t => t.State == state && !t.ContactUnverified).OrderBy(t => t.Id).ToListAsync();
        Assert.True(candidates.Count > 0, $"no demo ticket in {state}");
        return candidates[skip % candidates.Count];
    }

    private async Task<Ticket> Reload(Ticket ticket)
    {
        await using var db = factory.Database.NewContext();
        return await db.Tickets.AsNoTracking().SingleAsync(t => t.Id == ticket.Id);
    }
}

public sealed class PeoplesWordsTestsOnSqlite(DeskWebFactory factory) : PeoplesWordsTests(factory), IClassFixture<DeskWebFactory>;

public sealed class PeoplesWordsTestsOnPostgres(PostgresDesk factory) : PeoplesWordsTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

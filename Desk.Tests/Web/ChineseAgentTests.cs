using System.Net;
using System.Text.RegularExpressions;
using Desk.Seed;
using Desk.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Web;

/// <summary>The agents' first screens in Chinese: sign-in and the queue (data such as agents' user names aside).</summary>
public abstract class ChineseAgentTests(DeskWebFactory factory)
{
    [StorageFact]
    public async Task SignInPage_InChinese_HasNoEnglishLeftovers()
    {
        var html = await factory.CreateClient().GetStringAsync("/account/login?culture=zh-CN");
        Assert.Contains("登录客服台", html);
        AssertNoEnglish(html);
    }

    [StorageFact]
    public async Task Queue_InChinese_ShowsChineseChromeBadgesAndTimes()
    {
        var agent = await factory.SignedInAsync("wang.fang");
        await using var db = factory.Database.NewContext();
        // A Chinese-speaking customer's tickets, so the rows' own data is Chinese too.
        var email = await db.Customers.Where(c => c.Language == "zh" && db.Tickets.Count(t => t.CustomerId == c.Id) > 1)
            .Select(c => c.Email).FirstAsync();

        var html = await agent.GetStringAsync($"/?view=all&q={Uri.EscapeDataString(email)}&culture=zh-CN");

        Assert.Contains("工单队列", html);
        Assert.Contains("我的未结", html);
        AssertNoEnglish(html, extraData: [.. DemoDataGenerator.AgentUserNames, "maria", "admin", email]);
        Assert.Matches("(天|小时|分钟)前", html);
    }

    [StorageFact]
    public async Task TicketPage_InChinese_HasNoEnglishLeftoversOutsideTheData()
    {
        var agent = await factory.SignedInAsync("li.na");
        await using var db = factory.Database.NewContext();
        var ticket = await (from t in db.Tickets
                            join c in db.Customers on t.CustomerId equals c.Id
                            where c.Language == "zh" && t.State == Desk.Domain.Tickets.TicketState.InProgress
                            select t).FirstAsync();
        var customer = await db.Customers.SingleAsync(c => c.Id == ticket.CustomerId);

        var html = await agent.GetStringAsync($"/tickets/{ticket.Number}?culture=zh-CN");

        Assert.Contains("下一步", html);
        Assert.Contains("沟通记录", html);
        // Data written by people or stored earlier stays as written: audit comments and canned-reply titles.
        var chrome = Regex.Replace(html, "<td class=\"audit-comment\">[^<]*</td>|<option value=\"[0-9]+\" data-text=\"[^\"]*\">[^<]*</option>|<tr title=\"[^\"]*\">", " ");
        AssertNoEnglish(chrome, extraData: [.. DemoDataGenerator.AgentUserNames, "maria", "admin", "desk", customer.Email, ticket.Product ?? ""]);
    }

    private static readonly HashSet<string> Allowed = ["Desk", "English", "UTC"]; // Desk: the product's name

    private static void AssertNoEnglish(string html, IEnumerable<string>? extraData = null) =>
        EnglishLeftovers.AssertNone(html, Allowed, extraData, "D-[0-9]+|SO-[0-9]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+");
}

public sealed class ChineseAgentTestsOnSqlite(DeskWebFactory factory) : ChineseAgentTests(factory), IClassFixture<DeskWebFactory>;

public sealed class ChineseAgentTestsOnPostgres(PostgresDesk factory) : ChineseAgentTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

using System.Net;
using System.Text.RegularExpressions;
using Desk.Domain.Tickets;
using Desk.Seed;
using Desk.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Web;

/// <summary>
/// The admin pages, canned replies, the customer and workflow pages, the denied and error pages in Chinese:
/// every word of the desk's own is Chinese; only data (names, addresses, what people typed) stays as written.
/// </summary>
public abstract class ChineseAdminPagesTests(DeskWebFactory factory)
{
    // Desk: the product's name; English: the language switch names its language in that language.
    private static readonly HashSet<string> Allowed = ["Desk", "English", "UTC"];

    private static readonly string[] People = [.. DemoDataGenerator.AgentUserNames, "maria", "admin"];

    [StorageFact]
    public async Task UsersPage_InChinese_HasNoEnglishLeftovers()
    {
        var html = await (await factory.SignedInAsync("admin")).GetStringAsync("/admin/users?culture=zh-CN");

        Assert.Contains(">状态<", html); // the status column (active or disabled), which replaced "locked until"
        Assert.Contains(">管理员<", html); // roles are words, not data
        Assert.Contains(">客服<", html);
        await using var db = factory.Database.NewContext();
        AssertNoEnglish(html, [.. People, .. await db.Users.Select(u => u.Email!).ToListAsync()]); // "alice@desk.example" whole, not as "alice"
    }

    [StorageFact]
    public async Task RootCausesPage_InChinese_ShowsTheChineseNames()
    {
        var html = await (await factory.SignedInAsync("admin")).GetStringAsync("/admin/root-causes?culture=zh-CN");

        Assert.Contains("添加原因", html);
        Assert.Contains("原因名称", html);
        await using var db = factory.Database.NewContext();
        var topLevel = await db.RootCauses.Where(c => c.ParentId == null).OrderBy(c => c.Id).FirstAsync();
        Assert.Contains($"<strong>{topLevel.NameZh}</strong>", html);
        Assert.Contains($">{topLevel.NameZh}</option>", html);
        AssertNoEnglish(html, People);
    }

    [StorageFact]
    public async Task SlaPage_InChinese_HasNoEnglishLeftovers()
    {
        var html = await (await factory.SignedInAsync("admin")).GetStringAsync("/admin/sla?culture=zh-CN");

        Assert.Contains("服务时限目标", html);
        Assert.Contains("严重：首次回复（小时）", html);
        Assert.Contains("<th>伙伴</th>", html); // relationship levels as words
        AssertNoEnglish(html, People);
    }

    [StorageFact]
    public async Task SlaPage_RefusedInChinese_SaysSoInChinese()
    {
        var admin = await factory.SignedInAsync("admin");
        await using var db = factory.Database.NewContext();
        var fields = new Dictionary<string, string>();
        foreach (var t in await db.SlaTargets.AsNoTracking().ToListAsync())
        {
            fields[$"FirstResponse[{t.Severity}.{t.Level}]"] = t.FirstResponse.TotalHours.ToString(System.Globalization.CultureInfo.InvariantCulture);
            fields[$"Resolution[{t.Severity}.{t.Level}]"] = t.Resolution.TotalHours.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        fields["FirstResponse[Major.Basic]"] = "soon";
        var response = await Forms.PostAsync(admin, "/admin/sla?culture=zh-CN", "/admin/sla?culture=zh-CN", fields);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("严重 / 基本：“soon”不是 0 到一年之间的小时数。 未保存任何更改。", WebUtility.HtmlDecode(html));
        AssertNoEnglish(html, [.. People, "soon"]); // what the admin typed stays as typed
    }

    [StorageFact]
    public async Task CannedRepliesPage_InChinese_HasNoEnglishLeftoversOutsideTheReplies()
    {
        var html = await (await factory.SignedInAsync("zhang.wei")).GetStringAsync("/macros?culture=zh-CN");

        Assert.Contains("添加常用回复", html);
        Assert.Contains("使用时会自动填入 <code>{customer}</code>、<code>{number}</code> 和 <code>{agent}</code>。", html);
        await using var db = factory.Database.NewContext();
        var replies = await db.Macros.Select(m => new { m.Title, m.Body, m.Group }).ToListAsync();
        // The replies and their groups are data (written by agents and admins, in their language); the placeholders are typed as they are.
        AssertNoEnglish(html, [.. People, .. replies.Select(r => r.Title), .. replies.Select(r => r.Body), .. replies.Select(r => r.Group).OfType<string>(), "{customer}", "{number}", "{agent}"]);
    }

    [StorageFact]
    public async Task CannedReplies_RefusedInChinese_SaysSoInChinese()
    {
        var agent = await factory.SignedInAsync("zhang.wei");
        var response = await Forms.PostAsync(agent, "/macros?culture=zh-CN", "/macros?culture=zh-CN", new() { ["Title"] = " ", ["Body"] = "正文" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("快捷回复需要一个标题。", html);
    }

    [StorageFact]
    public async Task CustomerPage_InChinese_HasNoEnglishLeftoversOutsideTheData()
    {
        await using var db = factory.Database.NewContext();
        var customer = await db.Customers
            .Where(c => c.Language == "zh" && db.Tickets.Count(t => t.CustomerId == c.Id) > 1 && db.Orders.Any(o => o.CustomerId == c.Id))
            .OrderBy(c => c.Id).FirstAsync();
        var subjects = await db.Tickets.Where(t => t.CustomerId == customer.Id).Select(t => t.Subject).ToListAsync();
        var orders = await db.Orders.Where(o => o.CustomerId == customer.Id).Select(o => new { o.Product, o.Category }).ToListAsync();

        var html = await (await factory.SignedInAsync("li.na")).GetStringAsync($"/customers/{customer.Id}?culture=zh-CN");

        Assert.Contains("客户级别", html);
        Assert.Contains("订单（最近 50 笔）", html);
        Assert.Contains("语言 中文", html);
        // Orders keep the shop's product names and categories; subjects and contact details are the customer's own.
        AssertNoEnglish(html, [.. People, customer.Name, customer.Email, customer.Phone ?? "", .. subjects,
            .. orders.Select(o => o.Product ?? ""), .. orders.Select(o => o.Category ?? "")]);
    }

    [StorageFact]
    public async Task WorkflowPage_InChinese_ShowsTheStepsAndTheDiagramInChinese()
    {
        var html = await (await factory.SignedInAsync("hiro")).GetStringAsync("/workflow?culture=zh-CN");

        Assert.Contains("工单如何流转", html);
        var table = html[html.IndexOf("id=\"workflow-table\"", StringComparison.Ordinal)..];
        Assert.Equal(Ticket.WorkflowTransitions().Count, Regex.Matches(table, "<tr>").Count - 1);
        Assert.Contains("已给出的补救措施及其成本（零或以上）以及根本原因", table);
        // The diagram's Mermaid source: states keep their ids, and show and move by Chinese words.
        var source = WebUtility.HtmlDecode(Regex.Match(html, "<script type=\"text/plain\" id=\"workflow-source\">([^<]*)</script>").Groups[1].Value);
        Assert.Contains("state \"处理中\" as InProgress", source);
        Assert.Contains("InProgress --> Resolved : 解决 [已给出的补救措施", source);
        AssertNoEnglish(html, People);
    }

    [StorageFact]
    public async Task DeniedPage_InChinese_HasNoEnglishLeftovers()
    {
        var agent = await factory.SignedInAsync("farid");
        var response = await agent.GetAsync("/account/denied?culture=zh-CN");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("此页面不属于您的角色", html);
        Assert.Contains("常用回复", html); // the agent's menu
        AssertNoEnglish(html, People);
    }

    [StorageFact]
    public async Task ErrorPage_SignedIn_InChinese_HasNoEnglishLeftovers()
    {
        var agent = await factory.SignedInAsync("farid");
        var response = await agent.GetAsync("/no-such-page?culture=zh-CN");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("这里没有内容", html);
        Assert.Contains("错误 404", html);
        AssertNoEnglish(html, People);
    }

    [StorageFact]
    public async Task AdminMenu_InChinese_HasEveryAdminPage()
    {
        var html = await (await factory.SignedInAsync("admin")).GetStringAsync("/admin/users?culture=zh-CN");
        var nav = html[..html.IndexOf("</nav>", StringComparison.Ordinal)];
        foreach (var item in new[] { "工单队列", "常用回复", "流程", "用户", "根本原因", "服务时限", "补救措施", "运行状态", "退出" })
            Assert.Contains($">{item}<", nav);
        AssertNoEnglish(nav, People);
    }

    private static void AssertNoEnglish(string html, IEnumerable<string> data) =>
        EnglishLeftovers.AssertNone(html, Allowed, data, "D-[0-9]+|SO-[0-9]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+");
}

public sealed class ChineseAdminPagesTestsOnSqlite(DeskWebFactory factory) : ChineseAdminPagesTests(factory), IClassFixture<DeskWebFactory>;

public sealed class ChineseAdminPagesTestsOnPostgres(PostgresDesk factory) : ChineseAdminPagesTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

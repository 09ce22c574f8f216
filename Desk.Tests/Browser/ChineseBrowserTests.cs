using System.Text.RegularExpressions;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Microsoft.Playwright;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Browser;

/// <summary>
/// The two journeys of the other browser tests, by people whose browsers ask for Chinese: a customer files a
/// complaint and follows it; an agent finds it by searching, assigns, replies and resolves. Every screen on the
/// way is read for English left over (outside the data people typed and the audit trail's stored comments).
/// </summary>
public sealed class ChineseBrowserTests(BrowserDesk desk) : IClassFixture<BrowserDesk>
{
    private static readonly HashSet<string> Allowed = ["Desk", "English", "UTC", "MB", "PDF"]; // the product's name, the switch back, the time zone, units and formats written so in Chinese too

    [BrowserFact]
    public async Task CustomerAndAgent_InChinese_SeeNoEnglishLeftoversOnTheWay()
    {
        Assert.True(File.Exists(BrowserDesk.ChromiumPath), $"CI=true and no Chromium at {BrowserDesk.ChromiumPath}.");
        const string name = "周晓燕", email = "zhou.xiaoyan@example.cn";

        // The customer: the form and the private status page.
        var customer = await desk.NewPageAsync("zh-CN");
        await customer.GotoAsync("/complain");
        await Assertions.Expect(customer.Locator("h1")).ToContainTextAsync("告诉我们");
        await AssertNoEnglishAsync(customer, "zh-public-form");
        await customer.FillAsync("#Name", name);
        await customer.FillAsync("#Email", email);
        await customer.SelectOptionAsync("#Kind", "Complaint");
        await customer.FillAsync("#Subject", "电水壶底座漏水");
        await customer.FillAsync("#Description", "用了两次，底座就开始漏水，桌子都湿了。");
        await customer.SelectOptionAsync("#RemedySoughtId", new SelectOptionValue { Label = "退款" });
        await customer.ClickAsync("button:has-text('提交')");

        await Assertions.Expect(customer.Locator("#filed")).ToContainTextAsync($"{name}，谢谢您！");
        var number = await customer.Locator("h1 .font-monospace").InnerTextAsync();
        await Assertions.Expect(customer.Locator("#status")).ToContainTextAsync("已收到");
        await AssertNoEnglishAsync(customer, "zh-public-status", number, email);

        // The agent: signs in, finds the ticket by a word of it, works it to resolved.
        var agent = await desk.NewPageAsync("zh-CN");
        await agent.GotoAsync("/");
        await AssertNoEnglishAsync(agent, "zh-sign-in");
        await agent.FillAsync("#UserName", "bob");
        await agent.FillAsync("#Password", DeskWebFactory.DemoPassword);
        await agent.ClickAsync("button:has-text('登录')");
        await agent.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await agent.FillAsync("#q", "漏水 " + name);
        await agent.Keyboard.PressAsync("Enter");
        var rows = agent.Locator(".queue-table tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.First).ToContainTextAsync(number);
        await AssertNoEnglishAsync(agent, "zh-queue-search", number, email);

        await agent.ClickAsync($"a:has-text('{number}')");
        await agent.Locator("details[data-step=Assign] summary").ClickAsync();
        await agent.Locator("details[data-step=Assign] select[name=Assignee]").SelectOptionAsync("bob");
        await agent.Locator("details[data-step=Assign] button").ClickAsync();
        await Assertions.Expect(agent.Locator("#step-done")).ToContainTextAsync("已完成");
        await Assertions.Expect(agent.Locator(".badge", new() { HasText = "处理中" })).ToBeVisibleAsync();

        await agent.FillAsync("#reply-text", "非常抱歉，我们马上为您处理。");
        await agent.ClickAsync("button:has-text('发送回复')");
        await Assertions.Expect(agent.Locator(".conversation .entry.Outbound").Last).ToContainTextAsync("马上为您处理");

        await agent.Locator("details[data-step=Resolve] summary").ClickAsync();
        var resolve = agent.Locator("details[data-step=Resolve]");
        await resolve.Locator("select[name=RemedyKindId]").SelectOptionAsync(new SelectOptionValue { Label = "退款" });
        await resolve.Locator("input[name=RemedyCost]").FillAsync("25.00");
        await resolve.Locator("select[name=RootCauseId]").SelectOptionAsync(new SelectOptionValue { Label = "配送延迟" });
        await resolve.Locator("textarea[name=Text]").FillAsync("已为您全额退款。");
        await resolve.Locator("button").ClickAsync();

        // Resolving starts the follow-up plan at once: the ticket is in follow-up.
        await Assertions.Expect(agent.Locator(".badge", new() { HasText = "回访中" }).First).ToBeVisibleAsync();
        await Assertions.Expect(agent.GetByText("配送 › 配送延迟", new() { Exact = true })).ToBeVisibleAsync();
        await AssertNoEnglishAsync(agent, "zh-ticket-resolved", number, email, "desk");

        await using var db = desk.Database.NewContext();
        Assert.True(TicketNumber.TryParse(number, out var id));
        var stored = await db.Tickets.AsNoTracking().SingleAsync(t => t.Id == id);
        Assert.Equal((TicketState.FollowUp, "bob", (int?)Desk.Domain.Remedies.RemedyKinds.Refund), (stored.State, stored.AssignedTo, stored.RemedyGivenId));
        Assert.Equal("zh", (await db.Customers.AsNoTracking().SingleAsync(c => c.Id == stored.CustomerId)).Language);
    }

    private static readonly string[] Users = [.. Desk.Seed.DemoDataGenerator.AgentUserNames, "maria", "admin"]; // user names are data

    /// <summary>Saves a screenshot, then fails if the page shows English outside the data (audit comments are stored text).</summary>
    private static async Task AssertNoEnglishAsync(IPage page, string screenshot, params string[] data)
    {
        await BrowserDesk.ScreenshotAsync(page, screenshot);
        var html = Regex.Replace(await page.ContentAsync(), "<td class=\"audit-comment\">[^<]*</td>|<option value=\"[0-9]+\" data-text=\"[^\"]*\">[^<]*</option>", " ");
        EnglishLeftovers.AssertNone(html, Allowed, [.. data, .. Users], "D-[0-9]+|SO-[0-9]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+");
    }
}

using Desk.Tests.Support;
using Desk.Web.Email.Outbound;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Desk.Tests.Browser;

/// <summary>
/// In Chromium: an admin disables an agent whose open browser (another context) is refused at its next request; an agent
/// files a phone complaint and the customer's acknowledgement reaches the pickup folder; the new pages at 1400 and
/// 390 px in English and Chinese, without sideways overflow, saved for a person to look at.
/// </summary>
public sealed class PeopleBrowserTests(BrowserDesk desk) : IClassFixture<BrowserDesk>
{
    private static readonly string Shots = Path.Combine(BrowserDesk.ScreenshotFolder, "people");

    [BrowserFact]
    public async Task Disable_OnTheUsersPage_RefusesTheAgentsOpenSessionAtTheNextRequest()
    {
        var agent = await desk.NewPageAsync();
        await BrowserDesk.SignInAsync(agent, "zhang.wei", "/macros");
        var admin = await desk.NewPageAsync();
        await BrowserDesk.SignInAsync(admin, "admin", "/admin/users");

        var row = admin.Locator("tr[data-user='zhang.wei']");
        await row.Locator("summary", new() { HasText = "Manage" }).ClickAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();

        await Assertions.Expect(admin.Locator("#users-done")).ToContainTextAsync("zhang.wei is disabled");
        await Assertions.Expect(admin.Locator("tr[data-user='zhang.wei']")).ToContainTextAsync("Disabled");
        await agent.GotoAsync("/");
        Assert.Contains("/account/login", agent.Url);
        await agent.FillAsync("#UserName", "zhang.wei");
        await agent.FillAsync("#Password", DeskWebFactory.DemoPassword);
        await agent.ClickAsync("button:has-text('Sign in')");
        await Assertions.Expect(agent.Locator(".text-danger")).ToContainTextAsync("This account is disabled");
    }

    [BrowserFact]
    public async Task PhoneComplaint_FiledByAnAgent_IsAcknowledgedToTheCustomerByMail()
    {
        var agent = await desk.NewPageAsync();
        await BrowserDesk.SignInAsync(agent, "alice", "/");

        await agent.ClickAsync("#file-for-customer");
        await agent.FillAsync("#customer-search", "nobody-by-this-name");
        await agent.ClickAsync("button:has-text('Search')");
        await Assertions.Expect(agent.Locator("#no-matches")).ToBeVisibleAsync();
        await agent.FillAsync("#Name", "Phoebe Caller");
        await agent.FillAsync("#Email", "phoebe.caller@example.org");
        await agent.SelectOptionAsync("#Channel", "Phone");
        await agent.FillAsync("#Subject", "Blender arrived broken");
        await agent.FillAsync("#Description", "Phoned at 9:40: the jug is cracked.");
        await agent.ClickAsync("button:has-text('File the complaint')");

        await Assertions.Expect(agent.Locator("#filed-mailed")).ToContainTextAsync("phoebe.caller@example.org");
        var number = (await agent.Locator("h1").InnerTextAsync()).Split(' ')[^1];
        string messageId;
        await using (var db = desk.Database.NewContext())
            messageId = await db.OutboundMails.Where(m => m.To == "phoebe.caller@example.org" && m.Kind == OutboundKind.Acknowledgement).Select(m => m.MessageId).SingleAsync();
        var mail = await desk.PickedUpAsync(messageId);
        Assert.Contains(number, mail.Subject);
        Assert.Matches(@"/status/[A-Za-z0-9_\-]{16,}", mail.TextBody ?? "");
        await agent.ClickAsync("text=Open the ticket");
        await Assertions.Expect(agent.Locator("body")).ToContainTextAsync("filed by alice");
    }

    [BrowserFact]
    public async Task NewPages_InEnglishAndChineseAtDeskAndPhoneWidths_FitAndAreSaved()
    {
        foreach (var lang in new[] { "en", "zh" })
            foreach (var width in new[] { 1400, 390 })
            {
                var name = $"{lang}-{width}";
                var agent = await SignedInAsync("grace", lang, width);
                await agent.GotoAsync("/tickets/new?q=an");
                await ShootAsync(agent, $"tickets-new-{name}");
                await agent.FillAsync("#Name", $"Walk-in {name}");
                await agent.SelectOptionAsync("#Channel", "InPerson");
                await agent.FillAsync("#Subject", $"Counter visit {name}");
                await agent.FillAsync("#Description", "Came to the shop.");
                await agent.ClickAsync("form[method='post'] button.btn-primary");
                await Assertions.Expect(agent.Locator("#status-link")).ToBeVisibleAsync();
                await ShootAsync(agent, $"tickets-filed-{name}");
                await agent.GotoAsync("/account/password");
                await ShootAsync(agent, $"account-password-{name}");

                var admin = await SignedInAsync("admin", lang, width);
                await admin.GotoAsync("/admin/users");
                await admin.Locator("tr[data-user='alice'] summary").ClickAsync();
                await admin.Locator("details.card summary").ClickAsync();
                await ShootAsync(admin, $"admin-users-{name}");
                await admin.Context.CloseAsync();
                await agent.Context.CloseAsync();
            }
        var zh = await SignedInAsync("grace", "zh", 390);
        await zh.GotoAsync("/tickets/new");
        await Assertions.Expect(zh.Locator("h1")).ToHaveTextAsync("为客户登记投诉");
    }

    /// <summary>Signed in (the form is in English) and then switched to <paramref name="lang"/> with the language link's cookie.</summary>
    private async Task<IPage> SignedInAsync(string user, string lang, int width)
    {
        var page = await desk.NewPageAsync(lang == "zh" ? "zh-CN" : "en-US", width);
        await page.GotoAsync("/language?culture=en&returnUrl=%2Faccount%2Flogin");
        await BrowserDesk.SignInAsync(page, user, "/tickets/new");
        if (lang == "zh") await page.GotoAsync("/language?culture=zh-CN&returnUrl=%2Ftickets%2Fnew");
        return page;
    }

    /// <summary>Saves the page for a person to look at, after checking that nothing sticks out sideways.</summary>
    private static async Task ShootAsync(IPage page, string name)
    {
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var sizes = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        var (scroll, client) = (sizes[0], sizes[1]);
        Assert.True(scroll <= client, $"{name}: the page is {scroll} px wide in a {client} px window");
        await BrowserDesk.ScreenshotToAsync(page, Path.Combine(Shots, name + ".png"));
    }
}

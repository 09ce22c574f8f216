using System.Text.RegularExpressions;
using Desk.Domain.Customers;
using Desk.Tests.Support;
using Desk.Web.Email.Outbound;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Desk.Tests.Browser;

/// <summary>
/// What people see of an unverified web complaint: the agent's warning on the ticket and in the queue, and the address
/// owner's confirmation page — in English and Chinese, on a desktop and a 390 px phone.
/// </summary>
public sealed partial class UnverifiedContactBrowserTests(BrowserDesk desk) : IClassFixture<BrowserDesk>
{
    private static readonly string Shots = Path.Combine(BrowserDesk.ScreenshotFolder, "oneway");

    [BrowserFact]
    public async Task Confirm_OwnerConfirmsInTheBrowserAfterTheAgentSawItUnverified()
    {
        Assert.True(File.Exists(BrowserDesk.ChromiumPath), $"CI=true and no Chromium at {BrowserDesk.ChromiumPath}.");
        await using (var db = desk.Database.NewContext())
        {
            db.Customers.Add(new Customer("mei.lin@example.org", "Mei Lin", DeskWebFactory.Now.AddYears(-1), "zh"));
            await db.SaveChangesAsync();
        }
        var filer = await desk.NewPageAsync();
        await filer.GotoAsync("/complain");
        await filer.FillAsync("#Name", "Mei Lin");
        await filer.FillAsync("#Email", "mei.lin@example.org");
        await filer.FillAsync("#Subject", "Kettle lid will not close");
        await filer.FillAsync("#Description", "The lid springs open while the water boils.");
        await filer.ClickAsync("button:has-text('Send')");
        var number = await filer.Locator("h1 .font-monospace").InnerTextAsync();

        var agent = await desk.NewPageAsync();
        await BrowserDesk.SignInAsync(agent, "carmen", $"/tickets/{number}");
        await Assertions.Expect(agent.Locator("#unverified")).ToHaveTextAsync("Unverified — not yet confirmed by the address owner");
        await Assertions.Expect(agent.Locator("#unverified-note")).ToBeVisibleAsync();
        await ShootAsync(agent, "ticket-unverified-en");
        await agent.GotoAsync("/?q=mei.lin");
        await Assertions.Expect(agent.Locator($"tr:has(a:text('{number}')) .unverified")).ToHaveTextAsync("unverified");
        await ShootAsync(agent, "queue-unverified-en");
        await agent.GotoAsync($"/tickets/{number}?culture=zh-CN");
        await Assertions.Expect(agent.Locator("#unverified")).ToHaveTextAsync("未验证——地址所有者尚未确认");
        await ShootAsync(agent, "ticket-unverified-zh");

        string token;
        await using (var db = desk.Database.NewContext())
        {
            var messageId = await db.OutboundMails.Where(m => m.Kind == OutboundKind.Acknowledgement && m.To == "mei.lin@example.org").Select(m => m.MessageId).SingleAsync();
            var body = (await desk.PickedUpAsync(messageId)).TextBody ?? ""; // as the owner gets it
            Assert.Contains("如果是您本人", body); // the customer's language, Chinese
            token = ConfirmLink().Match(body).Groups[1].Value;
        }
        var owner = await desk.NewPageAsync("zh-CN");
        await owner.GotoAsync($"/confirm/{token}");
        await Assertions.Expect(owner.Locator("#confirm")).ToHaveTextAsync("是的，是我提交的");
        await ShootAsync(owner, "confirm-zh");
        await owner.GotoAsync($"/confirm/{token}?culture=en-US");
        await ShootAsync(owner, "confirm-en");
        await owner.ClickAsync("#confirm");
        await Assertions.Expect(owner.Locator("#confirmed")).ToContainTextAsync($"request {number} is confirmed as yours");
        await ShootAsync(owner, "confirmed-en");

        await agent.GotoAsync($"/tickets/{number}?culture=en-US");
        await Assertions.Expect(agent.Locator("#unverified")).ToHaveCountAsync(0);
    }

    /// <summary>A desktop (1280) and a phone (390) screenshot, for a person to look at; the phone one must not scroll sideways.</summary>
    private static async Task ShootAsync(IPage page, string name)
    {
        foreach (var width in new[] { 1280, 390 })
        {
            await page.SetViewportSizeAsync(width, 844);
            await BrowserDesk.ScreenshotToAsync(page, Path.Combine(Shots, $"{name}-{width}.png"));
            if (width == 390 && name.StartsWith("confirm", StringComparison.Ordinal))
                Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= 392"), $"{name} scrolls sideways at 390 px.");
        }
        await page.SetViewportSizeAsync(1400, 900);
    }

    [GeneratedRegex(@"/confirm/([A-Za-z0-9_-]{43})")]
    private static partial Regex ConfirmLink();
}

using Desk.Tests.Support;
using Microsoft.Playwright;

namespace Desk.Tests.Browser;

/// <summary>The managers' dashboard as a manager meets it: landed on after signing in, readable in both languages, fitting a phone.</summary>
public sealed class DashboardBrowserTests(BrowserDesk desk) : IClassFixture<BrowserDesk>
{
    [BrowserFact]
    public async Task SignIn_Manager_LandsOnTheDashboardWithItsTiles_InBothLanguagesAtEveryWidth()
    {
        Assert.True(File.Exists(BrowserDesk.ChromiumPath), $"CI=true and no Chromium at {BrowserDesk.ChromiumPath}.");
        foreach (var (locale, width) in TrustBrowserTests.Readers.Select(r => ((string)r[0], (int)r[1])))
        {
            var page = await desk.NewPageAsync(locale, width);
            await page.GotoAsync("/account/login");
            await page.FillAsync("#UserName", "maria");
            await page.FillAsync("#Password", DeskWebFactory.DemoPassword);
            await page.ClickAsync("main form button.btn-primary");
            await page.WaitForURLAsync("**/dashboard");

            Assert.Equal(8, await page.Locator("#tiles .tile").CountAsync());
            Assert.Contains(locale == "zh-CN" ? "收到的投诉" : "Complaints in", await page.InnerTextAsync("#tile-complaints"));
            await BrowserDesk.ScreenshotAsync(page, $"dashboard-{locale}-{width}");
            await TrustBrowserTests.AssertFitsAsync(page, width);

            // A tile is a way in: the overdue tile opens the overdue queue.
            await page.ClickAsync("#tile-overdue");
            await page.WaitForURLAsync("**/?view=overdue");
            await page.Context.CloseAsync();
        }
    }
}

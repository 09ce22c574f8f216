using Desk.Tests.Support;
using Microsoft.Playwright;

namespace Desk.Tests.Browser;

/// <summary>
/// Reports by mail as a manager meets them: from the dashboard to the subscription page, a weekly digest chosen and saved
/// without scripts, and the digest itself (the HTML the mail carries) rendered by Chromium — in both languages, at a
/// desk's width and a phone's, with screenshots of both.
/// </summary>
public sealed class DigestBrowserTests(BrowserDesk desk) : IClassFixture<BrowserDesk>
{
    [BrowserFact]
    public async Task Subscribe_ManagerFromTheDashboard_SavesWeeklyAndTheDigestRendersWithItsCharts_InBothLanguagesAtEveryWidth()
    {
        Assert.True(File.Exists(BrowserDesk.ChromiumPath), $"CI=true and no Chromium at {BrowserDesk.ChromiumPath}.");
        foreach (var (locale, width) in TrustBrowserTests.Readers.Select(r => ((string)r[0], (int)r[1])))
        {
            var zh = locale == "zh-CN";
            var page = await desk.NewPageAsync(locale, width);
            await page.GotoAsync("/account/login");
            await page.FillAsync("#UserName", "maria");
            await page.FillAsync("#Password", DeskWebFactory.DemoPassword);
            await page.ClickAsync("main form button.btn-primary");
            await page.WaitForURLAsync("**/dashboard"); // managers land there
            await page.ClickAsync("#digest-link");
            await page.WaitForURLAsync("**/account/digest");

            await page.CheckAsync("#frequency-weekly");
            await page.SelectOptionAsync("#Day", "Thursday");
            await page.SelectOptionAsync("#Language", zh ? "zh" : "en");
            await page.ClickAsync("form.digest-form button.btn-primary");
            await page.WaitForURLAsync("**/account/digest?saved=true");

            Assert.Contains(zh ? "已保存" : "Saved", await page.InnerTextAsync("#digest-saved"));
            Assert.Contains(zh ? "星期四" : "Thursday", await page.InnerTextAsync("#digest-next"));
            Assert.Equal("Thursday", await page.InputValueAsync("#Day"));
            await BrowserDesk.ScreenshotAsync(page, $"digest-page-{locale}-{width}");
            await TrustBrowserTests.AssertFitsAsync(page, width);

            // The digest as mailed, opened from the page (it opens in a new tab; here in the same one).
            var href = await page.GetAttributeAsync("#digest-preview", "href");
            await page.GotoAsync(href!);
            Assert.Contains(zh ? "收到的投诉" : "Complaints in", await page.InnerTextAsync("#tile-complaints"));
            Assert.Equal(3, await page.Locator("#chart-complaints tr[data-value]").CountAsync());
            var bar = await page.Locator("#chart-complaints td[bgcolor]").First.BoundingBoxAsync();
            Assert.True(bar is { Width: > 10, Height: > 8 }, $"the complaints chart's first bar is {bar?.Width}×{bar?.Height} px");
            Assert.Contains(zh ? "打开概览" : "Open the dashboard", await page.InnerTextAsync("#open-dashboard"));
            await BrowserDesk.ScreenshotAsync(page, $"digest-mail-{locale}-{width}");
            await TrustBrowserTests.AssertFitsAsync(page, width);
            await page.Context.CloseAsync();
        }
    }
}

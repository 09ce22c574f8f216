using Desk.Tests.Import;
using Desk.Tests.Support;
using Microsoft.Playwright;

namespace Desk.Tests.Browser;

/// <summary>An admin imports a Zendesk export in Chromium and reads the report, in English and Chinese, at desktop and phone widths.</summary>
public sealed class HistoryImportBrowserTests(BrowserDesk desk) : IClassFixture<BrowserDesk>
{
    [BrowserFact]
    public async Task Admin_UploadsAZendeskExport_SeesTheReport_InBothLanguagesAndWidths()
    {
        Assert.True(File.Exists(BrowserDesk.ChromiumPath), $"CI=true and no Chromium at {BrowserDesk.ChromiumPath}.");
        var page = await desk.NewPageAsync();
        await BrowserDesk.SignInAsync(page, "admin", "/admin/import");
        foreach (var culture in new[] { "en", "zh-CN" })
        {
            await page.SetViewportSizeAsync(1400, 900);
            await page.GotoAsync($"/language?culture={culture}&returnUrl=/admin/import");
            await page.SelectOptionAsync("#peer", "zendesk");
            await page.SetInputFilesAsync("#file", ImportFixture.All["zendesk"].Path);
            await page.ClickAsync("#import-form button");
            await Assertions.Expect(page.Locator("#import-done")).ToContainTextAsync(culture == "en" ? "of 4 Zendesk tickets" : "Zendesk 工单");
            await Assertions.Expect(page.Locator("#import-unmapped li")).ToContainTextAsync("Zendesk #4004");
            foreach (var width in new[] { 1400, 390 })
            {
                await page.SetViewportSizeAsync(width, 900);
                var (scroll, window) = (await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("window.innerWidth"));
                Assert.True(scroll <= window, $"{page.Url}: {scroll} px wide in a {window} px window");
                await BrowserDesk.ScreenshotAsync(page, $"import-{culture}-{width}");
            }
        }
        await using var db = desk.Database.NewContext();
        Assert.Equal(4, db.ImportedTickets.Count(l => l.Source == "zendesk")); // the second upload (in Chinese) added nothing
    }
}

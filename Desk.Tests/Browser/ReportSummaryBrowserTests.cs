using Desk.Tests.Support;
using Microsoft.Playwright;

namespace Desk.Tests.Browser;

/// <summary>The reading, the comparison strip and the "How this is computed" disclosure above the reports, as a manager sees them.</summary>
public sealed class ReportSummaryBrowserTests(BrowserDesk desk) : IClassFixture<BrowserDesk>
{
    [BrowserFact]
    public async Task Reports_ManagerOpensTheDisclosure_InBothLanguagesAtEveryWidth()
    {
        Assert.True(File.Exists(BrowserDesk.ChromiumPath), $"CI=true and no Chromium at {BrowserDesk.ChromiumPath}.");
        foreach (var (locale, width) in TrustBrowserTests.Readers.Select(r => ((string)r[0], (int)r[1])))
        {
            var page = await desk.NewPageAsync(locale, width);
            await page.GotoAsync("/reports/recovery");
            await page.FillAsync("#UserName", "maria");
            await page.FillAsync("#Password", DeskWebFactory.DemoPassword);
            await page.ClickAsync("main form button.btn-primary");
            await page.WaitForURLAsync("**/reports/recovery");
            foreach (var report in new[] { "recovery", "sla", "loss-reasons" })
            {
                await page.GotoAsync($"/reports/{report}?from=2025-06-01&to=2026-05-31");
                var details = page.Locator("#how-computed");
                var firstLine = details.Locator("li").First;
                Assert.False(await firstLine.IsVisibleAsync(), "the statistics start folded away");
                await details.Locator("summary").ClickAsync();
                Assert.True(await firstLine.IsVisibleAsync(), "the disclosure opens on a click");
                Assert.NotNull(await details.GetAttributeAsync("open"));

                // The strip sits above the chart and fits the window.
                var strip = await page.Locator("#comparison").BoundingBoxAsync();
                var chart = await page.Locator("canvas").First.BoundingBoxAsync();
                Assert.True(strip is not null && chart is not null && strip.Y < chart.Y, "the comparison comes before the chart");
                Assert.True(strip!.X + strip.Width <= width, $"the comparison is {strip.X + strip.Width} px wide in a {width} px window");
                Assert.True(await page.Locator("#comparison [data-figure]").CountAsync() >= 2);
                Assert.Contains(locale == "zh-CN" ? "上期" : "before", await page.InnerTextAsync("#comparison"));
                await BrowserDesk.ScreenshotAsync(page, $"summary-{report}-{locale}-{width}");
            }
            await page.Context.CloseAsync();
        }
    }
}

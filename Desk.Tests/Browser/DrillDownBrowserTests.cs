using System.Globalization;
using Desk.Tests.Support;

namespace Desk.Tests.Browser;

/// <summary>Drill-down as a manager does it (issue 20): a click on a chart's bar lands on the queue of the tickets behind it, with the same count.</summary>
public sealed class DrillDownBrowserTests(BrowserDesk desk) : IClassFixture<BrowserDesk>
{
    [BrowserFact]
    public async Task ChartBar_Clicked_LandsOnTheQueueWithTheBarsCount()
    {
        Assert.True(File.Exists(BrowserDesk.ChromiumPath), $"CI=true and no Chromium at {BrowserDesk.ChromiumPath}.");
        var page = await desk.NewPageAsync();
        const string report = "/reports/root-causes?from=2026-06-01&to=2026-11-23";
        await BrowserDesk.SignInAsync(page, "maria", report);
        await page.WaitForFunctionAsync("() => window.paretoChart !== undefined");
        var expected = await page.GetAttributeAsync("#pareto-table tbody tr[data-cause]", "data-count");

        // The first bar's middle, in page pixels: Chart.js knows where it drew it.
        var bar = await page.EvaluateAsync<double[]>("() => { const b = window.paretoChart.getDatasetMeta(0).data[0]; return [b.x, (b.y + b.base) / 2]; }");
        var canvas = (await page.Locator("#pareto-chart").BoundingBoxAsync())!;
        await page.Mouse.ClickAsync((float)(canvas.X + bar[0]), (float)(canvas.Y + bar[1]));
        await page.WaitForURLAsync("**/?view=all*");

        Assert.Contains("from=2026-06-01", page.Url, StringComparison.Ordinal);
        Assert.Contains("to=2026-11-23", page.Url, StringComparison.Ordinal);
        Assert.Equal(expected, await page.GetAttributeAsync("#drill-count", "data-total"));
        Assert.Equal(2, await page.Locator(".drill-chip").CountAsync()); // received, counted complaints
        Assert.True(long.Parse(expected!, CultureInfo.InvariantCulture) > 0);
    }

    [BrowserFact]
    public async Task QueueWithChips_InBothLanguagesAtEveryWidth_ReadsAndFits()
    {
        Assert.True(File.Exists(BrowserDesk.ChromiumPath), $"CI=true and no Chromium at {BrowserDesk.ChromiumPath}.");
        const string queue = "/?view=all&from=2026-03-01&to=2026-08-31&reported=true&handled=ResolvedWithinTarget&outcome=BoughtAgain&repeat=false";
        foreach (var (locale, width) in TrustBrowserTests.Readers.Select(r => ((string)r[0], (int)r[1])))
        {
            var page = await desk.NewPageAsync(locale, width);
            await page.GotoAsync(queue);
            await page.FillAsync("#UserName", "maria");
            await page.FillAsync("#Password", DeskWebFactory.DemoPassword);
            await page.ClickAsync("main form button.btn-primary");
            await page.WaitForURLAsync(url => url.Contains("handled=ResolvedWithinTarget", StringComparison.Ordinal));

            Assert.Equal(5, await page.Locator(".drill-chip").CountAsync());
            Assert.Contains(locale == "zh-CN" ? "按时解决" : "Resolved within target", await page.InnerTextAsync("#drill-down"));
            Assert.True(await page.Locator(".queue-table tbody tr").CountAsync() > 0, "the demo desk has such tickets");
            await BrowserDesk.ScreenshotAsync(page, $"queue-drill-down-{locale}-{width}");
            await TrustBrowserTests.AssertFitsAsync(page, width);

            // A chip's ✕ drops that filter alone.
            await page.ClickAsync(".drill-chip[data-chip=handled] a");
            await page.WaitForURLAsync(url => !url.Contains("handled=", StringComparison.Ordinal));
            Assert.Equal(4, await page.Locator(".drill-chip").CountAsync());
            await page.Context.CloseAsync();
        }
    }
}

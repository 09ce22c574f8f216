using System.Globalization;
using System.Text.Json;
using Desk.Tests.Support;
using Microsoft.Playwright;

namespace Desk.Tests.Browser;

public sealed class ReportBrowserTests(BrowserDesk desk) : IClassFixture<BrowserDesk>
{
    [BrowserFact]
    public async Task Manager_OpensTheRecoveryReport_AndTheChartShowsTheTablesNumbers()
    {
        Assert.True(File.Exists(BrowserDesk.ChromiumPath), $"CI=true and no Chromium at {BrowserDesk.ChromiumPath}.");
        var page = await desk.NewPageAsync();
        await page.GotoAsync("/reports/recovery");
        await page.FillAsync("#UserName", "maria");
        await page.FillAsync("#Password", DeskWebFactory.DemoPassword);
        await page.ClickAsync("button:has-text('Sign in')");
        await page.WaitForURLAsync("**/reports/recovery");
        await page.WaitForFunctionAsync("() => window.recoveryChart !== undefined");
        await BrowserDesk.ScreenshotAsync(page, "recovery-report");

        // What Chart.js drew from: its datasets as the browser holds them, against the table's cells.
        var drawn = JsonDocument.Parse(await page.EvaluateAsync<string>(
            "() => JSON.stringify(window.recoveryChart.data.datasets.map(d => ({ label: d.label, data: d.data })))")).RootElement;
        var ours = drawn.EnumerateArray().Where(d => !d.GetProperty("label").GetString()!.Contains("TARP")).ToList();
        Assert.Equal(["Minor", "Major"], ours.Select(d => d.GetProperty("label").GetString()));
        Assert.True(await page.Locator("canvas#recovery-chart").BoundingBoxAsync() is { Height: > 50 }, "the chart has no height");
        var checkedCells = 0;
        foreach (var (dataset, severity) in ours.Zip(new[] { "Minor", "Major" }))
        {
            var cells = page.Locator($"#recovery-table td[data-severity={severity}]");
            var values = dataset.GetProperty("data").EnumerateArray().ToList();
            Assert.Equal(await cells.CountAsync(), values.Count);
            for (var i = 0; i < values.Count; i++)
            {
                var rate = await cells.Nth(i).GetAttributeAsync("data-rate");
                var value = values[i].ValueKind == JsonValueKind.Null ? "" : values[i].GetDouble().ToString(CultureInfo.InvariantCulture);
                Assert.Equal(rate, value);
                if (value.Length > 0) checkedCells++;
            }
        }
        Assert.True(checkedCells >= 4, $"only {checkedCells} cells had a rate to compare");
    }
}

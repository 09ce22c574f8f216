using System.Globalization;
using System.Text.Json;
using Desk.Tests.Support;

namespace Desk.Tests.Browser;

public sealed class ThreeFacesBrowserTests(BrowserDesk desk) : IClassFixture<BrowserDesk>
{
    [BrowserFact]
    public async Task Manager_OpensTheThreeFacesReport_AndBothChartsShowTheTablesNumbers()
    {
        Assert.True(File.Exists(BrowserDesk.ChromiumPath), $"CI=true and no Chromium at {BrowserDesk.ChromiumPath}.");
        var page = await desk.NewPageAsync();
        await page.GotoAsync("/reports/three-faces");
        await page.FillAsync("#UserName", "maria");
        await page.FillAsync("#Password", DeskWebFactory.DemoPassword);
        await page.ClickAsync("button:has-text('Sign in')");
        await page.WaitForURLAsync("**/reports/three-faces");
        await page.WaitForFunctionAsync("() => window.facesChart !== undefined && window.servqualChart !== undefined");
        await BrowserDesk.ScreenshotAsync(page, "three-faces-report");
        Assert.True(await page.Locator("canvas#faces-chart").BoundingBoxAsync() is { Height: > 50 }, "the chart has no height");

        // What Chart.js drew from, as the browser holds it, against the cells of the tables: per loyalty class the four faces
        // (scores as a share of the scale, repurchase in per cent), per month the five SERVQUAL means.
        var compared = 0;
        foreach (var (chart, table, keyOf) in new[] { ("facesChart", "#class-table", "keys"), ("servqualChart", "#month-table", "labels") })
        {
            var drawn = JsonDocument.Parse(await page.EvaluateAsync<string>(
                $"() => JSON.stringify({{ keys: JSON.parse(document.getElementById('{(chart == "facesChart" ? "faces-data" : "servqual-data")}').textContent).{keyOf}, " +
                $"datasets: window.{chart}.data.datasets.map(d => ({{ measure: d.measure, data: d.data }})) }})")).RootElement;
            var keys = drawn.GetProperty("keys").EnumerateArray().Select(k => k.GetString()!).ToList();
            Assert.Equal(await page.Locator($"{table} tbody tr").CountAsync(), keys.Count);
            foreach (var dataset in drawn.GetProperty("datasets").EnumerateArray())
            {
                var measure = dataset.GetProperty("measure").GetString();
                var values = dataset.GetProperty("data").EnumerateArray().ToList();
                Assert.Equal(keys.Count, values.Count);
                for (var i = 0; i < keys.Count; i++)
                {
                    var cell = page.Locator($"{table} td[data-key='{keys[i]}'][data-measure='{measure}']");
                    var expected = await cell.GetAttributeAsync("data-chart");
                    var value = values[i].ValueKind == JsonValueKind.Null ? "" : values[i].GetDouble().ToString(CultureInfo.InvariantCulture);
                    Assert.Equal(expected, value);
                    if (value.Length > 0) compared++;
                }
            }
        }
        Assert.True(compared >= 20, $"only {compared} values had a number to compare");
    }
}

using System.Globalization;
using System.Text.Json;
using Desk.Tests.Support;

namespace Desk.Tests.Browser;

/// <summary>The trends report in Chromium: what the chart draws is what the table says, and the period running now is marked in both.</summary>
public sealed class TrendsBrowserTests(BrowserDesk desk) : IClassFixture<BrowserDesk>
{
    [BrowserFact]
    public async Task Manager_OpensTrends_TheChartDrawsTheTablesNumbers_AndThePartialPeriodIsMarked_InBothLanguagesAndWidths()
    {
        Assert.True(File.Exists(BrowserDesk.ChromiumPath), $"CI=true and no Chromium at {BrowserDesk.ChromiumPath}.");
        var page = await desk.NewPageAsync();
        await BrowserDesk.SignInAsync(page, "maria", "/reports/trends?by=cause");
        await page.WaitForFunctionAsync("() => window.trendsChart !== undefined");

        var periods = await page.EvaluateAsync<string[]>("() => JSON.parse(document.getElementById('trends-data').textContent).periods");
        Assert.True(periods.Length >= 20, $"{periods.Length} months");
        // Every group's row per period, as the table holds it (no row: no complaint of that group then).
        var table = JsonDocument.Parse(await page.EvaluateAsync<string>("""
            () => JSON.stringify([...document.querySelectorAll('#trends-table tr[data-period]:not([data-total=period])')].map(r => ({
                period: r.dataset.period, group: r.dataset.group, complaints: Number(r.dataset.complaints), first: r.dataset.first })))
            """)).RootElement.EnumerateArray().ToList();
        string Cell(string period, string group, string measure) => table
            .Where(r => r.GetProperty("period").GetString() == period && r.GetProperty("group").GetString() == group)
            .Select(r => measure == "complaints" ? r.GetProperty("complaints").GetDouble().ToString(CultureInfo.InvariantCulture) : r.GetProperty(measure).GetString()!)
            .DefaultIfEmpty(measure == "complaints" ? "0" : "").Single();

        foreach (var measure in new[] { "complaints", "first" })
        {
            if (measure != "complaints") await page.ClickAsync($"#trend-measures button[data-measure={measure}]");
            var drawn = JsonDocument.Parse(await page.EvaluateAsync<string>(
                "() => JSON.stringify(window.trendsChart.data.datasets.map(d => ({ key: d.key, data: d.data })))")).RootElement.EnumerateArray().ToList();
            Assert.Equal(7, drawn.Count); // the six groups with most complaints, and the rest as one
            Assert.Equal("*other", drawn[^1].GetProperty("key").GetString());
            var compared = 0;
            foreach (var dataset in drawn.SkipLast(1))
            {
                var values = dataset.GetProperty("data").EnumerateArray().ToList();
                Assert.Equal(periods.Length, values.Count);
                for (var i = 0; i < periods.Length; i++)
                {
                    var value = values[i].ValueKind == JsonValueKind.Null ? "" : values[i].GetDouble().ToString(CultureInfo.InvariantCulture);
                    var key = dataset.GetProperty("key").GetString()!;
                    Assert.Equal((periods[i], key, Cell(periods[i], key, measure)), (periods[i], key, value));
                    compared += value is "" or "0" ? 0 : 1;
                }
            }
            Assert.True(compared > 50, $"only {compared} points of {measure} to compare");
        }
        // "Other" is the rest of the groups, added up.
        await page.ClickAsync("#trend-measures button[data-measure=complaints]");
        var shown = (await page.EvaluateAsync<string[]>("() => window.trendsChart.data.datasets.slice(0, 6).map(d => d.key)")).ToHashSet();
        var other = await page.EvaluateAsync<double[]>("() => window.trendsChart.data.datasets[6].data");
        Assert.Equal(periods.Select(p => table.Where(r => r.GetProperty("period").GetString() == p && !shown.Contains(r.GetProperty("group").GetString()!))
            .Sum(r => r.GetProperty("complaints").GetDouble())), other);

        // The month running now (the desk's clock: Monday 23 November 2026) is partial: starred on the axis, dashed into, hollow,
        // said under the chart and in the table.
        var last = periods.Length - 1;
        Assert.Equal("2026-11", periods[last]);
        var marks = JsonDocument.Parse(await page.EvaluateAsync<string>($$"""
            () => { const d = window.trendsChart.data.datasets[0];
                return JSON.stringify({ label: window.trendsChart.data.labels[{{last}}], before: window.trendsChart.data.labels[{{last - 1}}],
                    dashedLast: d.segment.borderDash({ p0DataIndex: {{last - 1}}, p1DataIndex: {{last}} }) ?? null,
                    dashedBefore: d.segment.borderDash({ p0DataIndex: {{last - 2}}, p1DataIndex: {{last - 1}} }) ?? null,
                    hollow: d.pointBackgroundColor[{{last}}], filled: d.pointBackgroundColor[{{last - 1}}] }); }
            """)).RootElement;
        Assert.EndsWith(" *", marks.GetProperty("label").GetString());
        Assert.DoesNotContain("*", marks.GetProperty("before").GetString());
        Assert.Equal("[6,4]", marks.GetProperty("dashedLast").GetRawText());
        Assert.Equal(JsonValueKind.Null, marks.GetProperty("dashedBefore").ValueKind);
        Assert.Equal("#fff", marks.GetProperty("hollow").GetString());
        Assert.NotEqual("#fff", marks.GetProperty("filled").GetString());
        Assert.Contains("so far: 22 of 28 days", await page.InnerTextAsync("#trends-partial"));
        Assert.Equal("so far: 22 of 28 days", await page.InnerTextAsync("#trends-table [data-partial-note='2026-11']"));

        foreach (var (culture, note) in new[] { ("en-US", "so far: 22 of 28 days"), ("zh-CN", "截至目前：28 天中的 22 天") })
        {
            await page.SetViewportSizeAsync(1400, 900);
            await page.GotoAsync($"/language?culture={culture}&returnUrl=%2Freports%2Ftrends");
            foreach (var (query, name) in new[] { ("?by=cause", "cause"), ("", "total") })
                foreach (var width in new[] { 1400, 390 })
                {
                    await page.SetViewportSizeAsync(width, 900);
                    await page.GotoAsync("/reports/trends" + query);
                    await page.WaitForFunctionAsync("() => window.trendsChart !== undefined");
                    Assert.Contains(note, await page.InnerTextAsync("#trends-partial"));
                    await BrowserDesk.ScreenshotAsync(page, $"trends-{name}-{culture}-{width}");
                    await BrowserDesk.ScreenshotToAsync(page.Locator("#trends-chart-box"), Path.Combine(BrowserDesk.ScreenshotFolder, $"trends-{name}-{culture}-{width}-chart.png"));
                    await TrustBrowserTests.AssertFitsAsync(page, width);
                }
        }
    }
}

using System.Text.RegularExpressions;
using Desk.Tests.Support;

namespace Desk.Tests.Reports;

/// <summary>
/// Every report's comparison strip on the demo desk: the "before" of each key figure is the report itself run over the
/// previous period's dates, the page says which periods it compares when no dates are chosen, and the Chinese page reads Chinese.
/// </summary>
public abstract partial class ReportComparisonPageTests(DeskWebFactory factory)
{
    public static readonly string[] Reports =
        ["/reports/recovery", "/reports/sla", "/reports/root-causes", "/reports/loss-reasons", "/reports/remedies", "/reports/three-faces", "/reports/win-back"];

    [StorageFact]
    public async Task Comparison_EveryReport_BeforeIsTheReportRunOverThePreviousPeriodsDates()
    {
        var manager = await factory.SignedInAsync("maria");
        var compared = 0;
        foreach (var report in Reports)
        {
            var page = await manager.GetStringAsync(report + "?from=2026-03-01&to=2026-05-31&level=Basic");
            Assert.Contains("data-previous-from=\"2025-11-29\" data-previous-to=\"2026-02-28\" data-chosen=\"true\"", page);
            var previous = await manager.GetStringAsync(report + "?from=2025-11-29&to=2026-02-28&level=Basic");

            var figures = Figures(page);
            var earlier = Figures(previous);
            Assert.True(figures.Count >= 2, $"{report} compares {figures.Count} figures");
            foreach (var (id, (_, before)) in figures.Where(f => f.Key != "top-cause"))
            {
                Assert.True(earlier[id].Now == before, $"{report} {id}: before {before}, the previous period's report says {earlier[id].Now}");
                if (before is not ("" or "0")) compared++;
            }
            if (figures.TryGetValue("top-cause", out var top))
            {
                // The cause on top now, as the previous period's table counts it.
                var cause = Regex.Match(page, "<tr[^>]* data-cause=\"(?<id>[0-9]+)\" data-count=").Groups["id"].Value;
                var count = Regex.Match(previous, $"<tr[^>]* data-cause=\"{cause}\" data-count=\"(?<n>[0-9]+)\"") is { Success: true } m ? m.Groups["n"].Value : "0";
                Assert.Equal(count, top.Before);
            }
        }
        Assert.True(compared >= 10, $"only {compared} figures had a value before to compare");
    }

    [StorageFact]
    public async Task Comparison_NoDatesChosen_ComparesTheLastThirtyDaysWithTheThirtyBefore_AndSaysSo()
    {
        var manager = await factory.SignedInAsync("maria");

        var page = await manager.GetStringAsync("/reports/sla");
        var last = await manager.GetStringAsync("/reports/sla?from=2026-10-25&to=2026-11-23");
        var before = await manager.GetStringAsync("/reports/sla?from=2026-09-25&to=2026-10-24");

        Assert.Contains("data-from=\"2026-10-25\" data-to=\"2026-11-23\"", page);
        Assert.Contains("data-previous-from=\"2026-09-25\" data-previous-to=\"2026-10-24\" data-chosen=\"false\"", page);
        Assert.Contains("The last 30 days (", page);
        Assert.Equal(Figures(last).ToDictionary(f => f.Key, f => f.Value.Now), Figures(page).ToDictionary(f => f.Key, f => f.Value.Now));
        Assert.Equal(Figures(before).ToDictionary(f => f.Key, f => f.Value.Now), Figures(page).ToDictionary(f => f.Key, f => f.Value.Before));
    }

    [StorageFact]
    public async Task Comparison_WidestRangeTheFiltersAllow_ComparesWithTheCenturyBeforeWithoutFailing()
    {
        var manager = await factory.SignedInAsync("maria");
        foreach (var report in Reports)
        {
            var response = await manager.GetAsync(report + "?from=2000-01-01&to=2100-12-31");
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("data-previous-from=\"1898-12-31\"", await response.Content.ReadAsStringAsync());
        }
    }

    [StorageFact]
    public async Task Summary_InChinese_ReadingComparisonAndDisclosureAreChinese()
    {
        var manager = await factory.SignedInAsync("maria");
        await manager.GetAsync("/language?culture=zh-CN&returnUrl=/");

        foreach (var report in Reports)
        {
            var page = await manager.GetStringAsync(report + "?from=2025-06-01&to=2026-05-31");
            // The reading may name a customer (win back) in their own letters: it is checked for Chinese, the rest for English left over.
            Assert.Matches("id=\"reading\">[^<]*[\u4e00-\u9fff][^<]*<", page);
            var summary = page[page.IndexOf("id=\"comparison\"", StringComparison.Ordinal)..page.IndexOf("</details>", StringComparison.Ordinal)];
            Assert.Contains("<summary>计算方法</summary>", summary);
            Assert.Contains("对比此前等长的上一期", summary);
            Assert.Contains("上期：", summary);
            EnglishLeftovers.AssertNone("<section " + summary, new HashSet<string> { "TARP" }, ["maria"]);
        }
    }

    private static Dictionary<string, (string Now, string Before)> Figures(string page) =>
        Figure().Matches(page).ToDictionary(m => m.Groups["id"].Value, m => (m.Groups["now"].Value, m.Groups["before"].Value));

    [GeneratedRegex("data-figure=\"(?<id>[^\"]+)\" data-now=\"(?<now>[^\"]*)\" data-before=\"(?<before>[^\"]*)\"")]
    private static partial Regex Figure();
}

public sealed class ReportComparisonPageTestsOnSqlite(DeskWebFactory factory) : ReportComparisonPageTests(factory), IClassFixture<DeskWebFactory>;

public sealed class ReportComparisonPageTestsOnPostgres(PostgresDesk factory) : ReportComparisonPageTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

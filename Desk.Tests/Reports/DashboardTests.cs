using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Desk.Seed;
using Desk.Tests.Support;

namespace Desk.Tests.Reports;

/// <summary>
/// The managers' dashboard through the real app (demo data): managers land on it, agents may not see it, and every tile's
/// number is the number of the report or queue view it links to, read from that report's own CSV or page.
/// </summary>
public abstract partial class DashboardTests(DeskWebFactory factory)
{
    [StorageFact]
    public async Task SignIn_Manager_LandsOnTheDashboard_AndAnAgentOnTheQueue()
    {
        async Task<string?> LandingOf(string user)
        {
            var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            var response = await Forms.PostAsync(client, "/account/login", "/account/login", new() { ["UserName"] = user, ["Password"] = DeskWebFactory.DemoPassword });
            return response.Headers.Location?.OriginalString;
        }

        Assert.Equal("/dashboard", await LandingOf("maria"));
        Assert.Equal("/", await LandingOf(DemoDataGenerator.AgentUserNames[0]));
    }

    [StorageFact]
    public async Task Dashboard_Agent_IsDenied()
    {
        var agent = await factory.SignedInAsync(DemoDataGenerator.AgentUserNames[0]);
        var response = await agent.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/denied", response.Headers.Location!.PathAndQuery);
    }

    [StorageFact]
    public async Task Dashboard_EachTile_EqualsTheReportItLinksTo()
    {
        var manager = await factory.SignedInAsync("maria");
        var page = await manager.GetStringAsync("/dashboard");

        // Complaints in, first response and resolution on time: the SLA report over the tile's days (its CSV, summed).
        var sla = Csv(await manager.GetStringAsync("/reports/sla.raw.csv?" + Query(page, "tile-complaints")));
        Assert.Equal(sla.Sum(r => long.Parse(r["complaints"], CultureInfo.InvariantCulture)), long.Parse(Value(page, "tile-complaints"), CultureInfo.InvariantCulture));
        Assert.True(sla.Count > 0, "the demo desk has complaints this week");
        Assert.Equal($"{Sum(sla, "first_response_met")}/{Sum(sla, "first_response_measured")}", Value(page, "tile-first-response"));
        Assert.Equal($"{Sum(sla, "resolution_met")}/{Sum(sla, "resolution_measured")}", Value(page, "tile-resolution"));

        // Open and overdue now: the queue's counts beside those views.
        var queue = await manager.GetStringAsync("/");
        Assert.Equal(QueueCount(queue, "open"), long.Parse(Value(page, "tile-open"), CultureInfo.InvariantCulture).ToString("N0", CultureInfo.InvariantCulture));
        Assert.Equal(QueueCount(queue, "overdue"), long.Parse(Value(page, "tile-overdue"), CultureInfo.InvariantCulture).ToString("N0", CultureInfo.InvariantCulture));

        // Bought again after a resolved complaint: the recovery report's two resolved columns over the same 365 days.
        var recovery = Csv(await manager.GetStringAsync("/reports/recovery.raw.csv?" + Query(page, "tile-repurchase")))
            .Where(r => r["column"] is "ResolvedLate" or "ResolvedWithinTarget").ToList();
        Assert.Equal(4, recovery.Count);
        Assert.Equal($"{Sum(recovery, "bought_again")}/{Sum(recovery, "measured")}", Value(page, "tile-repurchase"));
        Assert.True(Sum(recovery, "measured") > 0, "the demo desk has measured customers in the last year");
        var money = Regex.Match(page, "data-cost=\"(?<cost>[^\"]+)\" data-revenue=\"(?<revenue>[^\"]+)\"");
        Assert.Equal(recovery.Sum(r => decimal.Parse(r["remedy_cost"], CultureInfo.InvariantCulture)), decimal.Parse(money.Groups["cost"].Value, CultureInfo.InvariantCulture));
        Assert.Equal(recovery.Sum(r => decimal.Parse(r["revenue_after"], CultureInfo.InvariantCulture)), decimal.Parse(money.Groups["revenue"].Value, CultureInfo.InvariantCulture));

        // To win back: the win-back report's list (its CSV has one line per customer).
        var winBack = Csv(await manager.GetStringAsync("/reports/win-back.raw.csv"));
        Assert.Equal(winBack.Count.ToString(CultureInfo.InvariantCulture), Value(page, "tile-winback"));

        // Root causes moving up: each one's count is the Pareto's over the last four weeks, and higher than the four before.
        var recentQuery = Regex.Match(page, "href=\"/reports/root-causes\\?(?<q>[^\"]+)\"").Groups["q"].Value.Replace("&amp;", "&", StringComparison.Ordinal);
        var pareto = Csv(await manager.GetStringAsync("/reports/root-causes.raw.csv?" + recentQuery));
        var rising = RisingCause().Matches(page);
        Assert.InRange(rising.Count, 1, 3);
        foreach (Match cause in rising)
        {
            Assert.Equal(pareto.Single(r => r["root_cause_id"] == cause.Groups["id"].Value)["complaints"], cause.Groups["now"].Value);
            Assert.True(long.Parse(cause.Groups["now"].Value, CultureInfo.InvariantCulture) > long.Parse(cause.Groups["before"].Value, CultureInfo.InvariantCulture));
        }
    }

    [StorageFact]
    public async Task Dashboard_InChinese_SaysItInChinese()
    {
        var manager = await factory.SignedInAsync("maria");
        manager.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");
        var page = await manager.GetStringAsync("/dashboard");
        Assert.Contains("收到的投诉", page);
        Assert.Contains("上升中的根本原因", page);
        Assert.DoesNotContain(">Complaints in<", page);
    }

    private static string Value(string page, string tile) =>
        Regex.Match(page, $"id=\"{tile}\"[^>]*>.*?data-value=\"(?<v>[^\"]*)\"", RegexOptions.Singleline).Groups["v"].Value;

    private static string Query(string page, string tile) =>
        WebUtility.HtmlDecode(Regex.Match(page, $"id=\"{tile}\" href=\"[^\"?]*\\?(?<q>[^\"]*)\"").Groups["q"].Value);

    private static string QueueCount(string queue, string view) =>
        Regex.Match(queue, $"data-count=\"{view}\">(?<n>[^<]*)<").Groups["n"].Value.Replace(" ", "", StringComparison.Ordinal);

    private static long Sum(IEnumerable<Dictionary<string, string>> rows, string column) => rows.Sum(r => long.Parse(r[column], CultureInfo.InvariantCulture));

    /// <summary>A report's CSV as rows by header (the reports' CSVs quote no cell this test reads).</summary>
    private static List<Dictionary<string, string>> Csv(string text)
    {
        var lines = text.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        return [.. lines.Skip(1).Where(l => !l.StartsWith(",(no cause yet)", StringComparison.Ordinal))
            .Select(l => header.Zip(l.Split(','), (h, v) => (h, v)).ToDictionary(p => p.h, p => p.v))];
    }

    [GeneratedRegex("data-cause=\"(?<id>\\d+)\" data-now=\"(?<now>\\d+)\" data-before=\"(?<before>\\d+)\"")]
    private static partial Regex RisingCause();
}

public sealed class DashboardTestsOnSqlite(DeskWebFactory factory) : DashboardTests(factory), IClassFixture<DeskWebFactory>;

public sealed class DashboardTestsOnPostgres(PostgresDesk factory) : DashboardTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

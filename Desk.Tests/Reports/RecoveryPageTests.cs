using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Desk.Seed;
using Desk.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Reports;

/// <summary>The recovery report through the real app (demo data): who may see it, the CSV says what the table says, Chinese.</summary>
public abstract partial class RecoveryPageTests(DeskWebFactory factory)
{
    [StorageFact]
    public async Task Report_Agent_IsDenied_AndTheMenuDoesNotOfferIt()
    {
        var agent = await factory.SignedInAsync(DemoDataGenerator.AgentUserNames[0]);

        foreach (var path in new[] { "/reports/recovery", "/reports/recovery.csv", "/reports/recovery-remedies.csv" })
        {
            var response = await agent.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/account/denied", response.Headers.Location!.PathAndQuery);
        }
        Assert.DoesNotContain("/reports/recovery", await agent.GetStringAsync("/"));
    }

    [StorageFact]
    public async Task Report_Manager_SeesTheTableChartAndReading_AndTheCsvHasTheSameNumbers()
    {
        var manager = await factory.SignedInAsync("maria");

        var page = await manager.GetStringAsync("/reports/recovery");
        var csv = await manager.GetStringAsync("/reports/recovery.raw.csv");

        Assert.Contains("id=\"recovery-chart\"", page);
        Assert.Contains("/lib/chart.js/chart.umd.min.js", page);
        Assert.Matches("id=\"reading\">[^<]{20,}<", page);
        var cells = CellRate().Matches(page).ToDictionary(m => (m.Groups["severity"].Value, m.Groups["column"].Value), m => m.Groups["rate"].Value);
        Assert.Equal(8, cells.Count);
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("severity,column,bought_again,measured,rate", lines[0]);
        var measured = 0L;
        var repeats = RepeatRate().Matches(page).ToDictionary(m => (m.Groups["severity"].Value, "Repeat" + m.Groups["column"].Value), m => m.Groups["rate"].Value);
        Assert.Equal(6, repeats.Count);
        Assert.Equal(1 + 8 + 6, lines.Length);
        foreach (var line in lines.Skip(1))
        {
            var f = line.Split(',');
            var rate = f[4].Length == 0 ? "" : Math.Round(double.Parse(f[4], CultureInfo.InvariantCulture) * 100, 1).ToString(CultureInfo.InvariantCulture);
            Assert.Equal(f[1].StartsWith("Repeat", StringComparison.Ordinal) ? repeats[(f[0], f[1])] : cells[(f[0], f[1])], rate);
            measured += long.Parse(f[3], CultureInfo.InvariantCulture);
        }
        Assert.True(measured > 0, "the demo desk has measured customers");
    }

    [StorageFact]
    public async Task Report_FilteredToADayWithNoComplaints_ShowsNoRatesAndSaysThereIsNotEnoughYet()
    {
        var manager = await factory.SignedInAsync("maria");

        var page = await manager.GetStringAsync("/reports/recovery?from=2001-01-01&to=2001-01-02");

        Assert.All(CellRate().Matches(page), m => Assert.Equal("", m.Groups["rate"].Value));
        Assert.Contains("Too few complaints in this period whose 90-day window has ended to compare late and on-time resolutions: widen the dates.", page);
        Assert.Contains("recovery.csv?from=2001-01-01&amp;to=2001-01-02", page);
    }

    [StorageFact]
    public async Task Report_InChinese_HasNoEnglishLeftovers()
    {
        var manager = await factory.SignedInAsync("maria");
        await manager.GetAsync("/language?culture=zh-CN&returnUrl=/");

        var page = await manager.GetStringAsync("/reports/recovery");

        Assert.Contains("顾客回来了吗", page);
        EnglishLeftovers.AssertNone(page, new HashSet<string> { "Desk", "English", "TARP", "CSV", "Excel" }, ["maria"]);
    }

    [StorageFact]
    public async Task Report_RemedyTable_AndItsCsvHaveTheSameNumbers_AndTheFiltersTravelToTheCsv()
    {
        var manager = await factory.SignedInAsync("maria");

        var page = await manager.GetStringAsync("/reports/recovery?tenure=Established&level=Basic");
        var csv = await manager.GetStringAsync("/reports/recovery-remedies.raw.csv?tenure=Established&level=Basic");

        Assert.Contains("recovery-remedies.csv?level=Basic&amp;tenure=Established", page);
        Assert.Contains("<option value=\"Established\" selected=\"selected\">", page);
        var cells = RemedyRate().Matches(page).ToDictionary(m => (m.Groups["remedy"].Value, m.Groups["match"].Value), m => m.Groups["rate"].Value);
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length > 3, "the demo desk has resolved complaints with remedies");
        foreach (var line in lines.Skip(1))
        {
            var f = Regex.Replace(line, "\"[^\"]*\"", "name").Split(',');
            var rate = f[5].Length == 0 ? "" : Math.Round(double.Parse(f[5], CultureInfo.InvariantCulture) * 100, 1).ToString(CultureInfo.InvariantCulture);
            Assert.Equal(cells[(f[0], f[2])], rate);
        }
    }

    [StorageFact]
    public async Task TicketPage_ResolvedComplaint_SaysWhetherTheCustomerBoughtAgain_AndAQuestionSaysNothing()
    {
        var agent = await factory.SignedInAsync(DemoDataGenerator.AgentUserNames[0]);
        await using var db = factory.Database.NewContext();
        var old = await db.Tickets.AsNoTracking()
            .Where(t => t.Kind == Desk.Domain.Tickets.TicketKind.Complaint && t.State == Desk.Domain.Tickets.TicketState.Closed && !t.IsRepeatComplaint)
            .OrderBy(t => t.ReceivedAt).FirstAsync();
        var question = await db.Tickets.AsNoTracking().FirstAsync(t => t.Kind == Desk.Domain.Tickets.TicketKind.Question);
        var expected = await Desk.Web.Features.Reports.TicketOutcome.ForAsync(db, old, DeskWebFactory.Now, CancellationToken.None);

        var page = await agent.GetStringAsync($"/tickets/{old.Number}");

        Assert.NotEqual(Desk.Domain.Recovery.RepurchaseState.Pending, expected!.State); // the oldest closed complaint's window has ended
        Assert.Contains($"id=\"repurchase-outcome\" data-state=\"{expected.State}\"", page);
        Assert.Contains("90-day window from the resolution", page);
        Assert.DoesNotContain("repurchase-outcome", await agent.GetStringAsync($"/tickets/{question.Number}"));
        await agent.GetAsync("/language?culture=zh-CN&returnUrl=/");
        var chinese = await agent.GetStringAsync($"/tickets/{old.Number}");
        Assert.Contains("是否再次购买？", chinese);
        Assert.Contains("自解决起 90 天观察期", chinese);
    }

    [GeneratedRegex("data-repeat-severity=\"(?<severity>\\w+)\" data-column=\"(?<column>\\w+)\" data-rate=\"(?<rate>[0-9.]*)\"")]
    private static partial Regex RepeatRate();

    [GeneratedRegex("data-remedy=\"(?<remedy>\\d+)\" data-match=\"(?<match>\\w+)\" data-rate=\"(?<rate>[0-9.]*)\"")]
    private static partial Regex RemedyRate();

    [GeneratedRegex("data-severity=\"(?<severity>\\w+)\" data-column=\"(?<column>\\w+)\" data-rate=\"(?<rate>[0-9.]*)\"")]
    private static partial Regex CellRate();
}

public sealed class RecoveryPageTestsOnSqlite(DeskWebFactory factory) : RecoveryPageTests(factory), IClassFixture<DeskWebFactory>;

public sealed class RecoveryPageTestsOnPostgres(PostgresDesk factory) : RecoveryPageTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

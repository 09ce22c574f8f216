using System.Globalization;
using System.Text.RegularExpressions;
using Desk.Domain.Customers;
using Desk.Domain.Tickets;
using Desk.Seed;
using Desk.Tests.Support;
using Desk.Web.Data;
using Desk.Web.Features.Reports.Downloads;
using Desk.Web.Features.Reports.RootCauses;

namespace Desk.Tests.Reports;

/// <summary>Ten complaints whose Pareto is worked out by hand.</summary>
public abstract class RootCauseParetoTests(DatabaseProvider provider) : IDisposable
{
    private static readonly DateTime Start = new(2026, 5, 4, 8, 0, 0, DateTimeKind.Utc);
    private readonly TestDatabase _database = new(provider);

    public void Dispose() => _database.Dispose();

    [StorageFact]
    public async Task Pareto_CountsSubCausesForTheirCause_OrdersByCount_AndMarksTheVitalFew()
    {
        await using (var db = _database.NewContext())
        {
            var customer = new Customer("pareto@example.com", "Pat", Start.AddYears(-1));
            db.Customers.Add(customer);
            db.SaveChanges();
            db.Tickets.AddRange(
                TicketInState.Complaint(customer, Start, 71), TicketInState.Complaint(customer, Start, 72), TicketInState.Complaint(customer, Start, 73), TicketInState.Complaint(customer, Start, 70), // delivery: 4
                TicketInState.Complaint(customer, Start, 51), TicketInState.Complaint(customer, Start, 52), TicketInState.Complaint(customer, Start, 53, Severity.Major),                  // quality: 3
                TicketInState.Complaint(customer, Start, 11, channel: Channel.Web),                                                                           // attitude: 1
                TicketInState.Complaint(customer, Start, 81, channel: Channel.Web, kind: TicketKind.Suggestion),                                              // not a complaint
                TicketInState.Complaint(customer, Start, null));                                                                                              // no cause yet
            db.SaveChanges();
        }

        await using var read = _database.NewContext();
        var all = await new RootCauseParetoQuery(read, TimeProvider.System).RunAsync(new ParetoFilter(), CancellationToken.None);

        Assert.Equal([70, 50, 10], all.Rows.Select(r => r.RootCauseId));
        Assert.Equal([4L, 3L, 1L], all.Rows.Select(r => r.Complaints));
        Assert.Equal([0.5, 0.875, 1.0], all.Rows.Select(r => Math.Round(r.Cumulative, 3)));
        Assert.Equal([true, true, false], all.Rows.Select(r => r.VitalFew)); // 50 % then 87.5 %: the second crosses 80 %
        Assert.Equal(1, all.WithoutCause);
        Assert.Equal("Delivery", all.Rows[0].Name);

        var major = await new RootCauseParetoQuery(read, TimeProvider.System).RunAsync(new ParetoFilter(Severity: Severity.Major), CancellationToken.None);
        Assert.Equal([(50, 1L)], major.Rows.Select(r => (r.RootCauseId, r.Complaints)));
        var web = await new RootCauseParetoQuery(read, TimeProvider.System).RunAsync(new ParetoFilter(Channel: Channel.Web), CancellationToken.None);
        Assert.Equal([(10, 1L)], web.Rows.Select(r => (r.RootCauseId, r.Complaints)));
        var later = await new RootCauseParetoQuery(read, TimeProvider.System).RunAsync(new ParetoFilter(From: Start.AddDays(1)), CancellationToken.None);
        Assert.Empty(later.Rows);

        var csv = ReportFile.RawCsv(RootCausesController.Table(all)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("70,\"Delivery\",4,0.5000,0.5000,1", csv[1]);
        Assert.Equal(",(no cause yet),1,,,", csv[^1]);
    }
}

/// <summary>The Pareto page on the demo desk: who sees it, table and CSV agree, drill-down to the queue, Chinese.</summary>
public abstract partial class RootCausePageTests(DeskWebFactory factory)
{
    [StorageFact]
    public async Task Page_Agent_IsDenied()
    {
        var agent = await factory.SignedInAsync(DemoDataGenerator.AgentUserNames[0]);
        var response = await agent.GetAsync("/reports/root-causes");
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/denied", response.Headers.Location!.PathAndQuery);
    }

    [StorageFact]
    public async Task Page_Manager_TableMatchesCsv_AndEachRowDrillsDownToTheQueue()
    {
        var manager = await factory.SignedInAsync("maria");

        var page = await manager.GetStringAsync("/reports/root-causes?severity=Major");
        var csv = (await manager.GetStringAsync("/reports/root-causes.raw.csv?severity=Major")).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        var rows = Row().Matches(page).Select(m => (m.Groups["cause"].Value, m.Groups["count"].Value)).ToList();
        Assert.NotEmpty(rows);
        Assert.Equal(rows, csv.Skip(1).SkipLast(1).Select(l => l.Split(',')).Select(f => (f[0], f[2])));
        Assert.Contains("id=\"pareto-chart\"", page);
        Assert.Contains($"href=\"/?view=all&amp;severity=Major&amp;rootCause={rows[0].Item1}&amp;reported=true\"", page);

        // The queue at the link counts the row's complaints (DrillDownTests checks every row, with dates too).
        var queue = await manager.GetStringAsync($"/?view=all&severity=Major&rootCause={rows[0].Item1}&reported=true");
        Assert.Contains("queue-table", queue);
        Assert.Contains($"id=\"drill-count\" data-total=\"{rows[0].Item2.Replace(",", "")}\"", queue);
    }

    [StorageFact]
    public async Task Page_InChinese_HasNoEnglishLeftovers()
    {
        var manager = await factory.SignedInAsync("maria");
        await manager.GetAsync("/language?culture=zh-CN&returnUrl=/");
        var page = await manager.GetStringAsync("/reports/root-causes");
        Assert.Contains("顾客为什么投诉", page);
        EnglishLeftovers.AssertNone(page, new HashSet<string> { "Desk", "English", "CSV", "Excel", "API" }, ["maria"]);
    }

    [GeneratedRegex("data-cause=\"(?<cause>\\d+)\" data-count=\"(?<count>\\d+)\"")]
    private static partial Regex Row();
}

public sealed class RootCausePageTestsOnSqlite(DeskWebFactory factory) : RootCausePageTests(factory), IClassFixture<DeskWebFactory>;

public sealed class RootCausePageTestsOnPostgres(PostgresDesk factory) : RootCausePageTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

public sealed class RootCauseParetoTestsOnSqlite() : RootCauseParetoTests(DatabaseProvider.Sqlite);

public sealed class RootCauseParetoTestsOnPostgres() : RootCauseParetoTests(DatabaseProvider.Postgres), IRunsOnPostgres;

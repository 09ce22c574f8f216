using System.Text.RegularExpressions;
using Desk.Domain.Customers;
using Desk.Domain.Orders;
using Desk.Domain.Tickets;
using Desk.Seed;
using Desk.Tests.Support;
using Desk.Web.Data;
using Desk.Web.Features.Reports;
using Desk.Web.Features.Reports.Downloads;
using Desk.Web.Features.Reports.LossReasons;
using Microsoft.Extensions.Time.Testing;

namespace Desk.Tests.Reports;

/// <summary>Loss reasons on hand-made customers: who stayed away, and what they used to spend.</summary>
public abstract class LossReasonsTests(DatabaseProvider provider) : IDisposable
{
    private static readonly DateTime Start = new(2026, 5, 4, 8, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Now = Start.AddDays(200);
    private readonly TestDatabase _database = new(provider);

    public void Dispose() => _database.Dispose();

    [StorageFact]
    public async Task LossReasons_CountOnlyCustomersWhoStayedAway_WeightedByTheYearBefore()
    {
        await using (var db = _database.NewContext())
        {
            Customer C(string n) { var c = new Customer($"{n}@example.com", n, Start.AddYears(-2)); db.Customers.Add(c); return c; }
            var (x, y, z, w) = (C("x"), C("y"), C("z"), C("w"));
            db.SaveChanges();
            db.Tickets.AddRange(TicketInState.Complaint(x, Start, 71), TicketInState.Complaint(y, Start, 51), TicketInState.Complaint(z, Start, 52), TicketInState.Complaint(w, Now.AddDays(-5), 11));
            db.Orders.AddRange(
                new Order("X-1", x.Id, Start.AddDays(-100), 100m, null, null), new Order("X-0", x.Id, Start.AddDays(-400), 50m, null, null), // a year and more before: not counted
                new Order("Y-1", y.Id, Start.AddDays(-10), 30m, null, null), new Order("Y-2", y.Id, Start.AddDays(10), 40m, null, null),     // came back
                new Order("Z-1", z.Id, Start.AddDays(-20), 300m, null, null),
                new Order("W-1", w.Id, Now.AddDays(-30), 900m, null, null));                                                                  // window still open
            db.SaveChanges();
        }

        await using var read = _database.NewContext();
        var result = await new LossReasonsQuery(read, new FakeTimeProvider(Now)).RunAsync(new RecoveryFilter(), CancellationToken.None);

        Assert.Equal([(50, 1L, 300m, 0.75), (70, 1L, 100m, 0.25)], result.Rows.Select(r => (r.RootCauseId, r.Customers, r.RevenueBefore, r.ShareOfRevenue)));
        Assert.Equal(400m, result.RevenueAtRisk);
        Assert.Equal("70,\"Delivery\",1,1,100.00,0.2500", ReportFile.RawCsv(LossReasonsController.Table(result)).Split("\r\n")[2]);
    }

    [StorageFact]
    public async Task LossReasons_FilteredBySegmentAndTenure_CountOnlyThoseCustomers()
    {
        await using (var db = _database.NewContext())
        {
            // Both stay away after their complaint; only their level and how long they had been customers differ.
            var veteran = new Customer("v@example.com", "v", Start.AddYears(-3), "en", RelationshipLevel.Basic);
            var newcomer = new Customer("n@example.com", "n", Start.AddDays(-30), "en", RelationshipLevel.Partnership);
            db.Customers.AddRange(veteran, newcomer);
            db.SaveChanges();
            db.Tickets.AddRange(TicketInState.Complaint(veteran, Start, 71), TicketInState.Complaint(newcomer, Start, 51));
            db.Orders.AddRange(new Order("V-1", veteran.Id, Start.AddDays(-100), 100m, null, null), new Order("N-1", newcomer.Id, Start.AddDays(-20), 300m, null, null));
            db.SaveChanges();
        }

        await using var read = _database.NewContext();
        var query = new LossReasonsQuery(read, new FakeTimeProvider(Now));
        async Task<List<(int, decimal)>> Rows(RecoveryFilter filter) =>
            [.. (await query.RunAsync(filter, CancellationToken.None)).Rows.Select(r => (r.RootCauseId, r.RevenueBefore))];

        Assert.Equal([(50, 300m), (70, 100m)], await Rows(new RecoveryFilter()));
        Assert.Equal([(50, 300m)], await Rows(new RecoveryFilter(Level: RelationshipLevel.Partnership)));
        Assert.Equal([(70, 100m)], await Rows(new RecoveryFilter(Level: RelationshipLevel.Basic)));
        Assert.Equal([(50, 300m)], await Rows(new RecoveryFilter(Tenure: TenureBand.New)));
        Assert.Equal([(70, 100m)], await Rows(new RecoveryFilter(Tenure: TenureBand.LongStanding)));
        Assert.Empty(await Rows(new RecoveryFilter(Level: RelationshipLevel.Basic, Tenure: TenureBand.New)));
        Assert.Empty(await Rows(new RecoveryFilter(From: Start.AddDays(1))));
    }
}

public abstract partial class LossReasonsPageTests(DeskWebFactory factory)
{
    [StorageFact]
    public async Task Page_Agent_IsDenied_ManagerSeesTableMatchingCsv_AndTheReportsTabs()
    {
        var agent = await factory.SignedInAsync(DemoDataGenerator.AgentUserNames[0]);
        Assert.StartsWith("/account/denied", (await agent.GetAsync("/reports/loss-reasons")).Headers.Location!.PathAndQuery);

        var manager = await factory.SignedInAsync("maria");
        var page = await manager.GetStringAsync("/reports/loss-reasons");
        var csv = (await manager.GetStringAsync("/reports/loss-reasons.raw.csv")).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        var rows = Row().Matches(page).Select(m => (m.Groups["cause"].Value, m.Groups["revenue"].Value)).ToList();
        Assert.NotEmpty(rows);
        Assert.Equal(rows, csv.Skip(1).Select(l => l.Split(',')).Select(f => (f[0], f[4])));
        Assert.Contains("id=\"reports-nav\"", page);
        Assert.Contains("id=\"loss-chart\"", page);
    }

    [StorageFact]
    public async Task Page_SegmentFilters_AreOfferedKeptAndTravelToTheCsv()
    {
        var manager = await factory.SignedInAsync("maria");

        var page = await manager.GetStringAsync("/reports/loss-reasons?level=Basic&tenure=Established");
        var csv = await manager.GetStringAsync("/reports/loss-reasons.raw.csv?level=Basic&tenure=Established");

        Assert.Contains("<option value=\"Basic\" selected=\"selected\">", page);
        Assert.Contains("<option value=\"Established\" selected=\"selected\">", page);
        Assert.Contains("loss-reasons.csv?level=Basic&amp;tenure=Established", page);
        var rows = Row().Matches(page).Select(m => (m.Groups["cause"].Value, m.Groups["revenue"].Value)).ToList();
        Assert.Equal(rows, csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).Select(f => (f[0], f[4])));
    }

    [StorageFact]
    public async Task Page_InChinese_HasNoEnglishLeftovers()
    {
        var manager = await factory.SignedInAsync("maria");
        await manager.GetAsync("/language?culture=zh-CN&returnUrl=/");
        var page = await manager.GetStringAsync("/reports/loss-reasons");
        Assert.Contains("顾客为什么流失", page);
        EnglishLeftovers.AssertNone(page, new HashSet<string> { "Desk", "English", "CSV", "Excel" }, ["maria"]);
    }

    [GeneratedRegex("data-cause=\"(?<cause>\\d+)\" data-revenue=\"(?<revenue>[0-9.]+)\"")]
    private static partial Regex Row();
}

public sealed class LossReasonsPageTestsOnSqlite(DeskWebFactory factory) : LossReasonsPageTests(factory), IClassFixture<DeskWebFactory>;

public sealed class LossReasonsPageTestsOnPostgres(PostgresDesk factory) : LossReasonsPageTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

public sealed class LossReasonsTestsOnSqlite() : LossReasonsTests(DatabaseProvider.Sqlite);

public sealed class LossReasonsTestsOnPostgres() : LossReasonsTests(DatabaseProvider.Postgres), IRunsOnPostgres;

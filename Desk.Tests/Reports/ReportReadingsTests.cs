using System.Globalization;
using Desk.Domain.Customers;
using Desk.Domain.Orders;
using Desk.Domain.Recovery;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web;
using Desk.Web.Data;
using Desk.Web.Features.Reports;
using Desk.Web.Features.Reports.LossReasons;
using Desk.Web.Features.Reports.Recovery;
using Desk.Web.Features.Reports.Remedies;
using Desk.Web.Features.Reports.RootCauses;
using Desk.Web.Features.Reports.Sla;
using Desk.Web.Features.Reports.WinBack;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Desk.Tests.Reports;

/// <summary>The readings above each report on hand-worked figures: the group named, the money, and "too few" when the data are thin.</summary>
public sealed class ReportReadingsTests
{
    internal static readonly IStringLocalizer Text = new ResourceManagerStringLocalizerFactory(
        Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }), NullLoggerFactory.Instance).Create(typeof(SharedResource));

    /// <summary>Runs <paramref name="read"/> with the page's culture set as a reader's request would set it.</summary>
    internal static T In<T>(string culture, Func<T> read)
    {
        var (ui, format) = (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
        try { return read(); }
        finally { (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture) = (ui, format); }
    }

    [Fact]
    public void SlaReading_LateResolutions_NamesTheRatesAndTheAgentHoldingMostOfThem()
    {
        var report = new SlaReport(new RecoveryFilter(), DateTime.UtcNow,
            [new SlaWeek(new DateOnly(2026, 5, 4), Severity.Minor, 10, new Proportion(9, 10), new Proportion(7, 10))],
            [new SlaAgent("li.lei", 4, new Proportion(4, 4), new Proportion(4, 4), 4, 2.0), new SlaAgent("wang.fang", 6, new Proportion(5, 6), new Proportion(3, 6), 5, 10.0)]);

        Assert.Equal("Resolutions were on time 70% of the time and first responses 90%: 3 complaints were resolved late or are still open past their due time. "
            + "wang.fang holds the most of them (3): look at that queue first.", In("en-US", () => SlaReading.Reading(report, Text)));
        Assert.Equal("Too few complaints in this period have reached their due time to say anything: widen the dates.",
            In("en-US", () => SlaReading.Reading(report with { Weeks = [new SlaWeek(new DateOnly(2026, 5, 4), Severity.Minor, 4, new Proportion(3, 4), new Proportion(2, 4))] }, Text)));
    }

    [Fact]
    public void RootCauseReading_AFewCausesMakeMostComplaints_SaysWhichToFixFirst()
    {
        var pareto = new RootCausePareto(new ParetoFilter(),
        [
            new ParetoRow(50, "Delivery", "配送", 12, 0.60, 0.60) { VitalFew = true },
            new ParetoRow(70, "Product defect", "产品缺陷", 5, 0.25, 0.85) { VitalFew = true },
            new ParetoRow(60, "Billing", "账单", 3, 0.15, 1.00),
        ], 2);

        Assert.Equal("Fix “Delivery” first: it is behind 12 of the 20 complaints with a cause (60%). With the next 1 it makes 85% of them: Product defect.",
            In("en-US", () => RootCauseReading.Reading(pareto, Text)));
        Assert.StartsWith("请先解决“配送”：在 20 件有原因的投诉中占 12 件", In("zh-CN", () => RootCauseReading.Reading(pareto, Text)));
        Assert.Equal("Too few complaints with a root cause in this period to rank the causes: widen the dates.",
            In("en-US", () => RootCauseReading.Reading(pareto with { Rows = [new ParetoRow(50, "Delivery", "配送", 4, 1, 1) { VitalFew = true }] }, Text)));
    }

    [Fact]
    public void LossReading_OneCauseLostMostRevenue_NamesItAndTheMoney()
    {
        var losses = new LossReasonsReport([new LossRow(50, "Delivery", "配送", 4, 4, 3000m, 0.75), new LossRow(70, "Billing", "账单", 2, 2, 1000m, 0.25)], 90);

        Assert.Equal("Customers lost after complaints about “Delivery” had spent 3,000 in the year before: 75% of the 4,000 at risk. Fix that cause first.",
            In("en-US", () => LossReading.Reading(losses, Text)));
        Assert.Equal("Too few customers stayed away after a complaint in this period to rank the causes: widen the dates.",
            In("en-US", () => LossReading.Reading(losses with { Rows = [losses.Rows[0]] }, Text)));
    }

    [Fact]
    public void RemedyReading_SurestRemedyAndCheapestKept_AreNamed_AndAFewLuckyCustomersDoNotCount()
    {
        var remedies = new RemedyEffectiveness(new RecoveryFilter(), 90, DateTime.UtcNow,
        [
            new RemedyRow(1, "Refund", "退款", new Proportion(45, 50), 0, 5000m, 5000m),   // 111.11 per customer kept
            new RemedyRow(2, "Voucher", "代金券", new Proportion(6, 6), 0, 60m, 60m),       // 10.00 per customer kept; six of six is less sure than 45 of 50
            new RemedyRow(3, "Apology", "道歉", new Proportion(3, 3), 0, 0m, 0m),           // three of three at no cost: too few to name
        ]);

        Assert.Equal("Refund keeps customers best: 90% bought again after it, against 92% for all remedies. Offer it first where it fits. Keeping a customer cost least with Voucher: 10.00 each.",
            In("en-US", () => RemedyReading.Reading(remedies, Text)));
        Assert.Equal("Too few resolved complaints in this period whose 90-day window has ended to compare remedies: widen the dates.",
            In("en-US", () => RemedyReading.Reading(remedies with { Rows = [remedies.Rows[2]] }, Text)));
    }

    [Fact]
    public void WinBackReading_CustomersWentQuiet_SaysHowManyWhatTheySpentAndWhomToStartWith()
    {
        WinBackRow Row(long id, string name, decimal value) => new(id, id, name, $"{id}@example.com", "Leaks", DateTime.UtcNow, value, null, null);

        Assert.Equal("2 customers went quiet after their complaint; together they have spent 1,500. Start with Zhang Wei, who has spent 1,200: write or call.",
            In("en-US", () => WinBackReading.Reading([Row(1, "Zhang Wei", 1200m), Row(2, "Ann", 300m)], Text)));
        Assert.Equal("No customer has gone quiet after a complaint in this selection.", In("en-US", () => WinBackReading.Reading([], Text)));
    }

    [Theory]
    [InlineData(375, 380)]
    [InlineData(8437, 8400)]
    [InlineData(73.5, 74)]
    [InlineData(0, 0)]
    public void About_AnAmount_KeepsTwoSignificantFiguresFromAHundredUp(decimal amount, decimal said) =>
        Assert.Equal(said, ReportComparisons.About(amount));

    [Theory]
    [InlineData("2026-11-01", "2026-11-30", "2026-10-02", "2026-10-31", true)]
    [InlineData("2026-11-23", "2026-11-23", "2026-11-22", "2026-11-22", true)]
    [InlineData(null, "2026-11-30", "2026-09-25", "2026-10-24", false)]
    [InlineData("2026-11-30", "2026-11-01", "2026-09-25", "2026-10-24", false)]
    public void ComparedPeriods_OfTheChosenDates_IsTheRangeMovedBackByItsLength(string? from, string? to, string previousFrom, string previousTo, bool chosen)
    {
        static DateOnly? Day(string? s) => s is null ? null : DateOnly.Parse(s, CultureInfo.InvariantCulture);
        var periods = ComparedPeriods.Of(Day(from), Day(to), new DateOnly(2026, 11, 23));
        Assert.Equal((Day(previousFrom), Day(previousTo), chosen), (periods.PreviousFrom, periods.PreviousTo, periods.Chosen));
    }
}

/// <summary>The recovery reading on a hand-worked desk, through the report's own query on both databases.</summary>
public abstract class RecoveryReadingTests(DatabaseProvider provider) : IDisposable
{
    private static readonly DateTime Start = new(2026, 5, 4, 8, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Now = Start.AddDays(200);
    private readonly TestDatabase _database = new(provider);

    public void Dispose() => _database.Dispose();

    /// <summary>
    /// Five major complaints resolved within target, four of whose customers came back with orders of 100, 120, 130 and 150
    /// (80 %, 125 a returning customer); five resolved late, one came back (20 %). The five late ones would have brought
    /// 5 × (0.8 − 0.2) × 125 = 375 at the better rate: "about 380". Minor complaints: none, so nothing to compare there.
    /// </summary>
    [StorageFact]
    public async Task Reading_MajorComplaintsResolvedLate_NamesTheGroupTheRatesAndTheMoneyLost()
    {
        await using (var db = _database.NewContext())
        {
            var customers = Enumerable.Range(0, 10).Select(i => new Customer($"c{i}@example.com", $"c{i}", Start.AddYears(-2))).ToList();
            db.Customers.AddRange(customers);
            db.SaveChanges();
            for (var i = 0; i < 10; i++)
                db.Tickets.Add(TicketInState.Complaint(customers[i], Start.AddMinutes(i), severity: Severity.Major, late: i >= 5));
            decimal[] within = [100m, 120m, 130m, 150m];
            for (var i = 0; i < within.Length; i++) db.Orders.Add(new Order($"W-{i}", customers[i].Id, Start.AddDays(10), within[i], null, null));
            db.Orders.Add(new Order("L-5", customers[5].Id, Start.AddDays(20), 80m, null, null));
            db.SaveChanges();
        }

        await using var read = _database.NewContext();
        var query = new RecoveryMatrixQuery(read, new FakeTimeProvider(Now));
        var matrix = await query.RunAsync(new RecoveryFilter(), CancellationToken.None);

        Assert.Equal(375m, RecoveryReading.LostToLateness(matrix.Cell(Severity.Major, RecoveryColumn.ResolvedLate), matrix.Cell(Severity.Major, RecoveryColumn.ResolvedWithinTarget)));
        Assert.Equal("Major complaints resolved late brought back 20% of customers, against 80% when resolved within target: the 5 resolved late in this period cost about 380 in orders. Resolve them within target.",
            ReportReadingsTests.In("en-US", () => RecoveryReading.Reading(matrix, ReportReadingsTests.Text)));
        Assert.StartsWith("严重投诉延迟解决后有 20% 的顾客再次购买，按时解决的为 80%：本期 5 件延迟解决的投诉约少带来 380 的订单。",
            ReportReadingsTests.In("zh-CN", () => RecoveryReading.Reading(matrix, ReportReadingsTests.Text)));

        // A period with none of them: too few to compare, said plainly.
        var empty = await query.RunAsync(new RecoveryFilter(From: Start.AddDays(1)), CancellationToken.None);
        Assert.Equal("Too few complaints in this period whose 90-day window has ended to compare late and on-time resolutions: widen the dates.",
            ReportReadingsTests.In("en-US", () => RecoveryReading.Reading(empty, ReportReadingsTests.Text)));
    }
}

public sealed class RecoveryReadingTestsOnSqlite() : RecoveryReadingTests(DatabaseProvider.Sqlite);

public sealed class RecoveryReadingTestsOnPostgres() : RecoveryReadingTests(DatabaseProvider.Postgres), IRunsOnPostgres;

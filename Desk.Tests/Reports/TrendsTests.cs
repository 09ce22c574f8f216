using System.Globalization;
using System.Text.RegularExpressions;
using Desk.Domain.Customers;
using Desk.Domain.Loyalty;
using Desk.Domain.Orders;
using Desk.Domain.Recovery;
using Desk.Domain.Tickets;
using Desk.Seed;
using Desk.Tests.Support;
using Desk.Web.Data;
using Desk.Web.Features.Reports;
using Desk.Web.Features.Reports.Downloads;
using Desk.Web.Features.Reports.Sla;
using Desk.Web.Features.Reports.Trends;
using Microsoft.Extensions.Time.Testing;

namespace Desk.Tests.Reports;

/// <summary>
/// The trends report on a hand-made desk. "Now" is Thursday 14 May 2026, 08:00 UTC. Months are the ISO weeks whose Thursday
/// falls in them: January 2026 runs Monday 29 December to Sunday 1 February (35 days), February 2 February to 1 March (28),
/// March 2 to 29 March (28), April 30 March to 3 May (35), May 4 to 31 May (28; 11 days seen by now). The repurchase window
/// is 90 days; a minor complaint is due a first response in 8 hours and a resolution in 5 days, a major one in 2 hours and
/// 2 days. Every answer is worked out in the comments.
/// </summary>
public abstract class TrendsTests : IDisposable
{
    private static readonly DateTime Now = new(2026, 5, 14, 8, 0, 0, DateTimeKind.Utc);
    private readonly TestDatabase _database;

    protected TrendsTests(DatabaseProvider provider)
    {
        _database = new TestDatabase(provider);
        using var db = _database.NewContext();
        var ann = new Customer("ann@example.com", "Ann", Now.AddYears(-3));
        var ben = new Customer("ben@example.com", "Ben", Now.AddYears(-1));
        var cat = new Customer("cat@example.com", "Cat", Now.AddYears(-1));
        db.Customers.AddRange(ann, ben, cat);
        db.SaveChanges();
        DateTime At(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, DateTimeKind.Utc);

        db.Tickets.AddRange(
            // January. j1: minor, email, quality (50), resolved 3 minutes in (met, met), 24.50; Ann buys on 10 February: bought again.
            TicketInState.Complaint(ann, At(1, 5, 9), 51),
            // j2: major, web, delivery (70), resolved an hour past its due time (its first answer too: missed, missed), 24.50; Ben never buys.
            TicketInState.Complaint(ben, At(1, 7, 10), 71, Severity.Major, Channel.Web, late: true),
            // February. f1: Friday 13th 08:17, minor, phone, attitude (10), resolved 08:20 (met, met): its window ends 14 May 08:20,
            // 20 minutes after now — pending now, measured (Cat bought on 1 March) fifty minutes later.
            TicketInState.Complaint(cat, At(2, 13, 8, 17), 11, channel: Channel.Phone),
            // April. a1: minor, email, quality, resolved in 3 minutes (met, met), pending; a2: never answered nor resolved (missed, missed), no cause.
            TicketInState.Complaint(ann, At(4, 14, 9), 51),
            TicketInState.Complaint(ann, At(4, 15, 9), null),
            // May. m1 (ISO week 19): major, web, delivery, resolved in 3 minutes (met, met), pending, 24.50.
            TicketInState.Complaint(ben, At(5, 4, 9), 71, Severity.Major, Channel.Web),
            // m2 (week 20): Tuesday 10:00, minor, open: its answer was due 18:00 (missed), its resolution on the 17th (not due).
            TicketInState.Complaint(cat, At(5, 12, 10), null),
            // m3: today 00:30, minor, open: answer due 08:30 (not due now; missed fifty minutes later), resolution not due.
            TicketInState.Complaint(ann, At(5, 14, 0, 30), null),
            // Never counted: a suggestion.
            TicketInState.Complaint(ann, At(5, 13, 9), 51, kind: TicketKind.Suggestion));
        var rejected = TicketInState.Complaint(ben, At(5, 13, 9), null, Severity.Major);
        rejected.Reject("agent", At(5, 13, 9, 5), RejectionReason.Spam);
        db.Tickets.Add(rejected);
        db.Orders.AddRange(new Order("A-1", ann.Id, At(2, 10, 12), 30m, null, null), new Order("C-1", cat.Id, At(3, 1, 12), 40m, null, null));
        db.SaveChanges();
    }

    public void Dispose() => _database.Dispose();

    private async Task<TrendsReport> RunAsync(SlaPeriod period, TrendSplit split = TrendSplit.None, RecoveryFilter? filter = null, DateTime? at = null)
    {
        await using var db = _database.NewContext();
        return await new TrendsQuery(db, new FakeTimeProvider(at ?? Now), new LoyaltyThresholds())
            .RunAsync(filter ?? new RecoveryFilter(), period, split, CancellationToken.None);
    }

    private static (string, long, Proportion, Proportion, Proportion, long, decimal) Row(TrendsReport report, TrendPeriod p)
    {
        var m = report.Total(p);
        return (p.Key, m.Complaints, m.FirstResponse, m.Resolution, m.BoughtAgain, m.Pending, m.RemedyCost);
    }

    [StorageFact]
    public async Task RunAsync_ByMonth_CountsAndRatesAreTheHandWorkedOnes_AndOnlyTheCurrentMonthIsPartial()
    {
        var report = await RunAsync(SlaPeriod.Month);

        Assert.Equal(
        [
            ("2026-01", 2L, new Proportion(1, 2), new Proportion(1, 2), new Proportion(1, 2), 0L, 49.00m), // j1 met and bought; j2 missed, never bought
            ("2026-02", 1L, new Proportion(1, 1), new Proportion(1, 1), new Proportion(0, 0), 1L, 24.50m), // f1 pending still
            ("2026-03", 0L, new Proportion(0, 0), new Proportion(0, 0), new Proportion(0, 0), 0L, 0m),     // no complaint: still a month
            ("2026-04", 2L, new Proportion(1, 2), new Proportion(1, 2), new Proportion(0, 0), 1L, 24.50m), // a1 met and pending; a2 missed both, unresolved
            ("2026-05", 3L, new Proportion(1, 2), new Proportion(1, 1), new Proportion(0, 0), 1L, 24.50m), // m1 met; m2 missed its answer; m3 not due
        ], report.Periods.Select(p => Row(report, p)));
        Assert.Equal([new DateOnly(2025, 12, 29), new DateOnly(2026, 2, 2), new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 30), new DateOnly(2026, 5, 4)],
            report.Periods.Select(p => p.Start));
        Assert.Equal([35, 28, 28, 35, 28], report.Periods.Select(p => p.Days));
        Assert.Equal([false, false, false, false, true], report.Periods.Select(p => p.Partial));
        Assert.Equal((11, true), (report.Periods[^1].DaysCovered, report.Periods[^1].Current)); // 4 to 14 May
        Assert.Equal(("2026-04", "2026-03"), (report.LastTwoWhole()!.Value.Last.Key, report.LastTwoWhole()!.Value.Before.Key)); // May is partial
    }

    [StorageFact]
    public async Task RunAsync_ByWeek_FillsTheWeeksBetween_AndMarksTheCurrentWeekSoFar()
    {
        var report = await RunAsync(SlaPeriod.Week);

        Assert.Equal(19, report.Periods.Count); // 2026-W02 to 2026-W20
        Assert.Equal("2026-W02", report.Periods[0].Key);
        var counts = report.Periods.Where(p => report.Total(p).Complaints > 0).Select(p => (p.Key, report.Total(p).Complaints));
        Assert.Equal([("2026-W02", 2L), ("2026-W07", 1L), ("2026-W16", 2L), ("2026-W19", 1L), ("2026-W20", 2L)], counts);
        var current = report.Periods[^1];
        Assert.Equal(("2026-W20", new DateOnly(2026, 5, 11), 7, 4, true, true), (current.Key, current.Start, current.Days, current.DaysCovered, current.Current, current.Partial));
        Assert.Single(report.Periods, p => p.Partial);
        Assert.Equal(("2026-W20", 2L, new Proportion(0, 1), new Proportion(0, 0), new Proportion(0, 0), 0L, 0m), Row(report, current)); // m2 missed; m3 not due
    }

    [StorageFact]
    public async Task RunAsync_FiftyMinutesLater_ReadsWhatChangedSinceTheRollups()
    {
        await RunAsync(SlaPeriod.Month); // builds the rollups at 08:00; they are not moved on within the hour

        var later = await RunAsync(SlaPeriod.Month, at: Now.AddMinutes(50));

        // f1's window ended at 08:20: measured now, and Cat bought; m3's answer was due at 08:30: missed.
        Assert.Equal(("2026-02", 1L, new Proportion(1, 1), new Proportion(1, 1), new Proportion(1, 1), 0L, 24.50m), Row(later, later.Periods[1]));
        Assert.Equal(("2026-05", 3L, new Proportion(1, 3), new Proportion(1, 1), new Proportion(0, 0), 1L, 24.50m), Row(later, later.Periods[^1]));
    }

    [StorageTheory]
    [InlineData(0)]
    [InlineData(50)]
    public async Task RunAsync_EverySplit_SumsToTheTotalInEveryPeriod(int minutesLater)
    {
        await RunAsync(SlaPeriod.Week);
        // All dates, and dates that start and end mid-week (the part weeks at either end are read live, the rest from the rollups).
        var midWeeks = new RecoveryFilter(From: new DateTime(2026, 1, 7, 0, 0, 0, DateTimeKind.Utc), To: new DateTime(2026, 5, 13, 0, 0, 0, DateTimeKind.Utc));
        foreach (var (period, filter) in new[] { (SlaPeriod.Week, new RecoveryFilter()), (SlaPeriod.Month, new RecoveryFilter()), (SlaPeriod.Month, midWeeks) })
        {
            // The total reads the rollups; the cause, channel and class splits the kept rows: both must say the same.
            var total = await RunAsync(period, filter: filter, at: Now.AddMinutes(minutesLater));
            Assert.NotEqual(0, total.Total().Complaints);
            foreach (var split in new[] { TrendSplit.Cause, TrendSplit.Channel, TrendSplit.Severity, TrendSplit.Class })
            {
                var report = await RunAsync(period, split, filter, Now.AddMinutes(minutesLater));
                Assert.Equal(total.Periods, report.Periods);
                Assert.Equal(total.Periods.Select(total.Total), report.Periods.Select(p => TrendMeasures.Total(report.Groups.Select(g => report.Measures(p, g)))));
                Assert.Equal(total.Total(), report.Total());
            }
        }
    }

    [StorageFact]
    public async Task RunAsync_ByChannelAndCause_GivesALinePerGroup_MostComplaintsFirst()
    {
        var channels = await RunAsync(SlaPeriod.Month, TrendSplit.Channel);
        Assert.Equal([("Email", 5L), ("Web", 2L), ("Phone", 1L)], channels.Groups.Select(g => (g.Key, g.Complaints)));
        var may = channels.Periods[^1];
        Assert.Equal([("Web", 1L), ("Email", 2L)], channels.Cells.Where(c => c.Period == may).Select(c => (c.Group.Key, c.Measures.Complaints)).OrderBy(c => c.Key != "Web"));

        var causes = await RunAsync(SlaPeriod.Month, TrendSplit.Cause);
        // No cause yet: a2, m2, m3; quality (50): j1, a1; delivery (70): j2, m1; attitude (10): f1.
        Assert.Equal([("", 3L), ("70", 2L), ("50", 2L), ("10", 1L)], causes.Groups.Select(g => (g.Key, g.Complaints)));
        Assert.Equal(["No cause yet", "Delivery", "Product quality", "Staff attitude / rudeness"], causes.Groups.Select(g => g.Name));
        var january = causes.Periods[0];
        Assert.Equal(new TrendMeasures(1, new(0, 1), new(0, 1), new(0, 1), 0, 24.50m), causes.Measures(january, causes.Groups[1])); // j2
    }

    [StorageFact]
    public async Task Periods_DatesThatCutAMonth_MarkItPartialButNotCurrent()
    {
        var from7January = await RunAsync(SlaPeriod.Month, filter: new RecoveryFilter(From: new DateTime(2026, 1, 7, 0, 0, 0, DateTimeKind.Utc)));
        var january = from7January.Periods[0];
        Assert.Equal(("2026-01", 26, true, false, 1L), (january.Key, january.DaysCovered, january.Partial, january.Current, from7January.Total(january).Complaints)); // 7 Jan to 1 Feb: j2

        var aprilOnly = await RunAsync(SlaPeriod.Month, filter: new RecoveryFilter(From: new DateTime(2026, 3, 30, 0, 0, 0, DateTimeKind.Utc), To: new DateTime(2026, 5, 4, 0, 0, 0, DateTimeKind.Utc)));
        Assert.Equal([("2026-04", false)], aprilOnly.Periods.Select(p => (p.Key, p.Partial))); // a whole April; this month out of the dates
    }

    [StorageFact]
    public async Task Csv_HasTheTablesLines_WithThePartialPeriodFlagged()
    {
        var report = await RunAsync(SlaPeriod.Month);
        var csv = ReportFile.RawCsv(TrendsTables.Table(report)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("month,month_start,days,days_seen,partial,complaints,first_response_met,first_response_measured,first_response_rate,resolution_met,resolution_measured,resolution_rate,bought_again,measured,repurchase_rate,pending,remedy_cost", csv[0]);
        Assert.Equal(6, csv.Length);
        Assert.Equal("2026-01,2025-12-29,35,35,0,2,1,2,0.5000,1,2,0.5000,1,2,0.5000,0,49.00", csv[1]);
        Assert.Equal("2026-05,2026-05-04,28,11,1,3,1,2,0.5000,1,1,1.0000,0,0,,1,24.50", csv[5]);

        var channels = await RunAsync(SlaPeriod.Month, TrendSplit.Channel);
        var lines = ReportFile.RawCsv(TrendsTables.Table(channels)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("month,month_start,days,days_seen,partial,group,complaints,", lines[0]);
        Assert.Equal(TrendsTables.Lines(channels).Count(l => l.Group is not null) + 1, lines.Length); // no period totals in the file
        Assert.Contains("2026-05,2026-05-04,28,11,1,Email,2,0,1,0.0000,0,0,,0,0,,0,0.00", lines);
    }
}

/// <summary>The trends page through the real app (demo data): who may see it, the CSV says what the table says, Chinese.</summary>
public abstract partial class TrendsPageTests(DeskWebFactory factory)
{
    [StorageFact]
    public async Task Page_Agent_IsDenied_AndManagerSeesChartTableAndReading()
    {
        var agent = await factory.SignedInAsync(DemoDataGenerator.AgentUserNames[0]);
        foreach (var path in new[] { "/reports/trends", "/reports/trends.csv", "/reports/trends.xlsx", "/reports/trends.raw.csv?by=cause" })
        {
            var response = await agent.GetAsync(path);
            Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/account/denied", response.Headers.Location!.PathAndQuery);
        }

        var manager = await factory.SignedInAsync("maria");
        var page = await manager.GetStringAsync("/reports/trends");
        Assert.Contains("id=\"trends-chart\"", page);
        Assert.Contains("href=\"/reports/trends\"", page); // the tab
        Assert.Matches("id=\"reading\">[^<]+: [0-9,]+ complaints, [^<]+ so far: [0-9,]+ complaints in [0-9]+ of [0-9]+ days\\.<", page);
        Assert.Contains("id=\"trends-partial\"", page);
        Assert.Matches("data-partial-note=\"\\d{4}-\\d{2}\">so far: \\d+ of (28|35) days<", page);

        var xlsx = await manager.GetAsync("/reports/trends.xlsx?by=channel&period=week");
        Assert.Equal(System.Net.HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType!.MediaType);
        Assert.Equal([0x50, 0x4B], (await xlsx.Content.ReadAsByteArrayAsync())[..2]); // a zip, as a workbook is

        var bad = await manager.GetAsync("/reports/trends?by=product");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [StorageTheory]
    [InlineData("")]
    [InlineData("?period=week")]
    [InlineData("?by=cause")]
    [InlineData("?by=channel&period=week")]
    [InlineData("?by=severity")]
    [InlineData("?by=class&level=Basic")]
    public async Task Page_TableMatchesTheCsv_AndEachSplitSumsToThePeriodTotal(string query)
    {
        var manager = await factory.SignedInAsync("maria");

        var page = await manager.GetStringAsync("/reports/trends" + query);
        var csv = (await manager.GetStringAsync("/reports/trends.raw.csv" + query)).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        var rows = TrendRow().Matches(page).Select(m => (Period: m.Groups["period"].Value, Group: m.Groups["group"].Value, Total: m.Groups["total"].Success,
            Complaints: long.Parse(m.Groups["complaints"].Value, CultureInfo.InvariantCulture), First: m.Groups["first"].Value, Cost: m.Groups["cost"].Value)).ToList();
        Assert.True(rows.Count >= 3, $"{rows.Count} rows");
        var split = query.Contains("by=", StringComparison.Ordinal);
        var header = csv[0].Split(',');
        int Column(string name) => Array.IndexOf(header, name);
        var lines = csv.Skip(1).Select(l => Regex.Replace(l, "\"[^\"]*\"", m => m.Value.Replace(",", ";", StringComparison.Ordinal)).Split(',')).ToList();
        Assert.Equal(rows.Where(r => !r.Total).Select(r => (r.Period, r.Complaints, r.First, r.Cost)),
            lines.Select(f => (f[0], long.Parse(f[Column("complaints")], CultureInfo.InvariantCulture),
                Percent(f[Column("first_response_met")], f[Column("first_response_measured")]), f[Column("remedy_cost")])));
        if (split)
            foreach (var period in rows.GroupBy(r => r.Period))
                Assert.Equal(period.Single(r => r.Total).Complaints, period.Where(r => !r.Total).Sum(r => r.Complaints));
        // The period running now is marked on the page; in the file too, unless (split, early on a Monday) it has no complaint yet.
        Assert.Contains("data-partial=\"true\"", page);
        if (!split) Assert.Contains(lines, f => f[Column("partial")] == "1");
    }

    [StorageFact]
    public async Task Page_InChinese_HasNoEnglishLeftovers()
    {
        var manager = await factory.SignedInAsync("maria");
        await manager.GetAsync("/language?culture=zh-CN&returnUrl=/");

        foreach (var query in new[] { "", "?by=cause&period=week", "?by=class", "?by=channel" })
        {
            var page = await manager.GetStringAsync("/reports/trends" + query);
            Assert.Contains("趋势", page);
            EnglishLeftovers.AssertNone(page, new HashSet<string> { "Desk", "English", "CSV", "Excel", "ISO" }, ["maria", .. DemoDataGenerator.AgentUserNames, "admin"]);
        }
        var csv = await manager.GetStringAsync("/reports/trends.csv?by=channel");
        Assert.StartsWith("\uFEFF月份,月起始日,天数,已过天数,不完整周期,分组,投诉,", csv);
        Assert.Contains(",\"是\",\"邮件\",", csv); // the partial month, its channel named in Chinese
    }

    private static string Percent(string met, string measured)
    {
        var (m, n) = (long.Parse(met, CultureInfo.InvariantCulture), long.Parse(measured, CultureInfo.InvariantCulture));
        return n == 0 ? "" : Math.Round((double)m / n * 100, 1).ToString(CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("data-period=\"(?<period>[0-9W-]+)\" data-group=\"(?<group>[^\"]*)\"(?<total> data-total=\"period\")?[^>]*?data-complaints=\"(?<complaints>\\d+)\" data-first=\"(?<first>[0-9.]*)\"[^>]*?data-cost=\"(?<cost>[0-9.]+)\"")]
    private static partial Regex TrendRow();
}

public sealed class TrendsPageTestsOnSqlite(DeskWebFactory factory) : TrendsPageTests(factory), IClassFixture<DeskWebFactory>;

public sealed class TrendsPageTestsOnPostgres(PostgresDesk factory) : TrendsPageTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

public sealed class TrendsTestsOnSqlite() : TrendsTests(DatabaseProvider.Sqlite);

public sealed class TrendsTestsOnPostgres() : TrendsTests(DatabaseProvider.Postgres), IRunsOnPostgres;

using System.Globalization;
using System.Text.RegularExpressions;
using Desk.Domain.Customers;
using Desk.Domain.Recovery;
using Desk.Domain.Remedies;
using Desk.Domain.Sla;
using Desk.Domain.Tickets;
using Desk.Seed;
using Desk.Tests.Support;
using Desk.Web.Data;
using Desk.Web.Features.Reports;
using Desk.Web.Features.Reports.Downloads;
using Desk.Web.Features.Reports.Remedies;
using Desk.Web.Features.Reports.Sla;
using Microsoft.Extensions.Time.Testing;

namespace Desk.Tests.Reports;

/// <summary>
/// SLA compliance on a hand-made desk. Basic customers: a minor complaint is due a first response in 8 hours and a
/// resolution in 5 days, a major one in 2 hours and 2 days. Monday 4 May 2026 starts ISO week 2026-W19; "now" is
/// Thursday 14 May, 08:00, in week 2026-W20. Every answer is worked out in the comments.
/// </summary>
public abstract class SlaReportTests : IDisposable
{
    private static readonly DateTime Monday = new(2026, 5, 4, 8, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Now = Monday.AddDays(10);
    private static readonly DateOnly W19 = new(2026, 5, 4), W20 = new(2026, 5, 11);
    private readonly TestDatabase _database;

    protected SlaReportTests(DatabaseProvider provider)
    {
        _database = new TestDatabase(provider);
        using var db = _database.NewContext();
        var ann = new Customer("ann@example.com", "Ann", Monday.AddYears(-3));
        var ben = new Customer("ben@example.com", "Ben", Monday.AddDays(-20), "en", RelationshipLevel.Basic);
        db.Customers.AddRange(ann, ben);
        db.SaveChanges();

        Ticket Received(DateTime at, Severity severity, Customer? who = null, TicketKind kind = TicketKind.Complaint) =>
            Ticket.Receive(new TicketIntake(kind, Channel.Email, severity, "Broken", "It broke.", null), who ?? ann,
                SlaPolicy.Default, RepeatComplaintPolicy.Default, null, at);
        void Resolve(Ticket t, DateTime at) => t.Resolve("agent", at, new Resolution(RemedyKinds.Refund, 1m, TicketInState.RootCauseId, null, null));

        // W19, minor. t1: answered and resolved 3 minutes in (the decision is the first response): met, met; bob.
        var t1 = TicketInState.Complaint(ann, Monday);
        // t2: resolved an hour after its 5-day due time, the decision its first response: missed, missed; bob.
        var t2 = TicketInState.Complaint(ann, Monday, late: true);
        // t3: answered exactly at the first-response due time and resolved exactly at the resolution due time: met, met; cy.
        var t3 = Received(Monday, Severity.Minor);
        t3.Acknowledge("desk", Monday.AddMinutes(1));
        t3.Assign("lead", Monday.AddMinutes(2), "cy");
        t3.Reply("cy", t3.FirstResponseDueAt, "Looking into it.");
        Resolve(t3, t3.ResolutionDueAt);
        // t4: Sunday 10 May 23:30, the last half hour of W19 (ISO weeks end on Sunday); resolved 3 minutes in: met, met; bob.
        var t4 = TicketInState.Complaint(ann, new DateTime(2026, 5, 10, 23, 30, 0, DateTimeKind.Utc));

        // W19, major. t5: assigned, never answered, never resolved, both due times long past: missed, missed; dee.
        var t5 = Received(Monday, Severity.Major);
        t5.Acknowledge("desk", Monday.AddMinutes(1));
        t5.Assign("lead", Monday.AddMinutes(2), "dee");
        // t6: Tuesday; answered in 30 minutes (met), resolved in an hour, then reopened: open again, past its 2 days: missed; bob.
        var t6 = Received(Monday.AddDays(1), Severity.Major);
        t6.Acknowledge("desk", Monday.AddDays(1).AddMinutes(1));
        t6.Assign("lead", Monday.AddDays(1).AddMinutes(2), "bob");
        t6.Reply("bob", Monday.AddDays(1).AddMinutes(30), "Sorry, on it.");
        Resolve(t6, Monday.AddDays(1).AddHours(1));
        t6.Reopen("lead", Monday.AddDays(1).AddHours(2), "Still broken.");

        // Never counted: a rejected complaint, and a suggestion answered late.
        var rejected = Received(Monday, Severity.Major);
        rejected.Reject("agent", Monday.AddMinutes(5), RejectionReason.Spam);
        var suggestion = TicketInState.Complaint(ann, Monday, kind: TicketKind.Suggestion, late: true);

        // W20, minor. t7: an hour old, no answer, due in 7 more hours: counted, in no rate; nobody holds it.
        var t7 = Received(Now.AddHours(-1), Severity.Minor);
        // W20, major. t8: 3 hours old, no answer: its first response was due an hour ago (missed); resolution not due (no rate); nobody.
        var t8 = Received(Now.AddHours(-3), Severity.Major, ben);
        // t9: 5 hours old, answered in an hour (met), resolved after 4 hours (met); dee.
        var t9 = Received(Now.AddHours(-5), Severity.Major, ben);
        t9.Acknowledge("desk", Now.AddHours(-5).AddMinutes(1));
        t9.Assign("lead", Now.AddHours(-5).AddMinutes(2), "dee");
        t9.Reply("dee", Now.AddHours(-4), "We will send a new one.");
        Resolve(t9, Now.AddHours(-1));

        db.Tickets.AddRange(t1, t2, t3, t4, t5, t6, rejected, suggestion, t7, t8, t9);
        db.SaveChanges();
    }

    public void Dispose() => _database.Dispose();

    private async Task<SlaReport> RunAsync(RecoveryFilter filter)
    {
        await using var db = _database.NewContext();
        return await new SlaReportQuery(db, new FakeTimeProvider(Now)).RunAsync(filter, CancellationToken.None);
    }

    [StorageFact]
    public async Task RunAsync_ByWeekAndSeverity_CountsMetAndMissed_AndLeavesNotYetDueOutOfTheRates()
    {
        var report = await RunAsync(new RecoveryFilter());

        Assert.Equal(
        [
            (W19, Severity.Minor, 4L, new Proportion(3, 4), new Proportion(3, 4)), // t1, t2, t3 (at the due times), t4 (Sunday); t2 missed both
            (W19, Severity.Major, 2L, new Proportion(1, 2), new Proportion(0, 2)), // t5 missed both; t6 answered in time, reopened and overdue
            (W20, Severity.Minor, 1L, new Proportion(0, 0), new Proportion(0, 0)), // t7: nothing due yet
            (W20, Severity.Major, 2L, new Proportion(1, 2), new Proportion(1, 1)), // t8 missed its answer, resolution not due; t9 met both
        ], report.Weeks.Select(w => (w.Week, w.Severity, w.Tickets, w.FirstResponse, w.Resolution)));
        Assert.Equal(["2026-W19", "2026-W20"], report.WeekStarts.Select(SlaReport.IsoWeekOf));
        Assert.Equal((9L, new Proportion(5, 8), new Proportion(4, 7)), report.Total());
        Assert.Equal((4L, new Proportion(2, 4), new Proportion(1, 3)), report.Total(Severity.Major));
    }

    [StorageFact]
    public async Task RunAsync_ByAgent_CountsTheirComplaints_AndTheMeanHoursToResolveThoseResolved()
    {
        var report = await RunAsync(new RecoveryFilter());

        Assert.Equal(
        [
            // bob: t1, t2, t4, t6. Resolved: t1 and t4 in 3 minutes, t2 in 5 days and an hour (121 h): 121.1 / 3 = 40.37 h.
            ("bob", 4L, new Proportion(3, 4), new Proportion(2, 4), 3L, (double?)40.4),
            ("", 2L, new Proportion(0, 1), new Proportion(0, 0), 0L, null),   // t7, t8: nobody holds them
            ("dee", 2L, new Proportion(1, 2), new Proportion(1, 2), 1L, 4.0), // t5 missed both; t9 resolved in 4 hours
            ("cy", 1L, new Proportion(1, 1), new Proportion(1, 1), 1L, 120.0), // t3: resolved at 5 days exactly
        ], report.Agents.Select(a => (a.Agent, a.Tickets, a.FirstResponse, a.Resolution, a.Resolved, a.MeanHoursToResolve)));
    }

    [StorageFact]
    public async Task RunAsync_FilteredByDatesLevelAndTenure_CountsOnlyThoseComplaints()
    {
        var secondWeek = await RunAsync(new RecoveryFilter(From: new DateTime(2026, 5, 11, 0, 0, 0, DateTimeKind.Utc)));
        Assert.Equal([(W20, Severity.Minor), (W20, Severity.Major)], secondWeek.Weeks.Select(w => (w.Week, w.Severity)));

        var fresh = await RunAsync(new RecoveryFilter(Tenure: TenureBand.New)); // ben, 20 days a customer: t8 and t9
        Assert.Equal([(W20, Severity.Major, 2L)], fresh.Weeks.Select(w => (w.Week, w.Severity, w.Tickets)));

        var partners = await RunAsync(new RecoveryFilter(Level: RelationshipLevel.Partnership));
        Assert.Empty(partners.Weeks);
        Assert.Empty(partners.Agents);
    }

    [StorageFact]
    public async Task Periods_ByMonth_AddsUpTheWeeksWhoseThursdayFallsInTheMonth()
    {
        var report = await RunAsync(new RecoveryFilter());

        // W19 (Thursday 7 May) and W20 (Thursday 14 May) are both May's: the weeks' counts, added.
        Assert.Equal(
        [
            ("2026-05", new DateOnly(2026, 5, 1), Severity.Minor, 5L, new Proportion(3, 4), new Proportion(3, 4)),
            ("2026-05", new DateOnly(2026, 5, 1), Severity.Major, 4L, new Proportion(2, 4), new Proportion(1, 3)),
        ], report.Periods(SlaPeriod.Month).Select(p => (p.Key, p.Start, p.Severity, p.Tickets, p.FirstResponse, p.Resolution)));
        Assert.Equal(["2026-W19", "2026-W19", "2026-W20", "2026-W20"], report.Periods(SlaPeriod.Week).Select(p => p.Key));
        var months = ReportFile.RawCsv(SlaTables.Periods(report, SlaPeriod.Month)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("month,month_start,severity,", months[0]);
        Assert.Equal("2026-05,2026-05-01,Major,4,2,4,0.5000,1,3,0.3333", months[2]);
    }

    [Theory]
    [InlineData("2026-04-27", "2026-04-01")] // Thursday 30 April: April's, though it ends in May
    [InlineData("2026-06-29", "2026-07-01")] // Thursday 2 July: July's, though it starts in June
    [InlineData("2025-12-29", "2026-01-01")] // Thursday 1 January: the new year's, as ISO counts it
    public void MonthOf_AWeekAcrossTwoMonths_BelongsToItsThursdays(string monday, string month) =>
        Assert.Equal(DateOnly.Parse(month, CultureInfo.InvariantCulture), SlaReport.MonthOf(DateOnly.Parse(monday, CultureInfo.InvariantCulture)));

    [StorageFact]
    public async Task Csv_HasOneLinePerWeekAndSeverity_AndOnePerAgent()
    {
        var report = await RunAsync(new RecoveryFilter());

        var weeks = ReportFile.RawCsv(SlaTables.Weeks(report)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, weeks.Length);
        Assert.Equal("2026-W19,2026-05-04,Major,2,1,2,0.5000,0,2,0.0000", weeks[2]);
        Assert.Equal("2026-W20,2026-05-11,Minor,1,0,0,,0,0,", weeks[3]);
        var agents = ReportFile.RawCsv(SlaTables.Agents(report)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("\"bob\",4,3,4,0.7500,2,4,0.5000,3,40.4", agents[1]);
        Assert.Equal("\"\",2,0,1,0.0000,0,0,,0,", agents[2]);
    }
}

/// <summary>The SLA and remedy pages through the real app (demo data): who may see them, the CSV says what the table says, Chinese.</summary>
public abstract partial class SlaAndRemediesPageTests(DeskWebFactory factory)
{
    [StorageFact]
    public async Task Pages_Agent_IsDenied_AndManagerAndAdminSeeThem()
    {
        var agent = await factory.SignedInAsync(DemoDataGenerator.AgentUserNames[0]);
        foreach (var path in new[] { "/reports/sla", "/reports/sla.csv", "/reports/sla-agents.csv", "/reports/remedies", "/reports/remedies.csv" })
        {
            var response = await agent.GetAsync(path);
            Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/account/denied", response.Headers.Location!.PathAndQuery);
        }

        foreach (var user in new[] { "maria", "admin" })
        {
            var client = await factory.SignedInAsync(user);
            var sla = await client.GetStringAsync("/reports/sla");
            Assert.Contains("id=\"sla-chart\"", sla);
            Assert.Contains("href=\"/reports/remedies\"", sla);
            Assert.Matches("id=\"reading\">Resolutions were on time [^<]{20,}<", sla);
            var remedies = await client.GetStringAsync("/reports/remedies");
            Assert.Contains("id=\"remedies-chart\"", remedies);
            Assert.Matches("id=\"reading\">[^<]{3,} keeps customers best: [^<]{2,} bought again after it[^<]{20,}<", remedies);
        }
    }

    [StorageTheory]
    [InlineData("", "")]
    [InlineData("?period=week", "period=week")]
    public async Task SlaPage_TablesMatchTheirCsvs_AndTheFiltersTravelToThem(string query, string period)
    {
        var manager = await factory.SignedInAsync("maria");

        var page = await manager.GetStringAsync("/reports/sla" + query);
        var csv = Lines(await manager.GetStringAsync("/reports/sla.raw.csv" + query));
        var agents = Lines(await manager.GetStringAsync("/reports/sla-agents.raw.csv" + query));

        // The page has one line per period with the severities side by side; the CSV one per period and severity.
        var rows = SlaRow().Matches(page).SelectMany(m => new[]
        {
            (m.Groups["period"].Value, "Minor", m.Groups["minorFirst"].Value, m.Groups["minorResolution"].Value),
            (m.Groups["period"].Value, "Major", m.Groups["majorFirst"].Value, m.Groups["majorResolution"].Value),
        }).ToList();
        Assert.NotEmpty(rows);
        var lines = csv.Skip(1).Select(l => l.Split(',')).Select(f => (f[0], f[2], Percent(f[4], f[5]), Percent(f[7], f[8]))).ToList();
        var keys = lines.Select(l => (l.Item1, l.Item2)).ToHashSet();
        Assert.Equal(lines, rows.Where(r => keys.Contains((r.Item1, r.Item2))));
        Assert.All(rows.Where(r => !keys.Contains((r.Item1, r.Item2))), r => Assert.Equal(("", ""), (r.Item3, r.Item4))); // no complaint of that severity then
        Assert.Equal(AgentRow().Matches(page).Select(m => (m.Groups["agent"].Value, m.Groups["first"].Value)),
            agents.Skip(1).Select(l => l.Split(',')).Select(f => (f[0].Trim('"'), Percent(f[2], f[3]))));

        var filtered = await manager.GetStringAsync("/reports/sla?level=Basic&tenure=New" + query.Replace('?', '&'));
        Assert.Contains("sla.csv?level=Basic&amp;tenure=New" + (period.Length > 0 ? "&amp;" + period : "\""), filtered);
        Assert.Contains("sla-agents.csv?level=Basic&amp;tenure=New\"", filtered);
        Assert.Contains("<option value=\"New\" selected=\"selected\">", filtered);
    }

    [StorageFact]
    public async Task SlaPage_ByDefault_HasAMonthALine_AndTheAgentsTableBeforeTheChart()
    {
        var manager = await factory.SignedInAsync("maria");

        var byMonth = await manager.GetStringAsync("/reports/sla");
        var byWeek = await manager.GetStringAsync("/reports/sla?period=week");

        // The demo desk spans two years: some 105 weeks, 25 months (26 when the first and last weeks' Thursdays spill over).
        var months = SlaRow().Matches(byMonth).Select(m => m.Groups["period"].Value).ToList();
        var weeks = SlaRow().Matches(byWeek).Select(m => m.Groups["period"].Value).ToList();
        Assert.True(weeks.Count > 100, $"{weeks.Count} weeks");
        Assert.InRange(months.Count, 20, 26);
        Assert.All(months, m => Assert.Matches("^\\d{4}-\\d{2}$", m));
        Assert.Equal(months, weeks.Select(w => SlaReport.MonthOf(DateOnly.FromDateTime(ISOWeek.ToDateTime(int.Parse(w[..4], CultureInfo.InvariantCulture),
            int.Parse(w[6..], CultureInfo.InvariantCulture), DayOfWeek.Monday))).ToString("yyyy-MM", CultureInfo.InvariantCulture)).Distinct());
        Assert.Contains("<option value=\"month\" selected=\"selected\">", byMonth);
        Assert.Contains("<option value=\"week\" selected=\"selected\">", byWeek);
        foreach (var page in new[] { byMonth, byWeek })
        {
            var agents = page.IndexOf("id=\"sla-agents-table\"", StringComparison.Ordinal);
            Assert.InRange(agents, 0, page.IndexOf("id=\"sla-chart\"", StringComparison.Ordinal));
            Assert.True(agents < page.IndexOf("id=\"sla-table\"", StringComparison.Ordinal), "the agents' table comes before the period table");
        }
    }

    [StorageFact]
    public async Task RemediesPage_TableMatchesTheCsv_AndTheRecoveryReportsRemedyTable()
    {
        var manager = await factory.SignedInAsync("maria");

        var page = await manager.GetStringAsync("/reports/remedies");
        var csv = Lines(await manager.GetStringAsync("/reports/remedies.raw.csv"));
        var recovery = Lines(await manager.GetStringAsync("/reports/recovery-remedies.raw.csv"));

        var rows = RemedyRow().Matches(page).Select(m => (m.Groups["remedy"].Value, m.Groups["rate"].Value, m.Groups["cost"].Value)).ToList();
        Assert.True(rows.Count >= 3, "the demo desk gives several remedies");
        var fields = csv.Skip(1).Select(l => Regex.Replace(l, "\"[^\"]*\"", "name").Split(',')).ToList();
        Assert.Equal(rows, fields.Select(f => (f[0], Percent(long.Parse(f[3], CultureInfo.InvariantCulture), long.Parse(f[3], CultureInfo.InvariantCulture) + long.Parse(f[4], CultureInfo.InvariantCulture)), f[10])));
        // The same complaints as the recovery report's remedy table, only not split by what was asked for.
        var byRemedy = recovery.Skip(1).Select(l => Regex.Replace(l, "\"[^\"]*\"", "name").Split(','))
            .GroupBy(f => f[0]).ToDictionary(g => g.Key, g => (g.Sum(f => long.Parse(f[3], CultureInfo.InvariantCulture)), g.Sum(f => long.Parse(f[4], CultureInfo.InvariantCulture)), g.Sum(f => long.Parse(f[8], CultureInfo.InvariantCulture))));
        Assert.Equal(byRemedy, fields.ToDictionary(f => f[0], f => (long.Parse(f[3], CultureInfo.InvariantCulture), long.Parse(f[3], CultureInfo.InvariantCulture) + long.Parse(f[4], CultureInfo.InvariantCulture), long.Parse(f[5], CultureInfo.InvariantCulture))));
    }

    [StorageTheory]
    [InlineData("/reports/sla", "服务时限与团队")]
    [InlineData("/reports/remedies", "哪些补救留住了顾客")]
    public async Task Pages_InChinese_HaveNoEnglishLeftovers(string path, string title)
    {
        var manager = await factory.SignedInAsync("maria");
        await manager.GetAsync("/language?culture=zh-CN&returnUrl=/");

        var page = await manager.GetStringAsync(path);

        Assert.Contains(title, page);

        EnglishLeftovers.AssertNone(page, new HashSet<string> { "Desk", "English", "CSV", "Excel", "ISO", "Wilson" }, ["maria", .. DemoDataGenerator.AgentUserNames, "admin"]);
    }

    private static string[] Lines(string csv) => csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The rate as the page computes it, from the CSV's counts (its four-decimal rate, rounded again, can differ in the last digit).</summary>
    private static string Percent(string met, string measured) => Percent(long.Parse(met, CultureInfo.InvariantCulture), long.Parse(measured, CultureInfo.InvariantCulture));

    private static string Percent(long met, long measured) =>
        measured == 0 ? "" : Math.Round((double)met / measured * 100, 1).ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("data-period=\"(?<period>[0-9W-]+)\" data-minor-first=\"(?<minorFirst>[0-9.]*)\" data-minor-resolution=\"(?<minorResolution>[0-9.]*)\"\\s+data-major-first=\"(?<majorFirst>[0-9.]*)\" data-major-resolution=\"(?<majorResolution>[0-9.]*)\"")]
    private static partial Regex SlaRow();

    [GeneratedRegex("data-agent=\"(?<agent>[^\"]*)\" data-first=\"(?<first>[0-9.]*)\"")]
    private static partial Regex AgentRow();

    [GeneratedRegex("data-remedy=\"(?<remedy>\\d+)\" data-rate=\"(?<rate>[0-9.]*)\" data-cost-per-kept=\"(?<cost>[0-9.]*)\"")]
    private static partial Regex RemedyRow();
}

public sealed class SlaAndRemediesPageTestsOnSqlite(DeskWebFactory factory) : SlaAndRemediesPageTests(factory), IClassFixture<DeskWebFactory>;

public sealed class SlaAndRemediesPageTestsOnPostgres(PostgresDesk factory) : SlaAndRemediesPageTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

public sealed class SlaReportTestsOnSqlite() : SlaReportTests(DatabaseProvider.Sqlite);

public sealed class SlaReportTestsOnPostgres() : SlaReportTests(DatabaseProvider.Postgres), IRunsOnPostgres;

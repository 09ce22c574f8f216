using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Desk.Domain.Customers;
using Desk.Domain.FollowUps;
using Desk.Domain.Loyalty;
using Desk.Domain.Orders;
using Desk.Domain.Recovery;
using Desk.Domain.Tickets;
using Desk.Seed;
using Desk.Tests.Support;
using Desk.Web.Data;
using Desk.Web.Features.Customers;
using Desk.Web.Features.Reports;
using Desk.Web.Features.Reports.Downloads;
using Desk.Web.Features.Reports.Recovery;
using Desk.Web.Features.Reports.ThreeFaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Desk.Tests.Reports;

/// <summary>
/// The three faces report on a dozen hand-made customers, worked out by hand (window 90 days, now = start + 200 days;
/// every complaint minor and resolved three minutes after it came in; the survey sent an hour after, answered two days after):
/// <code>
///   ticket  customer  cause  survey                          outcome handling intention  bought again
///   ta      a         51     answered                          5       4        5         yes (next day)
///   tb      b         51     answered                          5       5        2         no  (satisfied, and gone)
///   tc      c         11     answered                          2       3        1         yes (day 10)
///   td      d         11     sent, never answered              —       —        —         (response rate only)
///   te1     e         51     answered                          4       4        4         yes (day 20)
///   te2     e (again) 21     answered                          3       2        3         yes (the same order)
///   tp      p         21     answered, window open             4       4        5         pending: in the means, in no rate
///   tq      q         51     planned, not sent yet             — left out entirely —
///   tr      r         51     a question, answered 1/1/1        — left out: not a complaint —
/// </code>
/// Loyalty classes from the six buying customers' orders (n = 6, so a score is its rank, ties sharing the lowest, capped at 5):
/// <code>
///          orders (from start: amount)        count spent  R  F  M   class (loyal: R+F ≥ 7; high sales: M ≥ 4)
///   a      −30 d: 40, +1 d: 10                  2     50   2  5  3   loyal · low sales
///   b      −10 d: 300                           1    300   1  1  5   not loyal · high sales
///   c      +10 d: 20                            1     20   3  1  2   not loyal · low sales
///   e      −60 d, +20 d, +150 d: 80 each        3    240   4  5  4   loyal · high sales
///   p      +170 d: 500                          1    500   5  1  5   not loyal · high sales
///   k      +199 d: 5 (no complaint)             1      5   5  1  1   —
///   d, q, r  no orders                                               no purchases yet
/// </code>
/// </summary>
public abstract class ThreeFacesFixtureTests(DatabaseProvider provider) : IDisposable
{
    private static readonly DateTime Start = new(2026, 5, 4, 8, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Now = Start.AddDays(200);
    private readonly TestDatabase _database = new(provider);

    public void Dispose() => _database.Dispose();

    [StorageFact]
    public async Task Report_OnHandMadeCustomers_GivesTheWorkedOutAnswers()
    {
        await using (var db = _database.NewContext())
        {
            Customer C(string name) { var c = new Customer($"{name}@example.com", name, Start.AddYears(-1)); db.Customers.Add(c); return c; }
            var (a, b, c, d, e, p, q, r, k) = (C("a"), C("b"), C("c"), C("d"), C("e"), C("p"), C("q"), C("r"), C("k"));
            db.SaveChanges();
            var ta = TicketInState.Complaint(a, Start);
            var tb = TicketInState.Complaint(b, Start);
            var tc = TicketInState.Complaint(c, Start, rootCause: 11);
            var td = TicketInState.Complaint(d, Start, rootCause: 11);
            var te1 = TicketInState.Complaint(e, Start);
            var te2 = TicketInState.Complaint(e, Start.AddDays(3), rootCause: 21, previousComplaintAt: Start);
            var tp = TicketInState.Complaint(p, Now.AddDays(-5), rootCause: 21);
            var tq = TicketInState.Complaint(q, Start);
            var tr = TicketInState.Complaint(r, Start, kind: TicketKind.Question);
            db.Tickets.AddRange(ta, tb, tc, td, te1, te2, tp, tq, tr);
            db.SaveChanges();

            Survey Sent(Ticket t)
            {
                var survey = new Survey(t.Id, t.CustomerId, "en", t.ResolvedAt!.Value.AddHours(1), t.ResolvedAt.Value);
                survey.Send(t.ResolvedAt.Value.AddHours(1), TimeSpan.FromDays(14));
                db.Surveys.Add(survey);
                return survey;
            }
            void Answered(Ticket t, int outcome, int handling, int intention, params int[] servqual) => Sent(t).Answer(
                new SurveyAnswer(outcome, handling, intention, true, null,
                    servqual.Length > 0 ? servqual[0] : null, servqual.Length > 0 ? servqual[1] : null, servqual.Length > 0 ? servqual[2] : null,
                    servqual.Length > 0 ? servqual[3] : null, servqual.Length > 0 ? servqual[4] : null),
                t.ResolvedAt!.Value.AddDays(2));
            Answered(ta, 5, 4, 5, 5, 4, 4, 5, 3);
            Answered(tb, 5, 5, 2, 4, 4, 5, 5, 4);
            Answered(tc, 2, 3, 1);
            Sent(td);
            Answered(te1, 4, 4, 4, 3, 2, 4, 4, 4);
            Answered(te2, 3, 2, 3);
            Answered(tp, 4, 4, 5);
            db.Surveys.Add(new Survey(tq.Id, q.Id, "en", Now.AddDays(1), Now)); // planned, not sent
            Answered(tr, 1, 1, 1, 1, 1, 1, 1, 1);

            db.Orders.AddRange(
                new Order("A-0", a.Id, Start.AddDays(-30), 40m, null, null), new Order("A-1", a.Id, ta.ResolvedAt!.Value.AddDays(1), 10m, null, null),
                new Order("B-0", b.Id, Start.AddDays(-10), 300m, null, null),
                new Order("C-0", c.Id, Start.AddDays(10), 20m, null, null),
                new Order("E-0", e.Id, Start.AddDays(-60), 80m, null, null), new Order("E-1", e.Id, Start.AddDays(20), 80m, null, null),
                new Order("E-2", e.Id, Start.AddDays(150), 80m, null, null),
                new Order("P-0", p.Id, Start.AddDays(170), 500m, null, null),
                new Order("K-0", k.Id, Start.AddDays(199), 5m, null, null));
            db.SaveChanges();
            await new LoyaltyScoring(db, new FakeTimeProvider(Now), Options.Create(LoyaltyThresholds.Default)).RecomputeAsync("manual");
        }

        await using var read = _database.NewContext();
        var query = new ThreeFacesQuery(read, new FakeTimeProvider(Now), LoyaltyThresholds.Default);
        var result = await query.RunAsync(new RecoveryFilter(), CancellationToken.None);

        // Total: 7 sent (tq not sent yet, tr not a complaint), 6 answered; tp's scores count, its outcome is pending.
        AssertRow(result.Total, 7, 6, 23 / 6.0, 22 / 6.0, 20 / 6.0, new Proportion(4, 5), pending: 1);
        Assert.Equal(6 / 7.0, result.Total.ResponseRate!.Value, 10);

        var classes = result.Classes.ToDictionary(x => Enum.Parse<LoyaltyClass>(x.Key));
        Assert.Equal(Enum.GetValues<LoyaltyClass>().Length, classes.Count);                      // every class has a row
        AssertRow(classes[LoyaltyClass.LoyalHighSales], 2, 2, 3.5, 3.0, 3.5, new Proportion(2, 2), 0);   // e's two complaints
        AssertRow(classes[LoyaltyClass.LoyalLowSales], 1, 1, 5, 4, 5, new Proportion(1, 1), 0);          // a
        AssertRow(classes[LoyaltyClass.NotLoyalHighSales], 2, 2, 4.5, 4.5, 3.5, new Proportion(0, 1), 1); // b gone; p pending
        AssertRow(classes[LoyaltyClass.NotLoyalLowSales], 1, 1, 2, 3, 1, new Proportion(1, 1), 0);       // c
        AssertRow(classes[LoyaltyClass.NoPurchases], 1, 0, null, null, null, new Proportion(0, 0), 0);   // d: sent, never answered
        Assert.Equal("Loyal · high sales", classes[LoyaltyClass.LoyalHighSales].Name);
        Assert.Null(result.MostSatisfiedClass); // no class has five measured answers: no reading yet

        var causes = result.Causes.ToDictionary(x => x.Key);
        Assert.Equal(["50", "20", "10"], result.Causes.Select(x => x.Key)); // most answered first
        AssertRow(causes["50"], 3, 3, 14 / 3.0, 13 / 3.0, 11 / 3.0, new Proportion(2, 3), 0);
        AssertRow(causes["10"], 2, 1, 2, 3, 1, new Proportion(1, 1), 0);
        AssertRow(causes["20"], 2, 2, 3.5, 3, 4, new Proportion(1, 1), 1);

        Assert.Equal(["2026-05", "2026-11"], result.Months.Select(m => m.Key));
        var may = result.Months[0];
        Assert.Equal((6L, 5L), (may.Sent, may.Answered));
        Assert.Equal(4.0, may.Reliability!.Value, 10);        // (5 + 4 + 3) / 3: left-out dimensions are not zeros
        Assert.Equal(10 / 3.0, may.Responsiveness!.Value, 10);
        Assert.Equal(13 / 3.0, may.Assurance!.Value, 10);
        Assert.Equal(14 / 3.0, may.Empathy!.Value, 10);
        Assert.Equal(11 / 3.0, may.Tangibles!.Value, 10);
        Assert.Null(result.Months[1].Reliability);

        // The repurchase outcome is the recovery matrix's: its pending count and rate for the same complaints agree.
        var matrix = await new RecoveryMatrixQuery(read, new FakeTimeProvider(Now)).RunAsync(new RecoveryFilter(), CancellationToken.None);
        Assert.Equal(1, matrix.Cell(Severity.Minor, RecoveryColumn.ResolvedWithinTarget).Pending);

        // From the day after the start: only e's second complaint and p's.
        var later = await query.RunAsync(new RecoveryFilter(Start.AddDays(1)), CancellationToken.None);
        AssertRow(later.Total, 2, 2, 3.5, 3, 4, new Proportion(1, 1), 1);

        var csv = ReportFile.RawCsv(ThreeFacesController.Table(result)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1 + 1 + 5 + 3 + 2, csv.Length);
        Assert.StartsWith("section,key,name,sent,answered,response_rate,outcome_satisfaction", csv[0]);
        Assert.StartsWith("Total,,\"\",7,6,0.8571,3.8333,3.6667,3.3333,4,5,0.8000,", csv[1]);
    }

    private static void AssertRow(FacesRow row, long sent, long answered, double? outcome, double? handling, double? intention, Proportion bought, long pending)
    {
        Assert.Equal((sent, answered, bought, pending), (row.Sent, row.Answered, row.Repurchased, row.Pending));
        foreach (var (expected, actual) in new[] { (outcome, row.OutcomeSatisfaction), (handling, row.HandlingSatisfaction), (intention, row.Intention) })
        {
            if (expected is null) Assert.Null(actual);
            else Assert.Equal(expected.Value, actual!.Value, 10);
        }
    }
}

/// <summary>
/// The report on generated demo data (surveys included): its parts add up, its repurchase outcome is the ticket page's
/// judged ticket by ticket, and its loyalty class in SQL is the C# rule's for every customer.
/// </summary>
public abstract class ThreeFacesGeneratedDeskTests : IDisposable
{
    private readonly TestDatabase _database;

    protected ThreeFacesGeneratedDeskTests(DatabaseProvider provider)
    {
        _database = new TestDatabase(provider);
        Desk.Tests.Seed.GeneratedDesk.Generate(_database, 3_000, seed: 11, Desk.Tests.Seed.GeneratedDesk.Now);
    }

    public void Dispose() => _database.Dispose();

    [StorageFact]
    public async Task Report_OnGeneratedDesk_PartsAddUp_OutcomesMatchTheTicketPage_ClassesMatchTheRules()
    {
        var now = Desk.Tests.Seed.GeneratedDesk.Now;
        await using var db = _database.NewContext();
        await new LoyaltyScoring(db, new FakeTimeProvider(now), Options.Create(LoyaltyThresholds.Default)).RecomputeAsync("manual");

        var result = await new ThreeFacesQuery(db, new FakeTimeProvider(now), LoyaltyThresholds.Default).RunAsync(new RecoveryFilter(), CancellationToken.None);

        Assert.True(result.Total.Answered > 300, $"only {result.Total.Answered} answers");
        foreach (var parts in new[] { result.Classes, result.Causes, result.Months })
            Assert.Equal((result.Total.Sent, result.Total.Answered, result.Total.Repurchased, result.Total.Pending),
                (parts.Sum(p => p.Sent), parts.Sum(p => p.Answered), new Proportion(parts.Sum(p => p.Repurchased.Successes), parts.Sum(p => p.Repurchased.N)), parts.Sum(p => p.Pending)));
        Assert.True(result.Classes.Count(c => c.Answered > 0) >= 4, "answers from most classes");

        // Ticket by ticket, the slow way: every answered complaint judged as its page judges it.
        var answered = db.Surveys.Where(s => s.AnsweredAt != null).Select(s => s.TicketId).ToHashSet();
        var judged = new List<RepurchaseState>();
        foreach (var ticket in db.Tickets.Where(t => t.Kind == TicketKind.Complaint).ToList().Where(t => answered.Contains(t.Id)))
            if (await TicketOutcome.ForAsync(db, ticket, now, CancellationToken.None) is { } outcome) judged.Add(outcome.State);
        Assert.Equal(result.Total.Answered, judged.Count);
        Assert.Equal(new Proportion(judged.Count(s => s == RepurchaseState.Repurchased), judged.Count(s => s != RepurchaseState.Pending)), result.Total.Repurchased);
        Assert.Equal(judged.Count(s => s == RepurchaseState.Pending), result.Total.Pending);

        // The class in SQL is LoyaltyRules.ClassOf, for the shipped thresholds and for others.
        foreach (var thresholds in new[] { LoyaltyThresholds.Default, new LoyaltyThresholds { HighLoyaltyMinScore = 5, HighSalesMinScore = 3 } })
        {
            var rules = db.CustomerLoyalty.AsEnumerable().ToDictionary(l => l.CustomerId, l => LoyaltyRules.ClassOf(l.ToProfile(), thresholds).ToString());
            var connection = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"""SELECT l."CustomerId", {ThreeFacesQuery.LoyaltyClassSql} FROM "CustomerLoyalty" AS l""";
            foreach (var (name, value) in new[] { ("@highLoyalty", thresholds.HighLoyaltyMinScore), ("@highSales", thresholds.HighSalesMinScore) })
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value;
                command.Parameters.Add(parameter);
            }
            var sql = new Dictionary<long, string>();
            await using (var reader = await command.ExecuteReaderAsync())
                while (await reader.ReadAsync()) sql[reader.GetInt64(0)] = reader.GetString(1);
            Assert.True(rules.Count > 1_000);
            Assert.Equal(rules.OrderBy(r => r.Key), sql.OrderBy(r => r.Key));
            Assert.True(rules.Values.Distinct().Count() == 4, "every buying class occurs");
        }
    }
}

/// <summary>The three faces report through the real app (demo data, surveys included).</summary>
public abstract partial class ThreeFacesPageTests(DeskWebFactory factory)
{
    [StorageFact]
    public async Task Report_Agent_IsDenied_AndTheMenuDoesNotOfferIt()
    {
        var agent = await factory.SignedInAsync(DemoDataGenerator.AgentUserNames[0]);

        foreach (var path in new[] { "/reports/three-faces", "/reports/three-faces.csv" })
        {
            var response = await agent.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/account/denied", response.Headers.Location!.PathAndQuery);
        }
        Assert.DoesNotContain("/reports/three-faces", await agent.GetStringAsync("/"));
    }

    [StorageFact]
    public async Task Report_Manager_SeesTablesChartsAndReading_AndTheCsvHasTheSameNumbers()
    {
        var manager = await factory.SignedInAsync("maria");

        var page = await manager.GetStringAsync("/reports/three-faces");
        var csv = await manager.GetStringAsync("/reports/three-faces.raw.csv");

        Assert.Contains("id=\"faces-chart\"", page);
        Assert.Contains("id=\"servqual-chart\"", page);
        Assert.Contains("/lib/chart.js/chart.umd.min.js", page);
        Assert.Contains("href=\"/reports/three-faces\">Three faces of loyalty", page); // the tab, from the other reports too
        Assert.Contains("/reports/three-faces\"", await manager.GetStringAsync("/reports/recovery"));
        Assert.Matches("id=\"reading\">[^<]{20,}<", page);
        Assert.Contains("counts in the scores but in no repurchase rate (pending)", page);

        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Select(l => Regex.Replace(l, "\"[^\"]*\"", "name").Split(','))
            .ToDictionary(f => (f[0], f[1]));
        var cells = Cell().Matches(page).ToList();
        Assert.True(cells.Count > 50, $"only {cells.Count} cells");
        foreach (var cell in cells)
        {
            var row = rows[(cell.Groups["section"].Value, cell.Groups["key"].Value)];
            Assert.Equal(row[Array.IndexOf(header, cell.Groups["measure"].Value)], cell.Groups["value"].Value);
        }
        var total = rows[("Total", "")];
        Assert.True(long.Parse(total[Array.IndexOf(header, "answered")], CultureInfo.InvariantCulture) > 10, "the demo desk has answered surveys");
        Assert.InRange(double.Parse(total[Array.IndexOf(header, "response_rate")], CultureInfo.InvariantCulture), 0.15, 0.6);
        Assert.True(long.Parse(total[Array.IndexOf(header, "measured")], CultureInfo.InvariantCulture) > 5, "answers with an ended window");
        Assert.Equal(5, rows.Keys.Count(k => k.Item1 == "LoyaltyClass"));
        Assert.Contains(rows.Keys, k => k.Item1 == "RootCause");
        Assert.Contains(rows.Keys, k => k.Item1 == "Month");
    }

    [StorageFact]
    public async Task Report_FiltersTravelToTheCsv_AndAnEmptySelectionSaysSo()
    {
        var manager = await factory.SignedInAsync("maria");

        var page = await manager.GetStringAsync("/reports/three-faces?from=2001-01-01&to=2001-01-02&level=Basic");

        Assert.Contains("three-faces.csv?from=2001-01-01&amp;to=2001-01-02&amp;level=Basic", page);
        Assert.Contains("Too few answered surveys in this period whose 90-day window has ended to compare the loyalty classes: widen the dates.", page);
        Assert.Contains("data-section=\"Total\" data-key=\"\" data-measure=\"response_rate\" data-value=\"\"", page);
    }

    [StorageFact]
    public async Task Report_InChinese_HasNoEnglishLeftovers()
    {
        var manager = await factory.SignedInAsync("maria");
        await manager.GetAsync("/language?culture=zh-CN&returnUrl=/");

        var page = await manager.GetStringAsync("/reports/three-faces");

        Assert.Contains("忠诚的三个面", page);
        Assert.Contains("不计入任何再次购买率（观察中）", page);
        EnglishLeftovers.AssertNone(page, new HashSet<string> { "Desk", "English", "CSV", "Excel", "SERVQUAL" }, ["maria"]);
    }

    [GeneratedRegex("data-section=\"(?<section>\\w+)\" data-key=\"(?<key>[^\"]*)\" data-measure=\"(?<measure>\\w+)\" data-value=\"(?<value>[^\"]*)\"")]
    private static partial Regex Cell();
}

public sealed class ThreeFacesPageTestsOnSqlite(DeskWebFactory factory) : ThreeFacesPageTests(factory), IClassFixture<DeskWebFactory>;

public sealed class ThreeFacesPageTestsOnPostgres(PostgresDesk factory) : ThreeFacesPageTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

public sealed class ThreeFacesFixtureTestsOnSqlite() : ThreeFacesFixtureTests(DatabaseProvider.Sqlite);

public sealed class ThreeFacesFixtureTestsOnPostgres() : ThreeFacesFixtureTests(DatabaseProvider.Postgres), IRunsOnPostgres;

public sealed class ThreeFacesGeneratedDeskTestsOnSqlite() : ThreeFacesGeneratedDeskTests(DatabaseProvider.Sqlite);

public sealed class ThreeFacesGeneratedDeskTestsOnPostgres() : ThreeFacesGeneratedDeskTests(DatabaseProvider.Postgres), IRunsOnPostgres;

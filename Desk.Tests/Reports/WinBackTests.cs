using System.Globalization;
using System.Text.Json;
using System.Net;
using System.Text.RegularExpressions;
using Desk.Domain.Customers;
using Desk.Domain.Orders;
using Desk.Domain.Tickets;
using Desk.Seed;
using Desk.Tests.Support;
using Desk.Web.Data;
using Desk.Web.Email.Outbound;
using Desk.Web.Features.Reports;
using Desk.Web.Features.Reports.Downloads;
using Desk.Web.Features.Reports.WinBack;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Desk.Tests.Reports;

public abstract class WinBackQueryTests(DatabaseProvider provider) : IDisposable
{
    private static readonly DateTime Start = new(2026, 5, 4, 8, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Now = Start.AddDays(200);
    private readonly TestDatabase _database = new(provider);

    public void Dispose() => _database.Dispose();

    [StorageFact]
    public async Task List_HasTheQuietCustomersMostValuableFirst_NotThoseWhoCameBackOrAreStillInTheirWindow()
    {
        await using (var db = _database.NewContext())
        {
            Customer C(string n) { var c = new Customer($"{n}@example.com", n, Start.AddYears(-2)); db.Customers.Add(c); return c; }
            var (x, y, z, w) = (C("x"), C("y"), C("z"), C("w"));
            db.SaveChanges();
            db.Tickets.AddRange(TicketInState.Complaint(x, Start), TicketInState.Complaint(y, Start), TicketInState.Complaint(z, Start), TicketInState.Complaint(w, Now.AddDays(-10)));
            db.Orders.AddRange(
                new Order("X-1", x.Id, Start.AddDays(-300), 100m, null, null), new Order("X-2", x.Id, Start.AddDays(-30), 50m, null, null),
                new Order("Y-1", y.Id, Start.AddDays(-30), 500m, null, null), new Order("Y-2", y.Id, Start.AddDays(150), 10m, null, null), // back, late but back
                new Order("Z-1", z.Id, Start.AddDays(-30), 50m, null, null),
                new Order("W-1", w.Id, Start, 900m, null, null));
            db.SaveChanges();
        }

        await using var read = _database.NewContext();
        var query = new WinBackQuery(read, new FakeTimeProvider(Now));
        var all = await query.RunAsync(0m, 100, CancellationToken.None);
        var valuable = await query.RunAsync(100m, 100, CancellationToken.None);

        Assert.Equal([("x", 150m), ("z", 50m)], all.Select(r => (r.Name, r.Value)));
        Assert.Equal(Start.AddDays(-30), all[0].LastOrderAt);
        Assert.Null(all[0].WinBackSentAt);
        Assert.Equal(["x"], valuable.Select(r => r.Name));
        var csv = ReportFile.RawCsv(WinBackController.Table(all)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, csv.Length);
        Assert.EndsWith($",\"x\",\"x@example.com\",150.00,{Start.AddDays(-30):yyyy-MM-dd},\"About x\",", csv[1]);
    }
}

public abstract class WinBackFilterTests(DatabaseProvider provider) : IDisposable
{
    private static readonly DateTime Start = new(2026, 5, 4, 8, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Now = Start.AddDays(200);
    private readonly TestDatabase _database = new(provider);

    public void Dispose() => _database.Dispose();

    [StorageFact]
    public async Task Filters_ChooseAmongLatestComplaints_ByReceiptCustomersLevelAndTenureThen()
    {
        await using (var db = _database.NewContext())
        {
            // Every customer bought 100 a month before their (only or latest) complaint and nothing since.
            Customer C(string n, RelationshipLevel level, int yearsBefore) { var c = new Customer($"{n}@example.com", n, Start.AddYears(-yearsBefore), "en", level); db.Customers.Add(c); return c; }
            var basicOld = C("basic-old", RelationshipLevel.Basic, 3);       // tenure 3 years at its complaint on Start
            var basicNew = C("basic-new", RelationshipLevel.Basic, 0);       // first seen on Start: new
            var proactive = C("proactive", RelationshipLevel.Proactive, 1);  // 1 year: established
            var twice = C("twice", RelationshipLevel.Basic, 3);              // complained on Start and again 30 days later
            db.SaveChanges();
            db.Tickets.AddRange(TicketInState.Complaint(basicOld, Start), TicketInState.Complaint(basicNew, Start), TicketInState.Complaint(proactive, Start),
                TicketInState.Complaint(twice, Start), TicketInState.Complaint(twice, Start.AddDays(30)));
            foreach (var c in new[] { basicOld, basicNew, proactive, twice })
                db.Orders.Add(new Order($"{c.Name}-1", c.Id, Start.AddDays(-30), 100m, null, null));
            db.SaveChanges();
        }

        await using var read = _database.NewContext();
        var query = new WinBackQuery(read, new FakeTimeProvider(Now));
        async Task<string> Names(RecoveryFilter filter) =>
            string.Join(' ', (await query.RunAsync(filter, 0m, 100, CancellationToken.None)).Select(r => r.Name).Order());

        Assert.Equal("basic-new basic-old proactive twice", await Names(new RecoveryFilter()));
        Assert.Equal("basic-new basic-old proactive", await Names(new RecoveryFilter(Start, Start.AddDays(1)))); // twice's latest is later
        Assert.Equal("twice", await Names(new RecoveryFilter(Start.AddDays(29), Start.AddDays(31))));
        Assert.Equal("proactive", await Names(new RecoveryFilter(Level: RelationshipLevel.Proactive)));
        Assert.Equal("basic-new", await Names(new RecoveryFilter(Tenure: TenureBand.New)));
        Assert.Equal("proactive", await Names(new RecoveryFilter(Tenure: TenureBand.Established)));
        Assert.Equal("basic-old twice", await Names(new RecoveryFilter(Level: RelationshipLevel.Basic, Tenure: TenureBand.LongStanding)));
    }
}

public abstract partial class WinBackPageTests(DeskWebFactory factory)
{
    [StorageFact]
    public async Task List_LinksEachQuietCustomerToTheirWinBackMailPreview()
    {
        var manager = await factory.SignedInAsync("maria");
        var page = await manager.GetStringAsync("/reports/win-back");
        var ticketId = long.Parse(FirstRow().Match(page).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Contains($"href=\"/reports/win-back/{ticketId}/mail\"", page); // the preview (Features/WinBackMail), not a send
        Assert.DoesNotContain($"action=\"/reports/win-back/{ticketId}/mail\"", page);
    }

    [StorageFact]
    public async Task Csv_HasTheTablesCustomersAndValues_WithTheSameMinimum()
    {
        var manager = await factory.SignedInAsync("maria");

        var page = await manager.GetStringAsync("/reports/win-back?minimum=50");
        var csv = (await manager.GetStringAsync("/reports/win-back.raw.csv?minimum=50")).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Contains("win-back.csv?minimum=50", page);
        var rows = Regex.Matches(page, "data-ticket=\"(\\d+)\" data-value=\"([0-9.]+)\"").Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();
        Assert.NotEmpty(rows);
        Assert.Equal(rows, csv.Skip(1).Select(l => l.Split(',')).Select(f => (f[0], f[5])));
    }

    [StorageFact]
    public async Task Chart_DrawsTheTop20Only_AndTheTableHasThemAll()
    {
        var manager = await factory.SignedInAsync("maria");
        var page = await manager.GetStringAsync("/reports/win-back");

        var rows = Regex.Matches(page, "data-ticket=\"\\d+\" data-value=\"([0-9.]+)\"").Select(m => decimal.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        var chart = JsonDocument.Parse(Regex.Match(page, "<script type=\"application/json\" id=\"win-back-data\">(.*?)</script>", RegexOptions.Singleline).Groups[1].Value).RootElement;
        var values = chart.GetProperty("values").EnumerateArray().Select(v => v.GetDecimal()).ToList();

        Assert.True(rows.Count > 20, $"the demo desk has {rows.Count} customers gone quiet; the test needs more than 20");
        Assert.Equal(rows.Take(20), values); // the most valuable 20, in the table's order
        Assert.Equal(20, chart.GetProperty("labels").GetArrayLength());
        Assert.Contains($"id=\"win-back-chart-note\">The 20 most valuable of {rows.Count}", page);
    }

    [StorageFact]
    public async Task Agent_IsDenied_TheListAndTheMail()
    {
        var agent = await factory.SignedInAsync(DemoDataGenerator.AgentUserNames[0]);
        Assert.StartsWith("/account/denied", (await agent.GetAsync("/reports/win-back")).Headers.Location!.PathAndQuery);
        Assert.StartsWith("/account/denied", (await agent.GetAsync("/reports/win-back.csv")).Headers.Location!.PathAndQuery);
        var post = await Forms.PostAsync(agent, "/", "/reports/win-back/1/mail", []);
        Assert.NotEqual(HttpStatusCode.OK, post.StatusCode);
        Assert.StartsWith("/account/denied", post.Headers.Location?.PathAndQuery ?? "/account/denied");
    }

    [StorageFact]
    public async Task Page_InChinese_HasNoEnglishLeftovers()
    {
        var manager = await factory.SignedInAsync("maria");
        await manager.GetAsync("/language?culture=zh-CN&returnUrl=/");
        var page = await manager.GetStringAsync("/reports/win-back");
        Assert.Contains("挽回顾客", page);
        var names = NameCell().Matches(page).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        var subjects = SubjectCell().Matches(page).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value).Trim()).ToList();
        EnglishLeftovers.AssertNone(page, new HashSet<string> { "Desk", "English", "CSV", "Excel" }, ["maria", .. names, .. subjects]);
    }

    [GeneratedRegex("data-ticket=\"(\\d+)\"")]
    private static partial Regex FirstRow();

    [GeneratedRegex("<a href=\"/customers/\\d+\">([^<]*)</a>")]
    private static partial Regex NameCell();

    [GeneratedRegex("</a> ([^<]*)\\s*</td>")]
    private static partial Regex SubjectCell();
}

public sealed class WinBackPageTestsOnSqlite(DeskWebFactory factory) : WinBackPageTests(factory), IClassFixture<DeskWebFactory>;

public sealed class WinBackPageTestsOnPostgres(PostgresDesk factory) : WinBackPageTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

public sealed class WinBackQueryTestsOnSqlite() : WinBackQueryTests(DatabaseProvider.Sqlite);

public sealed class WinBackQueryTestsOnPostgres() : WinBackQueryTests(DatabaseProvider.Postgres), IRunsOnPostgres;

public sealed class WinBackFilterTestsOnSqlite() : WinBackFilterTests(DatabaseProvider.Sqlite);

public sealed class WinBackFilterTestsOnPostgres() : WinBackFilterTests(DatabaseProvider.Postgres), IRunsOnPostgres;

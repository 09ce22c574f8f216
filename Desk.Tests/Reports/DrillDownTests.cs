using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Desk.Domain.Customers;
using Desk.Domain.Recovery;
using Desk.Domain.Tickets;
using Desk.Seed;
using Desk.Tests.Support;
using Desk.Web.Features.Reports;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Reports;

/// <summary>
/// Drill-down from the reports to the queue: every count a report links holds the number of tickets the queue shows
/// at its link (the links parsed from the pages), and each new queue filter on its own selects exactly the tickets its
/// definition describes, worked out here from the tickets, customers and orders one by one.
/// </summary>
public abstract partial class DrillDownTests(DeskWebFactory factory)
{
    private static readonly TicketState[] ResolvedStates = [TicketState.Resolved, TicketState.FollowUp, TicketState.Closed];

    [StorageTheory]
    [InlineData("/reports/recovery")]
    [InlineData("/reports/recovery?tenure=Established&level=Basic")]
    [InlineData("/reports/sla?from=2026-08-01&to=2026-10-31")]
    [InlineData("/reports/sla?from=2026-10-01&to=2026-11-23&period=week")]
    [InlineData("/reports/root-causes?from=2026-06-01&to=2026-11-23&severity=Major")]
    [InlineData("/reports/loss-reasons")]
    [InlineData("/reports/remedies?from=2026-01-01&to=2026-11-23")]
    [InlineData("/reports/three-faces")]
    [InlineData("/reports/trends?from=2026-09-01&to=2026-11-23&by=cause")]
    [InlineData("/reports/trends?from=2026-10-26&to=2026-11-23&period=week&by=class")]
    public async Task ReportLinks_EachCountedCell_QueueCountsTheSameTickets(string report)
    {
        var manager = await factory.SignedInAsync("maria");

        var page = await manager.GetStringAsync(report);

        var links = DrillLink().Matches(page).Select(m => (Href: WebUtility.HtmlDecode(m.Groups["href"].Value), Count: long.Parse(m.Groups["count"].Value, CultureInfo.InvariantCulture)))
            .Distinct().ToList();
        Assert.NotEmpty(links);
        Assert.Contains(links, l => l.Count > 0);
        Assert.DoesNotContain("&lt;a class=", page); // a link inside a localized sentence is markup, not text
        Assert.All(links, l => Assert.StartsWith("/?view=all", l.Href));
        foreach (var (href, count) in links)
            Assert.True(count == await QueueCountAsync(manager, href), $"{report}: the cell says {count}, the queue at {href} shows {await QueueCountAsync(manager, href)}");
    }

    [StorageFact]
    public async Task WinBackRows_LinkToTheCustomersTickets()
    {
        var manager = await factory.SignedInAsync("maria");
        var page = await manager.GetStringAsync("/reports/win-back");
        var rows = WinBackRow().Matches(page).Select(m => (Ticket: long.Parse(m.Groups["ticket"].Value, CultureInfo.InvariantCulture), Href: WebUtility.HtmlDecode(m.Groups["href"].Value))).Take(5).ToList();
        Assert.NotEmpty(rows);
        await using var db = factory.Database.NewContext();
        foreach (var (ticket, href) in rows)
        {
            var customer = await db.Tickets.Where(t => t.Id == ticket).Select(t => t.CustomerId).SingleAsync();
            var queue = await manager.GetStringAsync(href);
            Assert.Equal(await db.Tickets.CountAsync(t => t.CustomerId == customer), await QueueCountAsync(manager, href));
            Assert.Contains($"/tickets/{TicketNumber.Format(ticket)}", queue);
        }
    }

    [StorageFact]
    public async Task QueueFilters_EachOnItsOwn_ShowTheTicketsTheyDescribe()
    {
        var agent = await factory.SignedInAsync(DemoDataGenerator.AgentUserNames[0]);
        await using var db = factory.Database.NewContext();
        var now = DeskWebFactory.Now;
        var settings = await db.RecoverySettings.AsNoTracking().SingleOrDefaultAsync() ?? RecoverySettings.Default;
        var tickets = await db.Tickets.AsNoTracking().ToListAsync();
        var customers = await db.Customers.AsNoTracking().ToDictionaryAsync(c => c.Id);
        var orders = (await db.Orders.AsNoTracking().Select(o => new { o.CustomerId, o.PlacedAt }).ToListAsync()).ToLookup(o => o.CustomerId, o => o.PlacedAt);
        var reported = tickets.Where(t => t.Kind == TicketKind.Complaint && t.State != TicketState.Rejected).ToList();
        bool Resolved(Ticket t) => ResolvedStates.Contains(t.State);
        RepurchaseState Outcome(Ticket t)
        {
            var anchor = RepurchaseOutcome.AnchorOf(t);
            var bought = orders[t.CustomerId].Where(at => at > anchor && at <= anchor + settings.RepurchaseWindow).Order().Cast<DateTime?>().FirstOrDefault();
            return RepurchaseOutcome.Of(t, settings.RepurchaseWindow, bought, now).State;
        }
        var remedy = reported.Where(t => Resolved(t) && t.RemedyGivenId is not null).GroupBy(t => t.RemedyGivenId!.Value).OrderByDescending(g => g.Count()).First().Key;
        var product = tickets.Where(t => t.Product is not null).GroupBy(t => t.Product!).OrderByDescending(g => g.Count()).First().Key;
        var customer = reported.GroupBy(t => t.CustomerId).OrderByDescending(g => g.Count()).First().Key;
        var (from, to) = (new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 31));
        var (start, end) = (from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        var established = Tenure.Range(TenureBand.Established);

        var cases = new (string Query, int Expected)[]
        {
            ("from=2026-10-01&to=2026-10-31", tickets.Count(t => t.ReceivedAt >= start && t.ReceivedAt < end)),
            ("from=2026-10-01", tickets.Count(t => t.ReceivedAt >= start)),
            ("to=2026-10-31", tickets.Count(t => t.ReceivedAt < end)),
            ("reported=true", reported.Count),
            ("handled=ComplainedNotResolved", reported.Count(t => !Resolved(t))),
            ("handled=ResolvedLate", reported.Count(t => Resolved(t) && t.ResolvedAt > t.ResolutionDueAt)),
            ("handled=ResolvedWithinTarget", reported.Count(t => Resolved(t) && t.ResolvedAt <= t.ResolutionDueAt)),
            ("firstResponse=Met", reported.Count(t => t.FirstRespondedAt <= t.FirstResponseDueAt)),
            ("firstResponse=Missed", reported.Count(t => t.FirstRespondedAt > t.FirstResponseDueAt || (t.FirstRespondedAt is null && now > t.FirstResponseDueAt))),
            ("firstResponse=Settled", reported.Count(t => t.FirstRespondedAt is not null || now > t.FirstResponseDueAt)),
            ("resolution=Met", reported.Count(t => Resolved(t) && t.ResolvedAt <= t.ResolutionDueAt)),
            ("resolution=Missed", reported.Count(t => Resolved(t) ? t.ResolvedAt > t.ResolutionDueAt : now > t.ResolutionDueAt)),
            ("outcome=BoughtAgain", reported.Count(t => Outcome(t) == RepurchaseState.Repurchased)),
            ("outcome=NotBoughtAgain", reported.Count(t => Outcome(t) == RepurchaseState.NotRepurchased)),
            ("outcome=Pending", reported.Count(t => Outcome(t) == RepurchaseState.Pending)),
            ("level=Basic", reported.Count(t => customers[t.CustomerId].Level == RelationshipLevel.Basic)),
            ("tenure=Established", reported.Count(t => t.ReceivedAt - customers[t.CustomerId].FirstSeenAt is var age && age >= established.From && age < established.To)),
            ($"remedy={remedy}", reported.Count(t => Resolved(t) && t.RemedyGivenId == remedy)),
            ("asked=AsAsked", reported.Count(t => Resolved(t) && t.RemedyGivenId is not null && t.RemedySoughtId == t.RemedyGivenId)),
            ("asked=OtherThanAsked", reported.Count(t => Resolved(t) && t.RemedyGivenId is not null && t.RemedySoughtId is not null && t.RemedySoughtId != t.RemedyGivenId)),
            ("repeat=true", reported.Count(t => t.IsRepeatComplaint)),
            ("repeat=false", reported.Count(t => !t.IsRepeatComplaint)),
            ($"product={Uri.EscapeDataString(product)}", tickets.Count(t => t.Product == product)),
            ($"customer={customer}", tickets.Count(t => t.CustomerId == customer)),
        };
        foreach (var (query, expected) in cases)
        {
            Assert.True(expected > 0, $"{query}: the demo desk has tickets for it");
            Assert.True(expected == await QueueCountAsync(agent, "/?view=all&" + query), $"{query}: expected {expected}, the queue shows {await QueueCountAsync(agent, "/?view=all&" + query)}");
        }
    }

    [StorageFact]
    public async Task Queue_DrillDownFilters_ShowAsChipsThatClearOneAtATime_AndTravelWithTheForm()
    {
        var agent = await factory.SignedInAsync(DemoDataGenerator.AgentUserNames[0]);

        var page = await agent.GetStringAsync("/?view=all&reported=true&from=2026-10-01&to=2026-10-31&handled=ResolvedLate&severity=Major");

        Assert.Contains("data-chip=\"received\"", page);
        Assert.Contains("Received 10/1/2026 – 10/31/2026", page);
        Assert.Contains("data-chip=\"handled\">Resolved late", page);
        Assert.Contains("data-chip=\"reported\"", page);
        // Each chip's ✕ is the same queue without that one filter; the form keeps the others as hidden fields.
        Assert.Contains("href=\"/?view=all&amp;severity=Major&amp;reported=true&amp;handled=ResolvedLate\"", page);
        Assert.Contains("<input type=\"hidden\" name=\"handled\" value=\"ResolvedLate\" />", page);
        var narrower = await QueueCountAsync(agent, "/?view=all&reported=true&from=2026-10-01&to=2026-10-31&handled=ResolvedLate&severity=Major");
        var wider = await QueueCountAsync(agent, "/?view=all&reported=true&from=2026-10-01&to=2026-10-31&severity=Major");
        Assert.True(narrower < wider, $"resolved late ({narrower}) is a part of October's major complaints ({wider})");

        await agent.GetAsync("/language?culture=zh-CN&returnUrl=/");
        var chinese = await agent.GetStringAsync("/?view=all&reported=true&from=2026-10-01&to=2026-10-31&handled=ResolvedLate");
        Assert.Contains("收到于 2026年10月1日 – 2026年10月31日", chinese);
        Assert.Contains("超时解决", chinese);
        EnglishLeftovers.AssertNone(chinese[chinese.IndexOf("id=\"drill-down\"", StringComparison.Ordinal)..chinese.IndexOf("id=\"queue-live\"", StringComparison.Ordinal)],
            new HashSet<string>(), []);
    }

    [StorageFact]
    public async Task Queue_WithoutDrillDownFilters_ShowsNoChipsOrCount_OddValuesAreAPage_AndStrangersSeeNothing()
    {
        var agent = await factory.SignedInAsync(DemoDataGenerator.AgentUserNames[0]);
        var stranger = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var plain = await agent.GetStringAsync("/?view=all&severity=Major");
        var anonymous = await stranger.GetAsync("/?view=all&reported=true&from=2026-10-01&outcome=BoughtAgain");

        Assert.DoesNotContain("id=\"drill-count\"", plain);
        // The widest dates a date input allows, and a value no filter knows, are a page, never an error.
        Assert.Equal(await QueueCountAsync(agent, "/?view=all&reported=true"), await QueueCountAsync(agent, "/?view=all&reported=true&from=0001-01-01&to=9999-12-31"));
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync("/?view=all&handled=Nonsense&outcome=7&from=not-a-day")).StatusCode);
        Assert.DoesNotContain("drill-chip", plain);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/account/login", anonymous.Headers.Location!.PathAndQuery);
    }

    [StorageFact]
    public async Task Queue_DrillDownSavedAsAView_KeepsItsFilters()
    {
        var agent = await factory.SignedInAsync(DemoDataGenerator.AgentUserNames[1]);
        var queue = await agent.GetStringAsync("/?view=all&reported=true&from=2026-10-01&to=2026-10-31&outcome=Pending");
        var token = Regex.Match(queue, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;

        var saved = await agent.PostAsync("/queue/views", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["name"] = "October pending", ["view"] = "all", ["reported"] = "true",
            ["from"] = "2026-10-01", ["to"] = "2026-10-31", ["outcome"] = "Pending",
        }));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("/?view=all&from=2026-10-01&to=2026-10-31&reported=true&outcome=Pending", saved.Headers.Location!.OriginalString);
        Assert.Contains("October pending", await agent.GetStringAsync("/"));
    }

    private static async Task<long> QueueCountAsync(HttpClient client, string href)
    {
        var queue = await client.GetStringAsync(href);
        var count = QueueCount().Match(queue);
        Assert.True(count.Success, $"no count on the queue at {href}");
        return long.Parse(count.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("<a class=\"[^\"]*\\bdrill\\b[^\"]*\" href=\"(?<href>[^\"]+)\" data-drill-count=\"(?<count>\\d+)\"")]
    private static partial Regex DrillLink();

    [GeneratedRegex("id=\"drill-count\" data-total=\"(\\d+)\"")]
    private static partial Regex QueueCount();

    [GeneratedRegex("data-ticket=\"(?<ticket>\\d+)\"[\\s\\S]*?class=\"drill-customer\" href=\"(?<href>[^\"]+)\"")]
    private static partial Regex WinBackRow();
}

public sealed class DrillDownTestsOnSqlite(DeskWebFactory factory) : DrillDownTests(factory), IClassFixture<DeskWebFactory>;

public sealed class DrillDownTestsOnPostgres(PostgresDesk factory) : DrillDownTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

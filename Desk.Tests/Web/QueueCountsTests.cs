using System.Globalization;
using System.Text.RegularExpressions;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Desk.Tests.Web;

/// <summary>The numbers beside the queue's views agree with the tickets, and follow an agent's change at once.</summary>
public abstract partial class QueueCountsTests(DeskWebFactory factory)
{
    [StorageFact]
    public async Task QueuePage_Counts_MatchTheTicketsInEachView()
    {
        var agent = await factory.SignedInAsync("alice");
        var counts = CountsIn(await agent.GetStringAsync("/"));

        await using var db = factory.Database.NewContext();
        var now = DeskWebFactory.Now;
        var open = TicketStates.Open;
        Assert.Equal(await db.Tickets.CountAsync(t => open.Contains(t.State)), counts["open"]);
        Assert.Equal(await db.Tickets.CountAsync(t => open.Contains(t.State) && t.AssignedTo == "alice"), counts["mine"]);
        Assert.Equal(await db.Tickets.CountAsync(t => open.Contains(t.State) && t.AssignedTo == null), counts["unassigned"]);
        Assert.Equal(Math.Min(999, await db.Tickets.CountAsync(t => open.Contains(t.State) && t.ResolutionDueAt < now)), counts["overdue"]);
        Assert.Equal(await db.Tickets.CountAsync(t => t.State == TicketState.FollowUp && t.FollowUpDueAt <= now.AddDays(2)), counts["followups"]);
        foreach (var state in Enum.GetValues<TicketState>())
            Assert.Equal(await db.Tickets.CountAsync(t => t.State == state), counts[state.ToString()]);
        Assert.Equal(await db.Tickets.CountAsync(), counts["all"]);
        Assert.True(counts["open"] > 0 && counts["mine"] > 0, "the demo data should give alice open tickets");
    }

    [StorageFact]
    public async Task Assign_ToMe_AddsOneToMyOpenCount()
    {
        var agent = await factory.SignedInAsync("hiro");
        var before = CountsIn(await agent.GetStringAsync("/"));
        await using var db = factory.Database.NewContext();
        var ticket = await db.Tickets.AsNoTracking().FirstAsync(t => t.State == TicketState.Acknowledged && t.AssignedTo == null);

        var response = await Forms.PostAsync(agent, $"/tickets/{ticket.Number}", $"/tickets/{ticket.Number}/steps/Assign",
            new() { ["Version"] = ticket.Version.ToString(CultureInfo.InvariantCulture), ["Assignee"] = "hiro" });
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);

        var after = CountsIn(await agent.GetStringAsync("/"));
        Assert.Equal((before["mine"] + 1, before["unassigned"] - 1, before["open"]), (after["mine"], after["unassigned"], after["open"]));
        Assert.Equal((before["Acknowledged"] - 1, before["InProgress"] + 1), (after["Acknowledged"], after["InProgress"]));
    }

    [StorageFact]
    public async Task QueuePage_CountChangedPastTheDesk_ShowsWithinTheExpiry()
    {
        var agent = await factory.SignedInAsync("alice");
        var before = CountsIn(await agent.GetStringAsync("/"))["open"];
        await using var db = factory.Database.NewContext();
        var counters = db.Set<Desk.Web.Features.Queue.QueueCounter>().Where(c => c.Key == Desk.Web.Data.QueueCounterKeys.OpenKey);
        await counters.ExecuteUpdateAsync(s => s.SetProperty(c => c.Count, c => c.Count + 5)); // as another SQLite desk's change: no signal here
        try
        {
            await Task.Delay(Desk.Web.Features.Queue.QueueCountsKept.Expiry + TimeSpan.FromMilliseconds(200));
            Assert.Equal(before + 5, CountsIn(await agent.GetStringAsync("/"))["open"]);
        }
        finally
        {
            await counters.ExecuteUpdateAsync(s => s.SetProperty(c => c.Count, c => c.Count - 5));
            await Task.Delay(Desk.Web.Features.Queue.QueueCountsKept.Expiry + TimeSpan.FromMilliseconds(200)); // the other tests see it undone
        }
    }

    [StorageFact]
    public async Task KeptReadings_LaterDeskTimeOrExpiryOrChangeHeard_ReadAgain()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var services = factory.Services;
        var kept = new Desk.Web.Features.Live.KeptReadings<string, int>(TimeSpan.FromSeconds(2), clock,
            services.GetRequiredService<Desk.Web.Data.DeskSignals>(), services.GetRequiredService<Desk.Web.Features.Live.TicketChangeSignal>());
        var reads = 0;
        Task<int> Read() => Task.FromResult(++reads);
        var now = DeskWebFactory.Now;

        Assert.Equal(1, await kept.GetAsync("a", Read, now));
        Assert.Equal(1, await kept.GetAsync("a", Read, now.AddSeconds(1))); // a moment later on the desk's clock: kept
        Assert.Equal(2, await kept.GetAsync("a", Read, now.AddSeconds(-1))); // a clock moved back is not served what was read for later
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(3, await kept.GetAsync("a", Read, now.AddSeconds(-1))); // expired
        Assert.Equal(4, await kept.GetAsync("b", () => { kept.DropAll(); return Read(); }, now)); // a change heard while reading …
        Assert.Equal(5, await kept.GetAsync("b", Read, now)); // … leaves that reading unkept
        Assert.Equal(5, await kept.GetAsync("b", Read, now));
        kept.Forget("b");
        Assert.Equal(6, await kept.GetAsync("b", Read, now));
    }

    private static Dictionary<string, long> CountsIn(string html) =>
        CountBadge().Matches(html).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.EndsWith('+')
            ? 999 : long.Parse(m.Groups[2].Value, NumberStyles.AllowThousands, CultureInfo.GetCultureInfo("en")));

    [GeneratedRegex("data-count=\"(\\w+)\">([0-9,]+\\+?)<")]
    private static partial Regex CountBadge();
}

public sealed class QueueCountsTestsOnSqlite(DeskWebFactory factory) : QueueCountsTests(factory), IClassFixture<DeskWebFactory>;

public sealed class QueueCountsTestsOnPostgres(PostgresDesk factory) : QueueCountsTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

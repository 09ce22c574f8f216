using System.Net;
using System.Text.Json;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Web;

public abstract class ReadOnlyPagesTests(DeskWebFactory factory) : IAsyncLifetime
{
    private HttpClient _client = null!;

    public async Task InitializeAsync() => _client = await factory.SignedInAsync("alice");

    public Task DisposeAsync() => Task.CompletedTask;

    [StorageFact]
    public async Task FirstStart_EmptyDatabase_IsMigratedAndFilledWithDemoData()
    {
        _ = factory.Server; // starts the app
        await using var db = factory.Database.NewContext();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(factory.DemoTickets, await db.Tickets.CountAsync());
        Assert.True(await db.Tickets.MaxAsync(t => t.ReceivedAt) <= DeskWebFactory.Now, "demo data lies in the future of the app's clock");
    }

    [StorageFact]
    public async Task Healthz_MigratedDatabase_ReportsHealthyDatabase()
    {
        var response = await _client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("Healthy", json.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }

    [StorageFact]
    public async Task Queue_DefaultView_ListsNewestOpenTicketsWithBadges()
    {
        await using var db = factory.Database.NewContext();
        var open = new[] { TicketState.New, TicketState.Acknowledged, TicketState.InProgress, TicketState.AwaitingCustomer, TicketState.Escalated };
        var newestOpen = await db.Tickets.Where(t => open.Contains(t.State)).OrderByDescending(t => t.ReceivedAt).FirstAsync();
        var closed = await db.Tickets.Where(t => t.State == TicketState.Closed).OrderByDescending(t => t.ReceivedAt).FirstAsync();

        var html = await _client.GetStringAsync("/");
        Assert.Contains($"/tickets/{newestOpen.Number}", html);
        Assert.DoesNotContain($"/tickets/{closed.Number}\"", html);
        Assert.Contains("badge", html);

        var closedView = await _client.GetStringAsync("/?view=Closed");
        Assert.Contains($"/tickets/{closed.Number}", closedView);
    }

    [StorageFact]
    public async Task Queue_NextPage_ContinuesWithoutRepeatsOrGaps()
    {
        await using var db = factory.Database.NewContext();
        var expected = (await db.Tickets.OrderByDescending(t => t.ReceivedAt).ThenByDescending(t => t.Id).Select(t => t.Id).Take(100).ToListAsync())
            .Select(TicketNumber.Format).ToList();

        var first = await _client.GetStringAsync("/?view=all");
        var next = System.Text.RegularExpressions.Regex.Match(first, "after=([0-9]+-[0-9]+)").Groups[1].Value;
        Assert.NotEmpty(next);
        var second = await _client.GetStringAsync($"/?view=all&after={next}");
        var shown = Numbers(first).Concat(Numbers(second)).ToList();
        Assert.Equal(expected, shown);
    }

    [StorageFact]
    public async Task Queue_SearchByTicketNumber_RedirectsToTheTicket()
    {
        var response = await _client.GetAsync("/?q=d-7");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/tickets/D-000007", response.Headers.Location?.OriginalString);
    }

    [StorageFact]
    public async Task TicketPage_ExistingTicket_ShowsConversationAuditTrailCustomerAndFormsForExactlyThePermittedSteps()
    {
        await using var db = factory.Database.NewContext();
        var ticket = await db.Tickets.Include(t => t.AuditTrail).Include(t => t.Conversation)
            .Where(t => t.State == TicketState.InProgress).FirstAsync();
        var customer = await db.Customers.SingleAsync(c => c.Id == ticket.CustomerId);

        var html = WebUtility.HtmlDecode(await _client.GetStringAsync($"/tickets/{ticket.Number}"));
        Assert.Contains(ticket.Subject, html);
        Assert.Contains(customer.Email, html);
        Assert.Contains(ticket.Conversation.First().Body, html);
        Assert.Equal(ticket.AuditTrail.Count, System.Text.RegularExpressions.Regex.Matches(html, "<td class=\"text-nowrap\" data-label=\"When\"><time datetime=\"20").Count); // one row per entry
        var offered = System.Text.RegularExpressions.Regex.Matches(html, "<details class=\"mb-2\" data-step=\"([A-Za-z]+)\"").Select(m => m.Groups[1].Value);
        Assert.Equal(ticket.AvailableSteps(DeskWebFactory.Now).Select(s => s.ToString()).Order(), offered.Order());
    }

    [StorageTheory]
    [InlineData("/tickets/D-999999")]
    [InlineData("/tickets/not-a-number")]
    [InlineData("/no/such/page")]
    public async Task UnknownTicketOrPage_Answers404Page(string path)
    {
        var response = await _client.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("nothing here", await response.Content.ReadAsStringAsync());
    }

    private static IEnumerable<string> Numbers(string html) =>
        System.Text.RegularExpressions.Regex.Matches(html, "<td class=\"font-monospace\"><a href=\"/tickets/(D-[0-9]+)\"").Select(m => m.Groups[1].Value);
}

public sealed class ReadOnlyPagesTestsOnSqlite(DeskWebFactory factory) : ReadOnlyPagesTests(factory), IClassFixture<DeskWebFactory>;

public sealed class ReadOnlyPagesTestsOnPostgres(PostgresDesk factory) : ReadOnlyPagesTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Desk.Domain.Customers;
using Desk.Domain.Sla;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web.Features.Api;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Api;

/// <summary>GET /api/v1/tickets and /api/v1/tickets/{number} through the real app: filters, keyset paging, ETag, scopes.</summary>
public abstract class TicketsApiTests(DeskWebFactory factory)
{
    private string? _reader;

    private async Task<HttpClient> ReaderAsync() =>
        ApiScopesTests.Api(factory, _reader ??= await ApiScopesTests.CreateKeyAsync(factory, "tickets reader " + Guid.NewGuid().ToString("N")[..6], ApiScopes.TicketsRead));

    /// <summary>Saves a complaint as intake does, through the domain; returns its id.</summary>
    private async Task<long> TicketAsync(string subject, DateTime at, Severity severity = Severity.Minor, Channel channel = Channel.Email, string? note = null)
    {
        await using var db = factory.Database.NewContext();
        var customer = new Customer($"api.{Guid.NewGuid():N}@example.org", "Api Reader", at.AddYears(-1));
        db.Customers.Add(customer);
        await db.SaveChangesAsync();
        var ticket = Ticket.Receive(new TicketIntake(TicketKind.Complaint, channel, severity, subject, "It broke.", null),
            customer, SlaPolicy.Default, RepeatComplaintPolicy.Default, null, at);
        if (note is not null) ticket.AddInternalNote("bob", at.AddMinutes(1), note);
        db.Tickets.Add(ticket);
        await db.SaveChangesAsync();
        return ticket.Id;
    }

    [StorageFact]
    public async Task List_WithFilters_ReturnsOnlyMatchingTickets()
    {
        var at = new DateTime(2031, 3, 1, 9, 0, 0, DateTimeKind.Utc);
        var phoneMajor = await TicketAsync("filter: phone major", at, Severity.Major, Channel.Phone);
        await TicketAsync("filter: phone minor", at, Severity.Minor, Channel.Phone);
        await TicketAsync("filter: old phone major", at.AddYears(-3), Severity.Major, Channel.Phone);
        var api = await ReaderAsync();

        var page = await api.GetFromJsonAsync<JsonElement>("/api/v1/tickets?state=New&severity=major&channel=Phone&updatedSince=2031-03-01T00:00:00Z");

        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([TicketNumber.Format(phoneMajor)], items.Select(i => i.GetProperty("number").GetString()));
        Assert.Equal(("New", "Major", "Phone"), (items[0].GetProperty("state").GetString(), items[0].GetProperty("severity").GetString(), items[0].GetProperty("channel").GetString()));
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next").ValueKind);
    }

    [StorageFact]
    public async Task List_UnknownFilterValue_Is400ProblemNamingTheChoices()
    {
        var response = await (await ReaderAsync()).GetAsync("/api/v1/tickets?severity=huge");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Use one of Minor, Major.", problem.GetProperty("detail").GetString());
    }

    [StorageFact]
    public async Task List_PagedWhileTicketsArrive_VisitsEveryTicketOnce()
    {
        var at = new DateTime(2030, 1, 1, 9, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < 7; i++) await TicketAsync($"paging {i}", at.AddMinutes(i));
        var api = await ReaderAsync();
        List<string> seen = [];
        var added = 0;

        string? next = "/api/v1/tickets?limit=3";
        while (next is not null)
        {
            var page = await api.GetFromJsonAsync<JsonElement>(next);
            var items = page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("number").GetString()!).ToList();
            Assert.InRange(items.Count, 1, 3);
            seen.AddRange(items);
            if (added++ < 3) await TicketAsync($"paging, arrived while reading {added}", at.AddHours(added)); // new tickets while the reader pages
            next = page.GetProperty("next").GetString();
        }

        await using var db = factory.Database.NewContext();
        var all = (await db.Tickets.Select(t => t.Id).ToListAsync()).Select(TicketNumber.Format).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(all, seen.Order(StringComparer.Ordinal));
    }

    [StorageFact]
    public async Task List_ForgedCursor_Is400()
    {
        var response = await (await ReaderAsync()).GetAsync("/api/v1/tickets?after=not-a-cursor!");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [StorageFact]
    public async Task Get_Ticket_HasConversationWithNotesMarkedInternal_AndETagGives304UntilItChanges()
    {
        var id = await TicketAsync("etag ticket", new DateTime(2030, 2, 1, 9, 0, 0, DateTimeKind.Utc), note: "Call the warehouse first.");
        var api = await ReaderAsync();

        var first = await api.GetAsync($"/api/v1/tickets/{TicketNumber.Format(id)}");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var ticket = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("etag ticket", ticket.GetProperty("ticket").GetProperty("subject").GetString());
        var conversation = ticket.GetProperty("conversation").EnumerateArray()
            .Select(e => (e.GetProperty("kind").GetString(), e.GetProperty("body").GetString(), e.GetProperty("public").GetBoolean())).ToList();
        Assert.Equal([("Inbound", "It broke.", true), ("InternalNote", "Call the warehouse first.", false)], conversation);
        var etag = first.Headers.ETag!;

        var again = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/tickets/{id}");
        again.Headers.IfNoneMatch.Add(etag);
        var notModified = await api.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        await using (var db = factory.Database.NewContext())
        {
            var stored = await db.Tickets.SingleAsync(t => t.Id == id);
            stored.AddInternalNote("bob", new DateTime(2030, 2, 1, 10, 0, 0, DateTimeKind.Utc), "Warehouse called.");
            await db.SaveChangesAsync();
        }
        var changed = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/tickets/{TicketNumber.Format(id)}");
        changed.Headers.IfNoneMatch.Add(etag);
        var fresh = await api.SendAsync(changed);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.NotEqual(etag, fresh.Headers.ETag);
    }

    [StorageFact]
    public async Task Get_UnknownTicket_Is404Problem()
    {
        var response = await (await ReaderAsync()).GetAsync("/api/v1/tickets/D-987654321");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [StorageFact]
    public async Task ListAndGet_KeyWithoutTicketsRead_Are403NamingTheScope()
    {
        var shop = ApiScopesTests.Api(factory, await ApiScopesTests.CreateKeyAsync(factory, "tickets, shop only", ApiScopes.OrdersWrite, ApiScopes.TicketsWrite));

        foreach (var path in new[] { "/api/v1/tickets", "/api/v1/tickets/D-000001" })
        {
            var response = await shop.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("This key lacks the scope tickets:read.", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        }
    }

    [StorageFact]
    public async Task OpenApiDocument_HasTheTicketPathsWithTheirScope()
    {
        var document = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/api/openapi.json");

        var paths = document.GetProperty("paths");
        Assert.Equal("tickets:read", paths.GetProperty("/api/v1/tickets").GetProperty("get").GetProperty("x-required-scope").GetString());
        var one = paths.GetProperty("/api/v1/tickets/{number}").GetProperty("get");
        Assert.Equal("tickets:read", one.GetProperty("x-required-scope").GetString());
        Assert.True(one.GetProperty("responses").TryGetProperty("304", out _));
    }
}

public sealed class TicketsApiTestsOnSqlite(DeskWebFactory factory) : TicketsApiTests(factory), IClassFixture<DeskWebFactory>;

public sealed class TicketsApiTestsOnPostgres(PostgresDesk factory) : TicketsApiTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

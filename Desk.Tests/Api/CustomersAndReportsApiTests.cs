using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Desk.Domain.Customers;
using Desk.Domain.Orders;
using Desk.Domain.Sla;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web.Features.Api;
using Desk.Web.Features.Reports.RootCauses;
using Microsoft.Extensions.DependencyInjection;

namespace Desk.Tests.Api;

/// <summary>GET /api/v1/customers and /api/v1/reports/{name} through the real app: the customer page's rows, the report pages' queries.</summary>
public abstract class CustomersAndReportsApiTests(DeskWebFactory factory)
{
    private string? _reader;

    private async Task<HttpClient> ReaderAsync() =>
        ApiScopesTests.Api(factory, _reader ??= await ApiScopesTests.CreateKeyAsync(factory, "customers and reports " + Guid.NewGuid().ToString("N")[..6],
            ApiScopes.CustomersRead, ApiScopes.ReportsRead));

    /// <summary>A customer with two orders, a ticket, and a ticket filed unverified (left out, as on the customer's page).</summary>
    private async Task<(long Id, string Email, string Ticket)> CustomerAsync()
    {
        var at = new DateTime(2030, 6, 1, 9, 0, 0, DateTimeKind.Utc);
        await using var db = factory.Database.NewContext();
        var customer = new Customer($"api.customer.{Guid.NewGuid():N}@example.org", "Api Customer", at.AddYears(-2));
        db.Customers.Add(customer);
        await db.SaveChangesAsync();
        db.Orders.Add(new Order("api-o-" + customer.Id + "-1", customer.Id, at.AddDays(-30), 20m, "Lamp", "Lighting"));
        db.Orders.Add(new Order("api-o-" + customer.Id + "-2", customer.Id, at.AddDays(-3), 35.5m, "Shade", "Lighting"));
        var ticket = Ticket.Receive(new TicketIntake(TicketKind.Complaint, Channel.Email, Severity.Minor, "customer api: flicker", "It flickers.", null),
            customer, SlaPolicy.Default, RepeatComplaintPolicy.Default, null, at);
        var unverified = Ticket.Receive(new TicketIntake(TicketKind.Complaint, Channel.Web, Severity.Minor, "customer api: unverified", "Who am I?", null) { UnverifiedContact = true },
            customer, SlaPolicy.Default, RepeatComplaintPolicy.Default, null, at.AddHours(1));
        db.Tickets.AddRange(ticket, unverified);
        await db.SaveChangesAsync();
        return (customer.Id, customer.Email, ticket.Number);
    }

    [StorageFact]
    public async Task GetCustomer_ById_HasOrdersAndConfirmedTickets()
    {
        var (id, email, number) = await CustomerAsync();

        var customer = await (await ReaderAsync()).GetFromJsonAsync<JsonElement>($"/api/v1/customers/{id}");

        Assert.Equal(email, customer.GetProperty("email").GetString());
        Assert.Equal((2, 55.5m), (customer.GetProperty("orderCount").GetInt32(), customer.GetProperty("lifetimeValue").GetDecimal()));
        Assert.Equal(["api-o-" + id + "-2", "api-o-" + id + "-1"], customer.GetProperty("orders").EnumerateArray().Select(o => o.GetProperty("externalRef").GetString()));
        Assert.Equal([number], customer.GetProperty("tickets").EnumerateArray().Select(t => t.GetProperty("number").GetString()));
        Assert.Equal(1, customer.GetProperty("ticketCount").GetInt32());
    }

    [StorageFact]
    public async Task FindCustomer_ByEmailInAnyCase_IsTheSameCustomer_AndAnUnknownOneIs404()
    {
        var (id, email, _) = await CustomerAsync();
        var api = await ReaderAsync();

        var found = await api.GetFromJsonAsync<JsonElement>($"/api/v1/customers?email={Uri.EscapeDataString(email.ToUpperInvariant())}");
        var unknown = await api.GetAsync("/api/v1/customers?email=nobody.at.all@example.org");
        var wrong = await api.GetAsync("/api/v1/customers?email=not-an-address");

        Assert.Equal(id, found.GetProperty("id").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);
    }

    [StorageFact]
    public async Task GetCustomer_KeyWithoutCustomersRead_Is403()
    {
        var (id, _, _) = await CustomerAsync();
        var other = ApiScopesTests.Api(factory, await ApiScopesTests.CreateKeyAsync(factory, "customers, reports only", ApiScopes.ReportsRead));

        var response = await other.GetAsync($"/api/v1/customers/{id}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("This key lacks the scope customers:read.", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    [StorageFact]
    public async Task GetReport_RootCauses_AreThePagesQueryFiguresForTheSameFilters()
    {
        var api = await ReaderAsync();
        RootCausePareto expected;
        using (var scope = factory.Services.CreateScope())
            expected = await scope.ServiceProvider.GetRequiredService<RootCauseParetoQuery>()
                .RunAsync(new ParetoForm { From = new DateOnly(2025, 1, 1), To = new DateOnly(2026, 12, 31), Severity = Severity.Major }.ToFilter(), CancellationToken.None);

        var report = await api.GetFromJsonAsync<JsonElement>("/api/v1/reports/root-causes?from=2025-01-01&to=2026-12-31&severity=major");

        Assert.True(expected.Total > 0); // the demo desk's complaints: the comparison means something
        Assert.Equal(expected.Rows.Select(r => (r.RootCauseId, r.Complaints)),
            report.GetProperty("rows").EnumerateArray().Select(r => (r.GetProperty("rootCauseId").GetInt32(), r.GetProperty("complaints").GetInt64())));
        Assert.Equal(expected.Total, report.GetProperty("total").GetInt64());
    }

    [StorageFact]
    public async Task GetReport_DashboardSlaRecoveryRemedies_AnswerTheirFigures()
    {
        var api = await ReaderAsync();

        foreach (var (name, property) in new[] { ("dashboard", "flow"), ("sla", "weeks"), ("recovery", "cells"), ("remedies", "rows") })
        {
            var response = await api.GetAsync($"/api/v1/reports/{name}?from=2025-01-01");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty(property, out _), $"{name} has {property}");
        }
    }

    [StorageFact]
    public async Task GetReport_WrongFilter_Is400NamingTheChoices()
    {
        var response = await (await ReaderAsync()).GetAsync("/api/v1/reports/sla?level=Gold");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Partnership", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [StorageFact]
    public async Task GetReport_KeyWithoutReportsRead_Is403()
    {
        var other = ApiScopesTests.Api(factory, await ApiScopesTests.CreateKeyAsync(factory, "reports, customers only", ApiScopes.CustomersRead));

        var response = await other.GetAsync("/api/v1/reports/dashboard");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("This key lacks the scope reports:read.", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    [StorageFact]
    public async Task OpenApiDocument_HasTheCustomerAndReportPathsWithTheirScope()
    {
        var document = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/api/openapi.json");

        var paths = document.GetProperty("paths");
        Assert.Equal("customers:read", paths.GetProperty("/api/v1/customers/{id}").GetProperty("get").GetProperty("x-required-scope").GetString());
        Assert.Equal("customers:read", paths.GetProperty("/api/v1/customers").GetProperty("get").GetProperty("x-required-scope").GetString());
        foreach (var name in new[] { "dashboard", "sla", "recovery", "remedies", "root-causes" })
            Assert.Equal("reports:read", paths.GetProperty($"/api/v1/reports/{name}").GetProperty("get").GetProperty("x-required-scope").GetString());
    }
}

public sealed class CustomersAndReportsApiTestsOnSqlite(DeskWebFactory factory) : CustomersAndReportsApiTests(factory), IClassFixture<DeskWebFactory>;

public sealed class CustomersAndReportsApiTestsOnPostgres(PostgresDesk factory) : CustomersAndReportsApiTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

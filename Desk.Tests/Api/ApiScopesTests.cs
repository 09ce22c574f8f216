using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Desk.Tests.Support;
using Desk.Web.Features.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Desk.Tests.Api;

/// <summary>Scopes on API keys, through the real app: chosen on the admin page, stored on the key, enforced per endpoint.</summary>
public abstract partial class ApiScopesTests(DeskWebFactory factory)
{
    private const string KeysPage = "/admin/api-keys";

    /// <summary>Creates a key on the admin page with the scopes ticked (a form field sent once per tick, as a browser does).</summary>
    public static async Task<HttpResponseMessage> PostNewKeyAsync(DeskWebFactory desk, string name, params string[] scopes)
    {
        var admin = await desk.SignedInAsync("admin");
        var token = await Forms.AntiforgeryTokenAsync(admin, KeysPage);
        List<KeyValuePair<string, string>> fields = [new("__RequestVerificationToken", token), new("name", name), .. scopes.Select(s => new KeyValuePair<string, string>("scopes", s))];
        return await admin.PostAsync(KeysPage, new FormUrlEncodedContent(fields));
    }

    public static async Task<string> CreateKeyAsync(DeskWebFactory desk, string name, params string[] scopes)
    {
        var response = await PostNewKeyAsync(desk, name, scopes);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Secret().Match(await response.Content.ReadAsStringAsync()).Groups[1].Value;
    }

    public static HttpClient Api(DeskWebFactory desk, string key)
    {
        var client = desk.CreateClient(new() { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    [StorageFact]
    public async Task CreateKey_WithSeveralScopes_StoresThemInOrderAndListsThem()
    {
        await CreateKeyAsync(factory, "scopes, several", ApiScopes.CustomersRead, ApiScopes.TicketsRead);

        await using var db = factory.Database.NewContext();
        Assert.Equal("tickets:read customers:read", (await db.ApiKeys.SingleAsync(k => k.Name == "scopes, several")).Scopes);
        var page = await (await factory.SignedInAsync("admin")).GetStringAsync(KeysPage);
        Assert.Contains("data-scopes=\"tickets:read customers:read\"", page, StringComparison.Ordinal);
    }

    [StorageFact]
    public async Task CreateKey_WithoutScope_IsRefusedAndNoKeyIsMade()
    {
        var response = await PostNewKeyAsync(factory, "scopes, none");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Choose at least one thing the key may do.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var db = factory.Database.NewContext();
        Assert.False(await db.ApiKeys.AnyAsync(k => k.Name == "scopes, none"));
    }

    [StorageFact]
    public async Task CreateKey_WithUnknownScope_IsRefused()
    {
        var response = await PostNewKeyAsync(factory, "scopes, unknown", ApiScopes.OrdersWrite, "admin:everything");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        await using var db = factory.Database.NewContext();
        Assert.False(await db.ApiKeys.AnyAsync(k => k.Name == "scopes, unknown"));
    }

    [StorageFact]
    public async Task PostOrders_KeyWithoutOrdersWrite_Is403NamingTheScopeAndImportsNothing()
    {
        var key = await CreateKeyAsync(factory, "scopes, reader", ApiScopes.TicketsRead, ApiScopes.CustomersRead);
        object[] batch = [new { customerEmail = "scope.refused@example.org", externalRef = "scope-1", placedAt = "2026-05-01", amount = 1m }];

        var response = await Api(factory, key).PostAsJsonAsync("/api/orders", batch);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("This key lacks the scope orders:write.", problem.GetProperty("title").GetString());
        Assert.Equal(["orders:write"], problem.GetProperty("missingScopes").EnumerateArray().Select(s => s.GetString()));
        await using var db = factory.Database.NewContext();
        Assert.False(await db.Orders.AnyAsync(o => o.ExternalRef == "scope-1"));
    }

    [StorageFact]
    public async Task ExportCustomer_KeyWithOnlyOrdersWrite_Is403NamingCustomersRead()
    {
        var key = await CreateKeyAsync(factory, "scopes, orders only", ApiScopes.OrdersWrite);

        var response = await Api(factory, key).GetAsync("/api/customers/1/export");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("This key lacks the scope customers:read.", problem.GetProperty("title").GetString());
    }

    [StorageFact]
    public async Task OpenApiDocument_NamesEachOperationsScope()
    {
        var document = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/api/openapi.json");

        var paths = document.GetProperty("paths");
        Assert.Equal("orders:write", paths.GetProperty("/api/orders").GetProperty("post").GetProperty("x-required-scope").GetString());
        var export = paths.GetProperty("/api/customers/{id}/export").GetProperty("get");
        Assert.Equal("customers:read", export.GetProperty("x-required-scope").GetString());
        Assert.Equal(["customers:read"], export.GetProperty("security")[0].GetProperty("ApiKey").EnumerateArray().Select(s => s.GetString()));
        Assert.True(export.GetProperty("responses").TryGetProperty("403", out _));
    }

    /// <summary>The data migration: a key made before scopes existed may send orders, and nothing else.</summary>
    [StorageFact]
    public async Task Migration_KeyMadeBeforeScopes_GetsOrdersWriteOnly()
    {
        using var database = new TestDatabase(StorageProvider.Of(GetType()), migrate: false);
        await using (var db = database.NewContext())
        {
            var all = db.Database.GetMigrations().ToList();
            var scopes = all.FindIndex(m => m.EndsWith("_ApiKeyScopes", StringComparison.Ordinal));
            await db.GetService<IMigrator>().MigrateAsync(all[scopes - 1]);
            var created = new DateTimeOffset(DeskWebFactory.Now).ToUnixTimeMilliseconds(); // times are stored as Unix milliseconds
            await db.Database.ExecuteSqlAsync($"""INSERT INTO "ApiKeys" ("Name", "Prefix", "Hash", "CreatedAt", "CreatedBy") VALUES ('old shop key', 'desk_abcdefg', {new string('a', 64)}, {created}, 'admin')""");
            await db.Database.MigrateAsync();
        }
        await using var after = database.NewContext();
        var key = await after.ApiKeys.SingleAsync(k => k.Name == "old shop key");
        Assert.Equal(["orders:write"], key.ScopeList);
    }

    [GeneratedRegex("id=\"new-key-secret\">(desk_[A-Za-z0-9_-]{43})<")]
    private static partial Regex Secret();
}

public sealed class ApiScopesTestsOnSqlite(DeskWebFactory factory) : ApiScopesTests(factory), IClassFixture<DeskWebFactory>;

public sealed class ApiScopesTestsOnPostgres(PostgresDesk factory) : ApiScopesTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

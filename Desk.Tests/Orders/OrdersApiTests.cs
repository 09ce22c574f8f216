using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Desk.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Orders;

/// <summary>POST /api/orders through the real app: API keys from the admin page, ProblemDetails, idempotent batches, OpenAPI.</summary>
public abstract partial class OrdersApiTests(DeskWebFactory factory)
{
    private const string KeysPage = "/admin/api-keys";

    /// <summary>Creates a key as an admin does, through the page, and returns its secret (shown once) and id.</summary>
    private async Task<(string Secret, long Id)> CreateKeyAsync(string name)
    {
        var admin = await factory.SignedInAsync("admin");
        var response = await Forms.PostAsync(admin, KeysPage, KeysPage, new() { ["name"] = name, ["scopes"] = "orders:write" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var secret = Secret().Match(html).Groups[1].Value;
        await using var db = factory.Database.NewContext();
        var key = await db.ApiKeys.SingleAsync(k => k.Name == name);
        Assert.Equal(secret[..12], key.Prefix);
        Assert.DoesNotContain(secret, await admin.GetStringAsync(KeysPage)); // shown once: the list has the prefix only
        return (secret, key.Id);
    }

    private HttpClient Api(string? key)
    {
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        if (key is not null) client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    private static object[] Batch(string prefix) =>
    [
        new { customerEmail = $"{prefix}.one@example.org", customerName = "Api One", externalRef = $"{prefix}-1", placedAt = "2026-05-01T10:00:00Z", amount = 49.90m, product = "Lamp", category = "Living" },
        new { customerEmail = $"{prefix}.one@example.org", externalRef = $"{prefix}-2", placedAt = "2026-05-02", amount = 5m },
    ];

    [StorageFact]
    public async Task Post_WithoutKey_Is401ProblemDetails()
    {
        var response = await Api(null).PostAsJsonAsync("/api/orders", Batch("nokey"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("An API key is required.", problem.GetProperty("title").GetString());
    }

    [StorageFact]
    public async Task Post_SignedInWithCookieButNoKey_Is401()
    {
        var admin = await factory.SignedInAsync("admin"); // the API never takes the desk's cookie

        var response = await admin.PostAsJsonAsync("/api/orders", Batch("cookie"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [StorageFact]
    public async Task Post_RevokedKey_Is401()
    {
        var (secret, id) = await CreateKeyAsync("revoked test");
        var admin = await factory.SignedInAsync("admin");
        var revoked = await Forms.PostAsync(admin, KeysPage, $"{KeysPage}/{id}/revoke", []);
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);

        var response = await Api(secret).PostAsJsonAsync("/api/orders", Batch("revoked"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await using var db = factory.Database.NewContext();
        Assert.False(await db.Orders.AnyAsync(o => o.ExternalRef == "revoked-1"));
    }

    [StorageFact]
    public async Task Post_GoodBatch_CreatesOnceEvenWhenSentAgain()
    {
        var (secret, _) = await CreateKeyAsync("shop, good batch");
        var api = Api(secret);

        var first = await api.PostAsJsonAsync("/api/orders", Batch("good"));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal((2, 0, 1), Counts(await first.Content.ReadFromJsonAsync<JsonElement>()));

        var again = await api.PostAsJsonAsync("/api/orders", Batch("good"));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal((0, 2, 0), Counts(await again.Content.ReadFromJsonAsync<JsonElement>()));

        await using var db = factory.Database.NewContext();
        Assert.Equal(2, await db.Orders.CountAsync(o => o.ExternalRef.StartsWith("good-")));
        var customer = await db.Customers.SingleAsync(c => c.Email == "good.one@example.org");
        Assert.Equal("Api One", customer.Name);
        Assert.NotNull((await db.ApiKeys.SingleAsync(k => k.Name == "shop, good batch")).LastUsedAt);

        static (int, int, int) Counts(JsonElement r) =>
            (r.GetProperty("created").GetInt32(), r.GetProperty("alreadyImported").GetInt32(), r.GetProperty("newCustomers").GetInt32());
    }

    [StorageFact]
    public async Task Post_BadItem_IsRefusedWholeWithItsIndexInTheProblemDetails()
    {
        var (secret, _) = await CreateKeyAsync("shop, bad batch");
        object[] batch =
        [
            new { customerEmail = "bad.batch@example.org", externalRef = "bad-1", placedAt = "2026-05-01", amount = 10m },
            new { customerEmail = "bad.batch@example.org", externalRef = "bad-2", placedAt = "01/05/2026", amount = -3m },
        ];

        var response = await Api(secret).PostAsJsonAsync("/api/orders", batch);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(422, problem.GetProperty("status").GetInt32());
        var errors = problem.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("index").GetInt32(), e.GetProperty("field").GetString())).ToList();
        Assert.Equal([(1, "placedAt"), (1, "amount")], errors);
        await using var db = factory.Database.NewContext();
        Assert.False(await db.Orders.AnyAsync(o => o.ExternalRef == "bad-1")); // the good one neither: all or nothing
    }

    [StorageFact]
    public async Task Post_AmountAboveOneBillion_IsRefusedWithItsIndex()
    {
        var (secret, _) = await CreateKeyAsync("shop, huge amounts");
        object[] batch =
        [
            new { customerEmail = "huge.amount@example.org", externalRef = "huge-1", placedAt = "2026-05-01", amount = 50000000000000000m },
            new { customerEmail = "huge.amount@example.org", externalRef = "huge-2", placedAt = "2026-05-01", amount = 7.9e28m },
        ];

        var response = await Api(secret).PostAsJsonAsync("/api/orders", batch);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("index").GetInt32(), e.GetProperty("field").GetString())).ToList();
        Assert.Equal([(0, "amount"), (1, "amount")], errors);
        await using var db = factory.Database.NewContext();
        Assert.False(await db.Orders.AnyAsync(o => o.ExternalRef.StartsWith("huge-")));
    }

    [Fact]
    public void Order_AmountAboveOneBillion_IsRefusedByTheDomain()
    {
        var refused = Assert.Throws<Desk.Domain.DomainException>(() => new Desk.Domain.Orders.Order("S-1", 1, DeskWebFactory.Now, 1_000_000_000.01m, null, null));
        Assert.Equal("Order S-1: the amount is at most 1,000,000,000.", refused.Message);
        Assert.Equal(1_000_000_000m, new Desk.Domain.Orders.Order("S-2", 1, DeskWebFactory.Now, 1_000_000_000m, null, null).Amount);
    }

    [StorageFact]
    public async Task Post_NotJson_Is400ProblemDetails()
    {
        var (secret, _) = await CreateKeyAsync("shop, not json");

        var response = await Api(secret).PostAsync("/api/orders", new StringContent("{\"oops\":", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [StorageFact]
    public async Task AdminPages_WithApiKeyInsteadOfCookie_AreNotOpened()
    {
        var (secret, _) = await CreateKeyAsync("shop, pages");

        var response = await Api(secret).GetAsync("/orders/import");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode); // to the sign-in page: a key is no sign-in for pages
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery);
    }

    [StorageFact]
    public async Task OpenApiDocument_ListsTheOrdersEndpointWithItsKey()
    {
        var document = await Api(null).GetFromJsonAsync<JsonElement>("/api/openapi.json");

        var post = document.GetProperty("paths").GetProperty("/api/orders").GetProperty("post");
        Assert.True(post.GetProperty("responses").TryGetProperty("422", out _));
        Assert.Equal("X-Api-Key", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey").GetProperty("name").GetString());
        Assert.Equal(["/api/customers/{id}/export", "/api/orders", "/api/v1/complaints", "/api/v1/customers", "/api/v1/customers/{id}",
                "/api/v1/reports/dashboard", "/api/v1/reports/recovery", "/api/v1/reports/remedies", "/api/v1/reports/root-causes", "/api/v1/reports/sla",
                "/api/v1/tickets", "/api/v1/tickets/{number}", "/api/v1/tickets/{number}/messages", "/api/v1/tickets/{number}/notes",
                "/api/v1/tickets/{number}/steps"], // the pages are not an API
            document.GetProperty("paths").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [StorageFact]
    public async Task KeysPage_InChinese_HasNoEnglishLeftovers()
    {
        var (secret, _) = await CreateKeyAsync("zh page key");
        var admin = await factory.SignedInAsync("admin");

        var html = await admin.GetStringAsync(KeysPage + "?culture=zh-CN");

        Assert.Contains("接口密钥", html);
        await using var db = factory.Database.NewContext();
        var keys = await db.ApiKeys.Select(k => new { k.Name, k.Prefix, k.CreatedBy }).ToListAsync();
        EnglishLeftovers.AssertNone(html, new HashSet<string> { "Desk", "English", "UTC" },
            ["/api/openapi.json", .. Desk.Web.Features.Api.ApiScopes.All, .. keys.Select(k => k.Name), .. keys.Select(k => k.Prefix), .. keys.Select(k => k.CreatedBy)]);
        Assert.DoesNotContain(secret, html);
    }

    [GeneratedRegex("id=\"new-key-secret\">(desk_[A-Za-z0-9_-]{43})<")]
    private static partial Regex Secret();
}

public sealed class OrdersApiTestsOnSqlite(DeskWebFactory factory) : OrdersApiTests(factory), IClassFixture<DeskWebFactory>;

public sealed class OrdersApiTestsOnPostgres(PostgresDesk factory) : OrdersApiTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

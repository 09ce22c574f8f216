using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Desk.Tests.Support;
using Desk.Web.Features.Api;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Api;

/// <summary>The per-key limit through the real app, on two desks sharing one database, and the clean-up of old idempotency claims.</summary>
public abstract class ApiRateLimitTests(DeskWebFactory factory)
{
    [StorageFact]
    public async Task Calls_OverTheLimitAcrossTwoDesks_Are429WithRetryAfterAndDoNothing_UntilTheNextMinute()
    {
        _ = factory.Database; // the first desk migrates and seeds before the others start on the same database
        var key = await ApiScopesTests.CreateKeyAsync(factory, "rate limited " + Guid.NewGuid().ToString("N")[..6], ApiScopes.TicketsRead, ApiScopes.TicketsWrite);
        using var one = factory.WithWebHostBuilder(b => b.UseSetting("Desk:Api:RequestsPerMinute", "3"));
        using var two = factory.WithWebHostBuilder(b => b.UseSetting("Desk:Api:RequestsPerMinute", "3"));
        var (a, b) = (ApiClient(one, key), ApiClient(two, key));
        factory.Clock.SetUtcNow(factory.Clock.GetUtcNow().AddMinutes(1)); // a minute of its own, at its start

        List<HttpResponseMessage> answers = [];
        foreach (var client in new[] { a, b, a, b })
            answers.Add(await client.GetAsync("/api/v1/tickets?limit=1"));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], answers.Select(r => r.StatusCode));
        Assert.Equal(["2", "1", "0"], answers.Take(3).Select(r => r.Headers.GetValues(ApiRateLimit.RemainingHeader).Single()));
        var refused = answers[3];
        Assert.Equal(TimeSpan.FromSeconds(60), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(429, (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.TooManyRequests, (await a.SendAsync(Complaint("rate-refused", "rate: refused"))).StatusCode);
        await using (var db = factory.Database.NewContext())
            Assert.False(await db.Tickets.AnyAsync(t => t.Subject == "rate: refused")); // a refused call does nothing

        factory.Clock.Advance(TimeSpan.FromSeconds(45));
        Assert.Equal(TimeSpan.FromSeconds(15), (await a.GetAsync("/api/v1/tickets?limit=1")).Headers.RetryAfter?.Delta);
        factory.Clock.Advance(TimeSpan.FromSeconds(15)); // the next minute
        Assert.Equal(HttpStatusCode.OK, (await b.GetAsync("/api/v1/tickets?limit=1")).StatusCode);
    }

    [StorageFact]
    public async Task NewMinute_RemovesIdempotencyClaimsOlderThanTheKeptDays_AndKeepsNewerOnes()
    {
        var name = "claims " + Guid.NewGuid().ToString("N")[..6];
        var key = await ApiScopesTests.CreateKeyAsync(factory, name, ApiScopes.TicketsRead);
        var now = factory.Clock.GetUtcNow().UtcDateTime;
        await using (var db = factory.Database.NewContext())
        {
            var keyId = (await db.ApiKeys.SingleAsync(k => k.Name == name)).Id;
            db.ApiIdempotencyRecords.AddRange(new ApiIdempotencyRecord(keyId, "old-claim", new string('0', 64), now.AddDays(-31)),
                new ApiIdempotencyRecord(keyId, "recent-claim", new string('0', 64), now.AddDays(-29)));
            await db.SaveChangesAsync();
        }

        Assert.Equal(HttpStatusCode.OK, (await ApiScopesTests.Api(factory, key).GetAsync("/api/v1/tickets?limit=1")).StatusCode); // this key's first minute

        await using (var db = factory.Database.NewContext())
            Assert.Equal(["recent-claim"], await db.ApiIdempotencyRecords.Where(r => r.Key.EndsWith("-claim")).Select(r => r.Key).ToListAsync());
    }

    private static HttpRequestMessage Complaint(string idempotencyKey, string subject)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/complaints")
        {
            Content = JsonContent.Create(new { email = "rate.limited@example.org", subject, description = "Too many." }),
        };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return request;
    }

    private static HttpClient ApiClient(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> desk, string key)
    {
        var client = desk.CreateClient(new() { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }
}

public sealed class ApiRateLimitTestsOnSqlite(DeskWebFactory factory) : ApiRateLimitTests(factory), IClassFixture<DeskWebFactory>;

public sealed class ApiRateLimitTestsOnPostgres(PostgresDesk factory) : ApiRateLimitTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

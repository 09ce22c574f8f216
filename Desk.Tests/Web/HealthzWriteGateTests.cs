using System.Net;
using Desk.Tests.Support;
using Desk.Web.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Desk.Tests.Web;

/// <summary>
/// /healthz writes to tell an unwritable SQLite file, through the file's write gate; a long write holding the gate (a
/// large import) is a busy database, not a broken one: Degraded, still 200, in seconds.
/// </summary>
public sealed class HealthzWriteGateTests
{
    [Fact]
    public async Task Healthz_WriteGateHeldByALongWrite_AnswersDegradedNotUnhealthy()
    {
        await using var desk = new SessionTests.SmallDesk();
        var client = desk.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        using var scope = desk.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskDbContext>();
        var probe = desk.Services.GetRequiredService<Desk.Web.Health.WriteProbe>();
        probe.Forget(); // the next call probes

        await using (await db.BeginWriteAsync()) // holds the gate, as a long import would
        {
            var response = await client.GetAsync("/healthz");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("\"status\": \"Degraded\"", await response.Content.ReadAsStringAsync());
        }

        probe.Forget();
        Assert.Contains("\"status\": \"Healthy\"", await client.GetStringAsync("/healthz"));
    }

    [Fact]
    public async Task Healthz_CalledAgainWithinTheProbesInterval_DoesNotWriteAgain()
    {
        await using var desk = new SessionTests.SmallDesk();
        var client = desk.CreateClient();
        Assert.Contains("\"status\": \"Healthy\"", await client.GetStringAsync("/healthz")); // probed: a write
        using var scope = desk.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskDbContext>();

        await using (await db.BeginWriteAsync()) // a write now would wait here, and answer Degraded after 5 s
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            for (var i = 0; i < 20; i++)
                Assert.Contains("\"status\": \"Healthy\"", await client.GetStringAsync("/healthz"));
            Assert.True(clock.Elapsed < Desk.Web.Health.WriteProbe.Every, $"20 calls took {clock.Elapsed}: they waited for the write gate");
        }
    }
}

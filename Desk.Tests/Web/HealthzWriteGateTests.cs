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

        await using (await db.BeginWriteAsync()) // holds the gate, as a long import would
        {
            var response = await client.GetAsync("/healthz");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("\"status\": \"Degraded\"", await response.Content.ReadAsStringAsync());
        }

        Assert.Contains("\"status\": \"Healthy\"", await client.GetStringAsync("/healthz"));
    }
}

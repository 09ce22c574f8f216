using System.Net;
using Desk.Tests.Support;

namespace Desk.Tests.Web;

/// <summary>The queue's filter lists are cached, but an admin's change shows at once.</summary>
public abstract class QueueChoicesTests(DeskWebFactory factory)
{
    [StorageFact]
    public async Task RootCauseFilter_AfterAdminAddsTopLevelCause_OffersItOnTheNextQueuePage()
    {
        var agent = await factory.SignedInAsync("alice");
        Assert.DoesNotContain("Packaging waste", await agent.GetStringAsync("/")); // now cached

        var admin = await factory.SignedInAsync("admin");
        var added = await Forms.PostAsync(admin, "/admin/root-causes", "/admin/root-causes", new() { ["Name"] = "Packaging waste" });
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);

        Assert.Contains(">Packaging waste</option>", await agent.GetStringAsync("/"));
    }
}

public sealed class QueueChoicesTestsOnSqlite(DeskWebFactory factory) : QueueChoicesTests(factory), IClassFixture<DeskWebFactory>;

public sealed class QueueChoicesTestsOnPostgres(PostgresDesk factory) : QueueChoicesTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

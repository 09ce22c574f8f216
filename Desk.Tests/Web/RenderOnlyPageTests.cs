using System.Net;
using Desk.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Desk.Tests.Web;

/// <summary>The bench's render-only ceiling page exists only when switched on, and only for signed-in agents.</summary>
public abstract class RenderOnlyPageTests(DeskWebFactory factory)
{
    [StorageFact]
    public async Task RenderOnly_SwitchedOff_IsNotFound()
    {
        var agent = await factory.SignedInAsync("alice");
        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync("/bench/render-only")).StatusCode);
    }

    [StorageFact]
    public async Task RenderOnly_SwitchedOn_RendersTheQueueViewWithFiftyRowsForAgentsOnly()
    {
        using var benchDesk = factory.WithWebHostBuilder(b => b.UseSetting("Desk:Bench:RenderOnly", "true"));
        var anonymous = benchDesk.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync("/bench/render-only")).StatusCode);

        var agent = benchDesk.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var signIn = await Forms.PostAsync(agent, "/account/login", "/account/login",
            new() { ["UserName"] = "alice", ["Password"] = DeskWebFactory.DemoPassword });
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var html = await agent.GetStringAsync("/bench/render-only");
        Assert.Equal(50, System.Text.RegularExpressions.Regex.Matches(html, "<tr data-href=").Count);
        Assert.Contains("Kettle number 50 leaks from the base", html);
    }
}

public sealed class RenderOnlyPageTestsOnSqlite(DeskWebFactory factory) : RenderOnlyPageTests(factory), IClassFixture<DeskWebFactory>;

public sealed class RenderOnlyPageTestsOnPostgres(PostgresDesk factory) : RenderOnlyPageTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

using System.Net;
using Desk.Tests.Support;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Desk.Tests.Web;

public abstract class SecurityTests(DeskWebFactory factory)
{
    [StorageTheory]
    [InlineData("/")]
    [InlineData("/?view=Closed")]
    [InlineData("/tickets/D-000001")]
    [InlineData("/admin/users")]
    [InlineData("/admin/remedies")]
    [InlineData("/workflow")]
    [InlineData("/customers/1")]
    public async Task Page_Anonymous_IsSentToSignInWithTheWayBack(string path)
    {
        var response = await Anonymous().GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/account/login?ReturnUrl={Uri.EscapeDataString(path)}", response.Headers.Location!.PathAndQuery);
    }

    [StorageFact]
    public async Task SignInPageAndHealth_Anonymous_AreServed()
    {
        var client = Anonymous();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/login")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }

    [StorageFact]
    public async Task SignIn_WithoutAntiforgeryToken_IsRefusedWith400()
    {
        var response = await Anonymous().PostAsync("/account/login",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["UserName"] = "alice", ["Password"] = DeskWebFactory.DemoPassword }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [StorageFact]
    public async Task SignOut_WithoutAntiforgeryToken_IsRefusedAndStaysSignedIn()
    {
        var client = await factory.SignedInAsync("bob");
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/account/logout", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
    }

    [StorageFact]
    public async Task SignIn_WrongPassword_SaysSoAndSignsNobodyIn()
    {
        var client = Anonymous();
        var response = await Forms.PostAsync(client, "/account/login", "/account/login",
            new() { ["UserName"] = "carmen", ["Password"] = "not-the-password" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("did not match", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [StorageFact]
    public async Task SignIn_ReturnUrlToAnotherSite_LandsOnTheQueueInstead()
    {
        var client = Anonymous();
        var response = await Forms.PostAsync(client, "/account/login", "/account/login",
            new() { ["UserName"] = "david", ["Password"] = DeskWebFactory.DemoPassword, ["ReturnUrl"] = "https://evil.example/phish" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [StorageFact]
    public async Task Agent_SignedIn_WorksTheQueueButIsDeniedAdminPages()
    {
        var agent = await factory.SignedInAsync("alice");
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync("/tickets/D-000001")).StatusCode);

        var admin = await agent.GetAsync("/admin/users");
        Assert.Equal(HttpStatusCode.Redirect, admin.StatusCode);
        Assert.StartsWith("/account/denied", admin.Headers.Location!.PathAndQuery);
        var denied = await agent.GetAsync(admin.Headers.Location);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.DoesNotContain("Users</a>", await (await agent.GetAsync("/")).Content.ReadAsStringAsync());
    }

    [StorageFact]
    public async Task Admin_SignedIn_SeesUsersWithTheirRoles()
    {
        var admin = await factory.SignedInAsync("admin");
        var html = await admin.GetStringAsync("/admin/users");
        Assert.Matches("<tr data-user=\"alice\">.*?Agent", html.Replace("\n", " ", StringComparison.Ordinal));
        Assert.Matches("<tr data-user=\"maria\">.*?Manager", html.Replace("\n", " ", StringComparison.Ordinal));
    }

    [StorageFact]
    public async Task SignOut_WithToken_EndsTheSession()
    {
        var client = await factory.SignedInAsync("emma");
        var response = await Forms.PostAsync(client, "/", "/account/logout", []);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    /// <summary>Every controller action states who may use it, with [Authorize] (mostly with a policy) or [AllowAnonymous]; none relies on the fallback alone.</summary>
    [StorageFact]
    public void EveryControllerAction_DeclaresWhoMayUseIt()
    {
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Where(e => e.Metadata.GetMetadata<ControllerActionDescriptor>() is not null).ToList();
        Assert.NotEmpty(endpoints);
        foreach (var endpoint in endpoints)
        {
            var declared = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null
                || endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any();
            Assert.True(declared, $"{endpoint.DisplayName} does not say who may use it");
        }
    }

    [StorageFact]
    public async Task CreateAdminCommand_StrongPassword_CreatesAnAdminWhoCanSignIn()
    {
        var output = new StringWriter();
        var exit = await CreateAdminCommand.RunAsync(factory.Services, ["--user", "root.ops", "--email", "ops@desk.example"],
            new StringReader("Very-Long-Secret-42\n"), output);
        Assert.Equal(0, exit);
        var admin = await factory.SignedInAsync("root.ops", "Very-Long-Secret-42");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/users")).StatusCode);
    }

    [StorageTheory]
    [InlineData("short1!", "at least 10")]
    [InlineData("alllowercaseletters", "uppercase")]
    public async Task CreateAdminCommand_WeakPassword_IsRefusedWithTheRule(string password, string rule)
    {
        var output = new StringWriter();
        var exit = await CreateAdminCommand.RunAsync(factory.Services, ["--user", $"weak{password.Length}", "--email", $"weak{password.Length}@desk.example"],
            new StringReader(password + "\n"), output);
        Assert.Equal(1, exit);
        Assert.Contains(rule, output.ToString());
    }

    [StorageFact]
    public async Task CreateAdminCommand_MissingArguments_PrintsUsage()
    {
        var output = new StringWriter();
        Assert.Equal(2, await CreateAdminCommand.RunAsync(factory.Services, ["--user", "x"], new StringReader(""), output));
        Assert.Contains("Usage:", output.ToString());
    }

    private HttpClient Anonymous() => factory.CreateClient(new() { AllowAutoRedirect = false });
}

public sealed class SecurityTestsOnSqlite(DeskWebFactory factory) : SecurityTests(factory), IClassFixture<DeskWebFactory>;

public sealed class SecurityTestsOnPostgres(PostgresDesk factory) : SecurityTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

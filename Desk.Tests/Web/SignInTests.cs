using System.Net;
using Desk.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Desk.Tests.Web;

/// <summary>
/// Sign-in tells nobody which user names exist, and nobody can lock out an agent or the admin by typing wrong
/// passwords for them: the client making wrong attempts is throttled instead of the account.
/// </summary>
public abstract class SignInTests(Func<DeskWebFactory> newDesk)
{
    [StorageFact]
    public async Task Login_WrongPasswordForRealAndUnknownName_SameAnswer()
    {
        await using var desk = newDesk();
        var real = await AttemptAsync(desk.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }), "alice", "not-her-password");
        var unknown = await AttemptAsync(desk.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }), "nobody-at-all", "not-her-password");

        Assert.Equal((HttpStatusCode.OK, true), (real.Status, real.Body.Contains("The user name and password did not match.")));
        Assert.Equal((HttpStatusCode.OK, true), (unknown.Status, unknown.Body.Contains("The user name and password did not match.")));
    }

    [StorageFact]
    public async Task Login_FiveWrongPasswordsForAnAgent_DoNotLockTheAgentOut()
    {
        await using var desk = newDesk();
        var attacker = desk.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        for (var i = 0; i < 6; i++) await AttemptAsync(attacker, "bob", "guess-" + i);

        // The throttle counts per client address, and every test client shares one: the real agent's own attempt is
        // made before the attacker's client reaches its limit (8 here).
        var bob = await AttemptAsync(desk.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }), "bob", DeskWebFactory.DemoPassword);
        Assert.Equal(HttpStatusCode.Redirect, bob.Status);
    }

    [StorageFact]
    public async Task Login_ClientOverItsWrongAttempts_IsRefusedWhateverTheNameAndPassword()
    {
        await using var desk = newDesk();
        var client = desk.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        for (var i = 0; i < 8; i++) Assert.Equal(HttpStatusCode.OK, (await AttemptAsync(client, "nobody-" + i, "wrong")).Status);

        var refused = await AttemptAsync(client, "alice", DeskWebFactory.DemoPassword);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Contains("Too many wrong sign-ins from your address.", refused.Body);
    }

    private static async Task<(HttpStatusCode Status, string Body)> AttemptAsync(HttpClient client, string user, string password)
    {
        var response = await Forms.PostAsync(client, "/account/login", "/account/login", new() { ["UserName"] = user, ["Password"] = password });
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    /// <summary>A desk whose clients may make 8 wrong sign-ins per window.</summary>
    public class ThrottledDesk : DeskWebFactory
    {
        public override int DemoTickets => 10;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Desk:SignIn:FailuresPerClient", "8");
        }
    }

    public sealed class PostgresThrottledDesk : ThrottledDesk
    {
        public override Desk.Web.Data.DatabaseProvider Provider => Desk.Web.Data.DatabaseProvider.Postgres;
    }
}

public sealed class SignInTestsOnSqlite() : SignInTests(() => new ThrottledDesk());

public sealed class SignInTestsOnPostgres() : SignInTests(() => new PostgresThrottledDesk()), IRunsOnPostgres;

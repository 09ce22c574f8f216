using System.Net;
using Desk.Tests.Support;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.DependencyInjection;

namespace Desk.Tests.Web;

/// <summary>
/// A session ends when it should, everywhere at once: the sign-in cookie of browser A stops working the moment the
/// user signs out in browser B, is disabled, changes their password, or has their sessions ended by an admin or by the
/// <c>end-sessions</c> command — on this desk and on every other desk on the same database.
/// </summary>
public abstract class SessionTests(SessionTests.SmallDesk desk)
{
    [StorageFact]
    public async Task Logout_InBrowserB_EndsTheSessionInBrowserA()
    {
        var browserA = await desk.SignedInAsync("alice");
        var browserB = await desk.SignedInAsync("alice");
        var other = await desk.SignedInAsync("grace");
        await AssertSignedInAsync(browserA);

        await Forms.PostAsync(browserB, "/macros", "/account/logout", []);

        await AssertSignedOutAsync(browserA);
        await AssertSignedOutAsync(browserB);
        await AssertSignedInAsync(other); // only alice's sessions
    }

    [StorageFact]
    public async Task DisabledUser_HasEverySessionEndedAtOnce()
    {
        var browser = await desk.SignedInAsync("bob");
        await AssertSignedInAsync(browser);

        await WithUserAsync("bob", (users, user) => users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue));

        await AssertSignedOutAsync(browser);
    }

    [StorageFact]
    public async Task ChangedPassword_EndsEverySessionAtOnce()
    {
        var browser = await desk.SignedInAsync("carmen");
        await AssertSignedInAsync(browser);

        await WithUserAsync("carmen", (users, user) => users.ChangePasswordAsync(user, DeskWebFactory.DemoPassword, "Another-secret-2026!"));

        await AssertSignedOutAsync(browser);
        await desk.SignedInAsync("carmen", "Another-secret-2026!"); // the new password signs in
    }

    [StorageFact]
    public async Task EndSessions_ByAnAdminOnTheUsersPage_EndsEverySessionOfThatUser()
    {
        var agent = await desk.SignedInAsync("david");
        var admin = await desk.SignedInAsync("admin");
        await AssertSignedInAsync(agent);

        var ended = await Forms.PostAsync(admin, "/admin/users", "/admin/users/david/end-sessions", []);

        Assert.Equal("/admin/users?ended=david", ended.Headers.Location!.OriginalString);
        Assert.Contains("Every session of david has ended", WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/users?ended=david")));
        await AssertSignedOutAsync(agent);
        await desk.SignedInAsync("david"); // ended, not disabled
    }

    [StorageFact]
    public async Task EndSessions_ByAnAgent_IsRefused()
    {
        var agent = await desk.SignedInAsync("hiro");
        var victim = await desk.SignedInAsync("li.na");

        var refused = await Forms.PostAsync(agent, "/macros", "/admin/users/li.na/end-sessions", []);

        Assert.Contains("/account/denied", refused.Headers.Location?.OriginalString ?? "");
        await AssertSignedInAsync(victim);
    }

    [StorageFact]
    public async Task EndSessionsCommand_KnownAndUnknownUser_EndsTheSessionsOrSaysThereIsNoSuchUser()
    {
        var browser = await desk.SignedInAsync("emma");
        await AssertSignedInAsync(browser);
        var output = new StringWriter();

        var known = await EndSessionsCommand.RunAsync(desk.Services, ["emma"], output);
        var unknown = await EndSessionsCommand.RunAsync(desk.Services, ["nobody-here"], output);

        Assert.Equal((0, 1), (known, unknown));
        Assert.Contains("error: there is no user \"nobody-here\".", output.ToString());
        await AssertSignedOutAsync(browser);
    }

    [StorageFact]
    public async Task Logout_OnOneDesk_EndsTheSessionOnAnotherDeskOnTheSameDatabase()
    {
        await using var second = DeskWebFactory.On(desk.Database);
        var jar = new CookieContainer();
        var onSecond = second.CreateDefaultClient(new CookieContainerHandler(jar));
        var browserA = await desk.SignedInAsync("farid");
        await Forms.PostAsync(onSecond, "/account/login", "/account/login",
            new() { ["UserName"] = "farid", ["Password"] = DeskWebFactory.DemoPassword });
        await AssertSignedInAsync(browserA);

        await Forms.PostAsync(onSecond, "/macros", "/account/logout", []);

        // The other desk keeps users' stamps for speed and learns of the change by NOTIFY on PostgreSQL (milliseconds); on
        // SQLite, where desks share no signals, its kept copy expires after SessionStamps.KeptFor.
        var bound = desk.Provider == Desk.Web.Data.DatabaseProvider.Postgres ? TimeSpan.FromSeconds(2) : SessionStamps.KeptFor + TimeSpan.FromSeconds(1);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while ((await browserA.GetAsync("/macros")).StatusCode == HttpStatusCode.OK)
        {
            Assert.True(clock.Elapsed < bound, $"the session on the first desk still worked {clock.Elapsed.TotalSeconds:0.0} s after the sign-out on the second");
            await Task.Delay(50);
        }
        await AssertSignedOutAsync(browserA);
    }

    [StorageFact]
    public async Task SessionStamps_UserChangedThroughTheDesk_IsReadAfreshAtOnce()
    {
        var stamps = desk.Services.GetRequiredService<SessionStamps>();
        await using var scope = desk.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Desk.Web.Data.DeskDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<DeskUser>>();
        var user = (await users.FindByNameAsync("grace"))!;
        var before = (await stamps.ReadAsync(db, user.Id, CancellationToken.None))!.SecurityStamp;

        Assert.True((await users.UpdateSecurityStampAsync(user)).Succeeded); // through the desk's user manager: every desk forgets

        var after = (await stamps.ReadAsync(db, user.Id, CancellationToken.None))!.SecurityStamp;
        Assert.NotEqual(before, after);
        Assert.Equal(user.SecurityStamp, after);
    }

    private async Task WithUserAsync(string userName, Func<UserManager<DeskUser>, DeskUser, Task<IdentityResult>> change)
    {
        await using var scope = desk.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<DeskUser>>();
        var result = await change(users, (await users.FindByNameAsync(userName))!);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
    }

    private static async Task AssertSignedInAsync(HttpClient browser) =>
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/macros")).StatusCode);

    private static async Task AssertSignedOutAsync(HttpClient browser)
    {
        var response = await browser.GetAsync("/macros");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/login", response.Headers.Location!.OriginalString);
    }

    /// <summary>A desk with few demo tickets: these tests are about people, not tickets.</summary>
    public class SmallDesk : DeskWebFactory
    {
        public override int DemoTickets => 10;
    }

    public sealed class PostgresSmallDesk : SmallDesk
    {
        public override Desk.Web.Data.DatabaseProvider Provider => Desk.Web.Data.DatabaseProvider.Postgres;
    }
}

public sealed class SessionTestsOnSqlite(SessionTests.SmallDesk desk) : SessionTests(desk), IClassFixture<SessionTests.SmallDesk>;

public sealed class SessionTestsOnPostgres(SessionTests.PostgresSmallDesk desk) : SessionTests(desk), IClassFixture<SessionTests.PostgresSmallDesk>, IRunsOnPostgres;

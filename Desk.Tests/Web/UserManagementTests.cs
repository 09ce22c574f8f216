using System.Net;
using System.Text.RegularExpressions;
using Desk.Domain;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web.Email.Outbound;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Desk.Tests.Web;

/// <summary>
/// Admins manage the desk's people on /admin/users: add someone (who sets their own password from a one-time link),
/// change a role, disable and enable, remove; the desk never loses its last admin; a person changes their own password.
/// On both providers: the last-admin check and the ended sessions are about the shared database.
/// </summary>
public abstract partial class UserManagementTests(UserManagementTests.PeopleDesk desk)
{
    [StorageFact]
    public async Task AddUser_ByAnAdmin_MailsALinkThatSetsThePasswordOnce()
    {
        var admin = await desk.SignedInAsync("admin");

        var added = await Forms.PostAsync(admin, "/admin/users", "/admin/users",
            new() { ["UserName"] = "nadia", ["DisplayName"] = "Nadia Ortiz", ["Email"] = "nadia@desk.example", ["Role"] = DeskRoles.Agent });

        Assert.Equal("/admin/users?done=created&who=nadia", added.Headers.Location!.OriginalString);
        var link = await LinkMailedToAsync("nadia@desk.example");
        var anonymous = desk.CreateClient(new() { AllowAutoRedirect = false });
        var set = await Forms.PostAsync(anonymous, link, link, new() { ["New"] = "Nadia-secret-2026!", ["Again"] = "Nadia-secret-2026!" });
        Assert.Contains("Your password is set", WebUtility.HtmlDecode(await set.Content.ReadAsStringAsync()));
        await desk.SignedInAsync("nadia", "Nadia-secret-2026!");

        Assert.Equal(HttpStatusCode.Gone, (await anonymous.GetAsync(link)).StatusCode); // once only
        await using var db = desk.Database.NewContext();
        var copy = await db.OutboundMails.SingleAsync(m => m.To == "nadia@desk.example" && m.Kind == OutboundKind.PasswordLink);
        Assert.DoesNotContain(link, copy.Body); // the desk's copy lost the token once sent
    }

    [StorageFact]
    public async Task PasswordLink_UsedTwice_SetsThePasswordTheFirstTimeAndIsRefusedTheSecond()
    {
        var admin = await desk.SignedInAsync("admin");
        var emma = await desk.SignedInAsync("emma");

        var sent = await Forms.PostAsync(admin, "/admin/users", "/admin/users/emma/password-link", []);
        Assert.Equal("/admin/users?done=link&who=emma", sent.Headers.Location!.OriginalString);
        var link = await LinkMailedToAsync("emma@desk.example");
        await AssertSignedInAsync(emma); // the old password and sessions work until the link is used

        var first = desk.CreateClient(new() { AllowAutoRedirect = false });
        var token = await Forms.AntiforgeryTokenAsync(first, link);
        var set = await first.PostAsync(link, new FormUrlEncodedContent(new Dictionary<string, string>
            { ["__RequestVerificationToken"] = token, ["New"] = "Emma-new-secret-1!", ["Again"] = "Emma-new-secret-1!" }));
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var again = await first.PostAsync(link, new FormUrlEncodedContent(new Dictionary<string, string>
            { ["__RequestVerificationToken"] = token, ["New"] = "Emma-other-secret-2!", ["Again"] = "Emma-other-secret-2!" }));

        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        Assert.Contains("This link no longer works", await again.Content.ReadAsStringAsync());
        await AssertSignedOutAsync(emma);
        await desk.SignedInAsync("emma", "Emma-new-secret-1!");
        await Assert.ThrowsAsync<InvalidOperationException>(() => desk.SignedInAsync("emma", "Emma-other-secret-2!"));
    }

    [StorageFact]
    public async Task LastAdmin_DemotedDisabledOrRemoved_IsRefusedWithAMessageAndNothingChanges()
    {
        var admin = await desk.SignedInAsync("admin");

        var demoted = await Forms.PostAsync(admin, "/admin/users", "/admin/users/admin/role", new() { ["role"] = DeskRoles.Agent });
        Assert.Equal(HttpStatusCode.Conflict, demoted.StatusCode);
        Assert.Contains("admin is the last admin who can sign in", WebUtility.HtmlDecode(await demoted.Content.ReadAsStringAsync()));
        await using var scope = desk.Services.CreateAsyncScope();
        var people = scope.ServiceProvider.GetRequiredService<DeskUsers>();
        var disabled = await Assert.ThrowsAsync<DomainException>(() => people.DisableAsync("admin", "maria", CancellationToken.None));
        var removed = await Assert.ThrowsAsync<DomainException>(() => people.RemoveAsync("admin", "maria", CancellationToken.None));

        Assert.Contains("cannot be disabled", disabled.Message);
        Assert.Contains("cannot be removed", removed.Message);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<DeskUser>>();
        var still = (await users.FindByNameAsync("admin"))!;
        Assert.True(await users.IsInRoleAsync(still, DeskRoles.Admin));
        Assert.False(DeskUsers.IsDisabled(still));
        await AssertSignedInAsync(admin, "/admin/users");
    }

    [StorageFact]
    public async Task ChangeRole_ToAdminAndBack_EndsTheirSessionsSoEachRoleAppliesAtOnce()
    {
        var admin = await desk.SignedInAsync("admin");
        var hiro = await desk.SignedInAsync("hiro");
        Assert.Contains("/account/denied", (await hiro.GetAsync("/admin/users")).Headers.Location!.OriginalString);

        await Forms.PostAsync(admin, "/admin/users", "/admin/users/hiro/role", new() { ["role"] = DeskRoles.Admin });
        await AssertSignedOutAsync(hiro);
        hiro = await desk.SignedInAsync("hiro");
        await AssertSignedInAsync(hiro, "/admin/users");

        // Two admins now: the first may be demoted by the second (and is back by the end, for the other tests).
        var demoted = await Forms.PostAsync(admin, "/admin/users", "/admin/users/hiro/role", new() { ["role"] = DeskRoles.Agent });
        Assert.Equal("/admin/users?done=role&who=hiro", demoted.Headers.Location!.OriginalString);
        hiro = await desk.SignedInAsync("hiro");
        Assert.Contains("/account/denied", (await hiro.GetAsync("/admin/users")).Headers.Location!.OriginalString);
    }

    [StorageFact]
    public async Task Disable_ByAnAdmin_EndsEverySessionAndRefusesSignInUntilEnabled()
    {
        var admin = await desk.SignedInAsync("admin");
        var bob = await desk.SignedInAsync("bob");

        var disabled = await Forms.PostAsync(admin, "/admin/users", "/admin/users/bob/disable", []);

        Assert.Equal("/admin/users?done=disabled&who=bob", disabled.Headers.Location!.OriginalString);
        await AssertSignedOutAsync(bob);
        Assert.Contains("This account is disabled", await SignInPageAsync("bob", DeskWebFactory.DemoPassword));
        Assert.Contains("did not match", await SignInPageAsync("bob", "a-wrong-password")); // disabled is told only to who knows the password
        Assert.Contains("Disabled", await admin.GetStringAsync("/admin/users"));

        await Forms.PostAsync(admin, "/admin/users", "/admin/users/bob/enable", []);
        await AssertSignedInAsync(await desk.SignedInAsync("bob"));
    }

    [StorageFact]
    public async Task Remove_AUserWithOpenTickets_IsRefusedAndWithoutThemRemovesTheAccount()
    {
        await using (var scope = desk.Services.CreateAsyncScope())
            Assert.Null(await scope.ServiceProvider.GetRequiredService<DeskUsers>().CreateAsync("olga", "olga@desk.example", "Olga", DeskWebFactory.DemoPassword, DeskRoles.Agent));
        var olga = await desk.SignedInAsync("olga");
        var admin = await desk.SignedInAsync("admin");
        await using var db = desk.Database.NewContext();
        long ticketId;
        await using (var scope = desk.Services.CreateAsyncScope())
            ticketId = (await scope.ServiceProvider.GetRequiredService<Desk.Web.Features.Arrival.ComplaintArrival>().FileAsync(new("olga.customer@example.org", "Oksana", "en",
                new TicketIntake(TicketKind.Complaint, Channel.Email, Severity.Minor, "Olga's open ticket", "Still open."), []), CancellationToken.None)).Ticket.Id;
        await db.Tickets.Where(t => t.Id == ticketId).ExecuteUpdateAsync(s => s.SetProperty(t => t.AssignedTo, "olga"));

        var refused = await Forms.PostAsync(admin, "/admin/users", "/admin/users/olga/remove", []);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("olga still has 1 open tickets assigned", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()));
        await AssertSignedInAsync(olga);

        await db.Tickets.Where(t => t.Id == ticketId).ExecuteUpdateAsync(s => s.SetProperty(t => t.AssignedTo, (string?)null));
        // Her own things, kept by name: none may pass to a later "olga".
        db.AddRange(new Desk.Web.Features.Drafts.ReplyDraft(ticketId, "olga", "Half a reply", DeskWebFactory.Now),
            new Desk.Web.Features.Signatures.AgentSignature("olga", "Olga, customer care", DeskWebFactory.Now),
            new Desk.Web.Features.Notifications.NotificationPreferences("olga"),
            new Desk.Web.Features.Digest.DigestSubscription("olga", Desk.Web.Features.Digest.DigestFrequency.Weekly, DayOfWeek.Monday, "en", DeskWebFactory.Now),
            new Desk.Web.Features.Macros.Macro("Olga's own", "Dear customer", "olga", DeskWebFactory.Now, owner: "olga"));
        await db.SaveChangesAsync();
        var removed = await Forms.PostAsync(admin, "/admin/users", "/admin/users/olga/remove", []);
        Assert.Equal("/admin/users?done=removed&who=olga", removed.Headers.Location!.OriginalString);
        await AssertSignedOutAsync(olga);
        Assert.False(await db.Users.AnyAsync(u => u.UserName == "olga"));
        Assert.Equal((0, 0, 0, 0, 0), (await db.Set<Desk.Web.Features.Drafts.ReplyDraft>().CountAsync(d => d.Agent == "olga"),
            await db.Set<Desk.Web.Features.Signatures.AgentSignature>().CountAsync(s => s.Agent == "olga"),
            await db.Set<Desk.Web.Features.Notifications.NotificationPreferences>().CountAsync(p => p.UserName == "olga"),
            await db.Set<Desk.Web.Features.Digest.DigestSubscription>().CountAsync(s => s.UserName == "olga"),
            await db.Macros.CountAsync(m => m.Owner == "olga")));
        Assert.Contains(await db.Tickets.Where(t => t.Id == ticketId).Select(t => t.Subject).ToListAsync(), s => s == "Olga's open ticket"); // tickets stay
    }

    [StorageFact]
    public async Task ChangeOwnPassword_WeakOnAChinesePage_IsRefusedInChinese()
    {
        var here = await desk.SignedInAsync("carmen");

        var weak = await Forms.PostAsync(here, "/account/password?culture=zh-CN", "/account/password?culture=zh-CN",
            new() { ["Current"] = DeskWebFactory.DemoPassword, ["New"] = "alllowercaseletters2026", ["Again"] = "alllowercaseletters2026" });

        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        var page = WebUtility.HtmlDecode(await weak.Content.ReadAsStringAsync());
        Assert.Contains("密码至少需要一个大写字母（A–Z）。", page);
        Assert.DoesNotContain("Passwords must", page);
        await desk.SignedInAsync("carmen"); // unchanged
    }

    [StorageFact]
    public async Task ChangeOwnPassword_KeepsThisSessionAndEndsTheOthers()
    {
        var here = await desk.SignedInAsync("carmen");
        var elsewhere = await desk.SignedInAsync("carmen");

        var wrong = await Forms.PostAsync(here, "/account/password", "/account/password",
            new() { ["Current"] = "not-it", ["New"] = "Carmen-new-2026!", ["Again"] = "Carmen-new-2026!" });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("That is not your current password.", WebUtility.HtmlDecode(await wrong.Content.ReadAsStringAsync()));
        await AssertSignedInAsync(elsewhere);

        var changed = await Forms.PostAsync(here, "/account/password", "/account/password",
            new() { ["Current"] = DeskWebFactory.DemoPassword, ["New"] = "Carmen-new-2026!", ["Again"] = "Carmen-new-2026!" });

        Assert.Equal("/account/password?done=true", changed.Headers.Location!.OriginalString);
        await AssertSignedInAsync(here);
        await AssertSignedOutAsync(elsewhere);
        await desk.SignedInAsync("carmen", "Carmen-new-2026!");
    }

    [StorageFact]
    public async Task UserSteps_WithoutAntiforgeryOrByAManager_AreRefusedAndChangeNothing()
    {
        var admin = await desk.SignedInAsync("admin");
        var maria = await desk.SignedInAsync("maria");
        var farid = await desk.SignedInAsync("farid");

        var forged = await admin.PostAsync("/admin/users/farid/disable", new FormUrlEncodedContent([]));
        var manager = await Forms.PostAsync(maria, "/macros", "/admin/users/farid/disable", []);

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("/account/denied", manager.Headers.Location!.OriginalString);
        await AssertSignedInAsync(farid);
    }

    /// <summary>The path of the set-password link in the last mail of that kind to <paramref name="address"/>, as they get it.</summary>
    private async Task<string> LinkMailedToAsync(string address)
    {
        await using var db = desk.Database.NewContext();
        var messageId = await db.OutboundMails.Where(m => m.To == address && m.Kind == OutboundKind.PasswordLink)
            .OrderByDescending(m => m.Id).Select(m => m.MessageId).FirstAsync();
        var body = (await desk.PickedUpAsync(messageId)).TextBody ?? "";
        return SetPasswordLink().Match(body) is { Success: true } m ? m.Value : throw new InvalidOperationException("No link in: " + body);
    }

    private async Task<string> SignInPageAsync(string user, string password)
    {
        var client = desk.CreateClient(new() { AllowAutoRedirect = false });
        var answer = await Forms.PostAsync(client, "/account/login", "/account/login", new() { ["UserName"] = user, ["Password"] = password });
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        return WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync());
    }

    private static async Task AssertSignedInAsync(HttpClient browser, string path = "/macros") =>
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(path)).StatusCode);

    private static async Task AssertSignedOutAsync(HttpClient browser)
    {
        var response = await browser.GetAsync("/macros");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/login", response.Headers.Location!.OriginalString);
    }

    [GeneratedRegex(@"/account/set-password/[A-Za-z0-9_\-]+")]
    private static partial Regex SetPasswordLink();

    /// <summary>A desk with few demo tickets: these tests are about people.</summary>
    public class PeopleDesk : DeskWebFactory
    {
        public override int DemoTickets => 10;
    }

    public sealed class PostgresPeopleDesk : PeopleDesk
    {
        public override Desk.Web.Data.DatabaseProvider Provider => Desk.Web.Data.DatabaseProvider.Postgres;
    }
}

public sealed class UserManagementTestsOnSqlite(UserManagementTests.PeopleDesk desk) : UserManagementTests(desk), IClassFixture<UserManagementTests.PeopleDesk>;

public sealed class UserManagementTestsOnPostgres(UserManagementTests.PostgresPeopleDesk desk)
    : UserManagementTests(desk), IClassFixture<UserManagementTests.PostgresPeopleDesk>, IRunsOnPostgres;

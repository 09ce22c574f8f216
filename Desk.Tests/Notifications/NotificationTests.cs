using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web.Data;
using Desk.Web.Email.Outbound;
using Desk.Web.Features.Notifications;
using Desk.Web.Features.Public;
using Desk.Web.Features.Teams;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Desk.Tests.Notifications;

/// <summary>
/// Agents are told, whichever channel made the change: an agent's step (assign, escalate to an agent or a team), the
/// customer's mail and the status page (customer replied, reopened). In the app under the bell, and by mail through the
/// outbox, as each agent chose; never about their own change.
/// </summary>
public abstract partial class NotificationTests(MailDesk desk) : IAsyncLifetime
{
    private static int _picked;
    private HttpClient _alice = null!;

    public async Task InitializeAsync() => _alice = await desk.SignedInAsync("alice");

    public Task DisposeAsync() => Task.CompletedTask;

    [StorageFact]
    public async Task Assign_ByAnotherAgent_TellsTheAssigneeUnderTheBellAndByMail()
    {
        var ticket = await TicketIn(TicketState.Acknowledged);

        var response = await StepAsync(_alice, ticket.Number, "steps/Assign", new() { ["Assignee"] = "bob" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var notice = Assert.Single(await NoticesAsync(ticket.Id, "bob"));
        Assert.Equal((NoticeEvent.Assigned, "alice", (DateTime?)null), (notice.Kind, notice.Actor, notice.ReadAt));
        await using var db = desk.Database.NewContext();
        var mail = await db.OutboundMails.SingleAsync(m => m.Kind == OutboundKind.AgentNotice && m.To == "bob@desk.example" && m.Subject.StartsWith(ticket.Number));
        Assert.Null(mail.TicketId); // not in the customer's thread, not on the ticket's list of mails to the customer
        var sent = await desk.PickedUpAsync(mail.MessageId);
        Assert.Equal($"{ticket.Number}: assigned to you", sent.Subject);
        Assert.Equal("auto-generated", sent.Headers["Auto-Submitted"]);
        Assert.Contains($"Ticket {ticket.Number} was assigned to you by alice.", sent.TextBody);
        Assert.Contains($"/tickets/{ticket.Number}", sent.TextBody);
        Assert.DoesNotContain(ticket.Subject, sent.TextBody); // the customer's words stay in the desk
    }

    [StorageFact]
    public async Task Assign_ToOneself_TellsNobody()
    {
        var ticket = await TicketIn(TicketState.Acknowledged);

        Assert.Equal(HttpStatusCode.Redirect, (await StepAsync(_alice, ticket.Number, "steps/Assign", new() { ["Assignee"] = "alice" })).StatusCode);

        Assert.Empty(await NoticesAsync(ticket.Id));
        await using var db = desk.Database.NewContext();
        Assert.False(await db.OutboundMails.AnyAsync(m => m.Kind == OutboundKind.AgentNotice && m.Subject.StartsWith(ticket.Number)));
    }

    [StorageFact]
    public async Task CustomerMail_OnAnAssignedTicket_TellsTheAssigneeThatTheCustomerReplied()
    {
        var (id, number) = await MailedTicketAssignedToAsync("carmen", "mail-replied@notify.test");

        await desk.TakeAsync(MailDesk.CustomerMail("mail-replied@notify.test", $"Re: Broken hinge [{number}]", "It broke again this morning."));

        var notice = Assert.Single(await NoticesAsync(id, "carmen"), n => n.Kind == NoticeEvent.CustomerReplied);
        Assert.Equal(Ticket.CustomerPlaceholder, notice.Actor); // the customer's address is not kept in notices
    }

    [StorageFact]
    public async Task StatusPageReply_OnAnAssignedTicket_TellsTheAssigneeThatTheCustomerReplied()
    {
        var (id, _) = await MailedTicketAssignedToAsync("david", "status-replied@notify.test");
        string token;
        await using (var db = desk.Database.NewContext())
        {
            (var link, token) = StatusLink.Create(id, MailDesk.Now, TimeSpan.FromDays(365));
            db.StatusLinks.Add(link);
            await db.SaveChangesAsync();
        }

        var page = desk.CreateClient(new() { AllowAutoRedirect = false });
        var posted = await Forms.PostAsync(page, $"/status/{token}", $"/status/{token}/reply", new() { ["Message"] = "Any news?" });

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Single(await NoticesAsync(id, "david"), n => n.Kind == NoticeEvent.CustomerReplied);
    }

    [StorageFact]
    public async Task CustomerMail_OnAResolvedTicket_TellsTheAssigneeItWasReopenedOnce()
    {
        var (id, number) = await MailedTicketAssignedToAsync("li.na", "reopened@notify.test");
        await using (var db = desk.Database.NewContext())
        {
            var ticket = await db.Tickets.SingleAsync(t => t.Id == id);
            var cause = await db.RootCauses.Where(c => c.ParentId != null).Select(c => c.Id).FirstAsync();
            ticket.Resolve("li.na", MailDesk.Now, new Resolution(Desk.Domain.Remedies.RemedyKinds.ApologyAndExplanation, 0m, cause, null, "Sorry."));
            await db.SaveChangesAsync();
        }

        await desk.TakeAsync(MailDesk.CustomerMail("reopened@notify.test", $"Re: Broken hinge [{number}]", "Not fixed at all."));

        var notices = (await NoticesAsync(id, "li.na")).Where(n => n.Kind != NoticeEvent.Assigned); // maria's assignment before
        Assert.Equal([NoticeEvent.Reopened], notices.Select(n => n.Kind)); // the reopening says it; no second notice for the message
    }

    [StorageFact]
    public async Task Escalate_ToATeam_TellsItsMembersButNotTheOneWhoEscalated_AndTheTrailSaysToWhom()
    {
        var admin = await desk.SignedInAsync("admin");
        var team = $"Returns {Guid.NewGuid():N}"[..16];
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.PostAsync(admin, "/admin/teams", "/admin/teams", new() { ["Name"] = team })).StatusCode);
        int teamId;
        await using (var db = desk.Database.NewContext()) teamId = await db.Set<Team>().Where(t => t.Name == team).Select(t => t.Id).SingleAsync();
        var members = new FormUrlEncodedContent([new("Members", "alice"), new("Members", "zhang.wei"),
            new("__RequestVerificationToken", await Forms.AntiforgeryTokenAsync(admin, "/admin/teams"))]);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostAsync($"/admin/teams/{teamId}/members", members)).StatusCode);
        var ticket = await TicketIn(TicketState.InProgress);

        var response = await StepAsync(_alice, ticket.Number, "steps/Escalate", new() { ["EscalateTo"] = $"team:{team}", ["Text"] = "Refund above my limit" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var notice = Assert.Single(await NoticesAsync(ticket.Id), n => n.Kind == NoticeEvent.Escalated);
        Assert.Equal(("zhang.wei", "alice", $"team {team}"), (notice.Recipient, notice.Actor, notice.Detail));
        await using (var db = desk.Database.NewContext())
        {
            var stored = await db.Tickets.AsNoTracking().Include(t => t.AuditTrail).SingleAsync(t => t.Id == ticket.Id);
            Assert.Equal((TicketState.Escalated, team, (EscalationTargetKind?)EscalationTargetKind.Team), (stored.State, stored.EscalatedTo, stored.EscalatedToKind));
            Assert.Equal($"To team {team}: Refund above my limit", stored.AuditTrail.Single(a => a.Trigger == TicketTrigger.Escalate && a.Actor == "alice").Comment);
        }
        // The team's members find it in "My team's".
        var zhang = await desk.SignedInAsync("zhang.wei");
        Assert.Contains($">{ticket.Number}<", await zhang.GetStringAsync("/?view=team"));
    }

    [StorageFact]
    public async Task Escalate_ToAnAgent_TellsThatAgent()
    {
        var ticket = await TicketIn(TicketState.InProgress);

        var response = await StepAsync(_alice, ticket.Number, "steps/Escalate", new() { ["EscalateTo"] = "agent:chen.jing", ["Text"] = "Needs a manager's word" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var notice = Assert.Single(await NoticesAsync(ticket.Id), n => n.Kind == NoticeEvent.Escalated);
        Assert.Equal(("chen.jing", "agent chen.jing"), (notice.Recipient, notice.Detail));
        var chen = await desk.SignedInAsync("chen.jing");
        Assert.Contains($">{ticket.Number}<", await chen.GetStringAsync("/?view=team")); // escalated to them: on their plate
    }

    [StorageFact]
    public async Task Escalate_ToNobodyTheDeskKnows_IsRefusedAndSavesNothing()
    {
        var ticket = await TicketIn(TicketState.InProgress);

        var response = await StepAsync(_alice, ticket.Number, "steps/Escalate", new() { ["EscalateTo"] = "agent:nobody-here", ["Text"] = "Angry" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("There is no agent or team \"nobody-here\" to escalate to.", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
        await using var db = desk.Database.NewContext();
        Assert.Equal((TicketState.InProgress, ticket.Version), await db.Tickets.Where(t => t.Id == ticket.Id).Select(t => new ValueTuple<TicketState, int>(t.State, t.Version)).SingleAsync());
        Assert.Empty(await NoticesAsync(ticket.Id));
    }

    [StorageFact]
    public async Task Preferences_InAppOnlyForAssignments_TellUnderTheBellAndMailNothing()
    {
        var emma = await desk.SignedInAsync("emma");
        var saved = await Forms.PostAsync(emma, "/account/notifications", "/account/notifications",
            new() { ["InApp"] = nameof(NoticeEvent.Assigned), ["MailLanguage"] = "zh" });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var page = await emma.GetStringAsync("/account/notifications");
        Assert.Matches("id=\"inapp-Assigned\" checked=\"checked\"", page);
        Assert.DoesNotMatch("id=\"mail-Assigned\" checked=\"checked\"", page);
        Assert.DoesNotMatch("id=\"inapp-Escalated\" checked=\"checked\"", page);

        var assigned = await TicketIn(TicketState.Acknowledged);
        await StepAsync(_alice, assigned.Number, "steps/Assign", new() { ["Assignee"] = "emma" });
        var escalated = await TicketIn(TicketState.InProgress);
        await StepAsync(_alice, escalated.Number, "steps/Escalate", new() { ["EscalateTo"] = "agent:emma", ["Text"] = "For you" });

        Assert.Single(await NoticesAsync(assigned.Id, "emma"), n => n.Kind == NoticeEvent.Assigned);
        Assert.Empty(await NoticesAsync(escalated.Id, "emma")); // escalations: neither way
        await using var db = desk.Database.NewContext();
        Assert.False(await db.OutboundMails.AnyAsync(m => m.Kind == OutboundKind.AgentNotice && m.To == "emma@desk.example"));
    }

    [StorageFact]
    public async Task Preferences_MailInChinese_MailsTheNoticeInChinese()
    {
        var farid = await desk.SignedInAsync("farid");
        await Forms.PostAsync(farid, "/account/notifications", "/account/notifications",
            new() { ["Mail"] = nameof(NoticeEvent.Assigned), ["MailLanguage"] = "zh" });
        var ticket = await TicketIn(TicketState.Acknowledged);

        await StepAsync(_alice, ticket.Number, "steps/Assign", new() { ["Assignee"] = "farid" });

        Assert.Empty(await NoticesAsync(ticket.Id, "farid")); // nothing under the bell: only mail was chosen
        await using var db = desk.Database.NewContext();
        var mail = await db.OutboundMails.SingleAsync(m => m.Kind == OutboundKind.AgentNotice && m.To == "farid@desk.example");
        Assert.Equal(($"{ticket.Number}: 已分配给您", "zh"), (mail.Subject, mail.Language));
        Assert.Contains($"工单 {ticket.Number} 已由 alice 分配给您。", mail.Body);
    }

    [StorageFact]
    public async Task Bell_CountsUnread_AndMarkingReadClearsIt_OnlyForItsOwner()
    {
        var grace = await desk.SignedInAsync("grace");
        var first = await TicketIn(TicketState.Acknowledged);
        var second = await TicketIn(TicketState.Acknowledged);
        await StepAsync(_alice, first.Number, "steps/Assign", new() { ["Assignee"] = "grace" });
        await StepAsync(_alice, second.Number, "steps/Assign", new() { ["Assignee"] = "grace" });

        Assert.Equal("2", BellCount(await grace.GetStringAsync("/")));
        var list = await grace.GetStringAsync("/notifications");
        Assert.Contains("alice assigned it to you.", list);
        Assert.Contains(first.Number, list);
        var noticeId = (await NoticesAsync(first.Id, "grace")).Single().Id;

        var hiro = await desk.SignedInAsync("hiro");
        Assert.Equal(HttpStatusCode.NotFound, (await Forms.PostAsync(hiro, "/notifications", $"/notifications/{noticeId}/read", [])).StatusCode);
        Assert.Equal("2", BellCount(await grace.GetStringAsync("/")));

        var opened = await Forms.PostAsync(grace, "/notifications", $"/notifications/{noticeId}/read?open=true", []);
        Assert.Equal($"/tickets/{first.Number}", opened.Headers.Location!.OriginalString);
        Assert.Equal("1", BellCount(await grace.GetStringAsync("/")));

        Assert.Equal(HttpStatusCode.Redirect, (await Forms.PostAsync(grace, "/notifications", "/notifications/read-all", [])).StatusCode);
        Assert.Null(BellCount(await grace.GetStringAsync("/")));
        Assert.Contains("Nothing unread.", await grace.GetStringAsync("/notifications?unread=true"));
    }

    [StorageFact]
    public async Task BellCounts_NothingChanged_ReadsOnce_AndATicketChangeOrReadNoticesReadsAgain()
    {
        var bell = desk.Services.GetRequiredService<BellCounts>();
        var signals = desk.Services.GetRequiredService<DeskSignals>();
        var reads = 0;
        Task<int> Read() => Task.FromResult(++reads);
        var agent = $"bell-{Guid.NewGuid():N}";

        Assert.Equal(1, await bell.GetAsync(agent, Read));
        Assert.Equal(1, await bell.GetAsync(agent, Read)); // kept: the page did not ask the database

        var ticket = await TicketIn(TicketState.Acknowledged);
        await StepAsync(_alice, ticket.Number, "steps/Assign", new() { ["Assignee"] = "bob" });
        Assert.Equal(2, await bell.GetAsync(agent, Read)); // a committed ticket change here may carry notices: read again

        await signals.RaiseAsync(DeskSignals.Notices, CancellationToken.None);
        Assert.Equal(3, await bell.GetAsync(agent, Read)); // someone read notices, here or on another desk
        Assert.Equal(3, await bell.GetAsync(agent, Read));
    }

    [StorageFact]
    public async Task NotificationPages_WithoutAntiforgeryOrSignIn_AreRefused()
    {
        var anonymous = desk.CreateClient(new() { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync("/notifications")).StatusCode); // to the sign-in
        Assert.Equal(HttpStatusCode.BadRequest, (await _alice.PostAsync("/notifications/read-all", new FormUrlEncodedContent([]))).StatusCode);
        var agent = await desk.SignedInAsync("bob");
        Assert.NotEqual(HttpStatusCode.OK, (await agent.GetAsync("/admin/teams")).StatusCode); // admins only
        Assert.NotEqual(HttpStatusCode.OK, (await agent.GetAsync("/admin/sla/escalation")).StatusCode);
    }

    [StorageFact]
    public async Task Pages_InChinese_HaveNoEnglishLeftovers()
    {
        var wang = await desk.SignedInAsync("wang.fang");
        var ticket = await TicketIn(TicketState.Acknowledged);
        await StepAsync(_alice, ticket.Number, "steps/Assign", new() { ["Assignee"] = "wang.fang" });
        var admin = await desk.SignedInAsync("admin");
        await Forms.PostAsync(admin, "/admin/teams", "/admin/teams", new() { ["Name"] = "Billing" });
        List<string> teams;
        await using (var db = desk.Database.NewContext()) teams = await db.Set<Team>().Select(t => t.Name).ToListAsync(); // other tests' teams too
        string[] people = [.. Desk.Seed.DemoDataGenerator.AgentUserNames, "maria", "admin", .. teams, "no-account", ticket.Subject];
        HashSet<string> allowed = ["Desk", "English", "UTC"];
        var pattern = "D-[0-9]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+";

        var list = await wang.GetStringAsync("/notifications?culture=zh-CN");
        Assert.Contains("alice 把它分配给了您。", list);
        EnglishLeftovers.AssertNone(list, allowed, people, pattern);
        EnglishLeftovers.AssertNone(await wang.GetStringAsync("/account/notifications?culture=zh-CN"), allowed, people, pattern);
        EnglishLeftovers.AssertNone(await admin.GetStringAsync("/admin/teams?culture=zh-CN"), allowed, people, pattern);
        EnglishLeftovers.AssertNone(await admin.GetStringAsync("/admin/sla/escalation?culture=zh-CN"), allowed, people, pattern);
    }

    private static string? BellCount(string html) => BellCountText().Match(html) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex("id=\"bell-count\">([^<]+)<")]
    private static partial Regex BellCountText();

    private async Task<(long Id, string Number)> MailedTicketAssignedToAsync(string agent, string customer)
    {
        var opened = await desk.TakeAsync(MailDesk.CustomerMail(customer, "Broken hinge", "The cupboard door hangs loose."));
        var id = opened.TicketId!.Value;
        await using var db = desk.Database.NewContext();
        var ticket = await db.Tickets.SingleAsync(t => t.Id == id);
        ticket.Assign("maria", MailDesk.Now, agent);
        await db.SaveChangesAsync();
        return (id, ticket.Number);
    }

    private async Task<List<Notification>> NoticesAsync(long ticketId, string? recipient = null)
    {
        await using var db = desk.Database.NewContext();
        return await db.Set<Notification>().AsNoTracking().Where(n => n.TicketId == ticketId && (recipient == null || n.Recipient == recipient))
            .OrderBy(n => n.Id).ToListAsync();
    }

    private static async Task<HttpResponseMessage> StepAsync(HttpClient agent, string number, string path, Dictionary<string, string> fields)
    {
        var html = await agent.GetStringAsync($"/tickets/{number}");
        fields["Version"] = VersionInput().Match(html).Groups[1].Value;
        return await Forms.PostAsync(agent, $"/tickets/{number}", $"/tickets/{number}/{path}", fields);
    }

    [GeneratedRegex("name=\"Version\" value=\"(\\d+)\"")]
    private static partial Regex VersionInput();

    /// <summary>
    /// A new ticket of its own for every call (by mail, so acknowledged), so tests sharing the desk never meet; in progress
    /// when asked, assigned to a name without an account (nobody is told).
    /// </summary>
    private async Task<Ticket> TicketIn(TicketState state)
    {
        var n = Interlocked.Increment(ref _picked);
        var opened = await desk.TakeAsync(MailDesk.CustomerMail($"customer-{n}-{Guid.NewGuid():N}@notify.test", $"Scratched table {n}", "The top arrived scratched."));
        await using var db = desk.Database.NewContext();
        var ticket = await db.Tickets.SingleAsync(t => t.Id == opened.TicketId);
        if (state == TicketState.InProgress) ticket.Assign("maria", MailDesk.Now, "no-account");
        else Assert.Equal(TicketState.Acknowledged, state);
        await db.SaveChangesAsync();
        return ticket;
    }
}

public sealed class NotificationTestsOnSqlite(MailDesk desk) : NotificationTests(desk), IClassFixture<MailDesk>;

public sealed class NotificationTestsOnPostgres(PostgresMailDesk desk) : NotificationTests(desk), IClassFixture<PostgresMailDesk>, IRunsOnPostgres;

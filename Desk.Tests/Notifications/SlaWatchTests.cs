using System.Net;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web.Features.Notifications;
using Desk.Web.Features.Teams;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Desk.Tests.Notifications;

/// <summary>
/// The SLA watch, run by hand at the fake clock's time: it warns the assignee before a target passes, tells them when it
/// was missed, and escalates a missed ticket to the admins' chosen team — once, however many claimers look at the same time.
/// </summary>
public abstract class SlaWatchTests(MailDesk desk)
{
    private static int _made;

    [StorageFact]
    public async Task Watch_MissedTargetSeenByTwoClaimersAtOnce_EscalatesOnceToTheConfiguredTeam()
    {
        var team = await TeamAsync("Second line", "zhang.wei");
        var admin = await desk.SignedInAsync("admin");
        var saved = await Forms.PostAsync(admin, "/admin/sla/escalation", "/admin/sla/escalation",
            new() { ["WarnMinutesBefore"] = "60", ["EscalateTo"] = $"team:{team}" });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var now = desk.Clock.GetUtcNow().UtcDateTime;
        var id = await TicketAssignedToAsync("bob", resolutionDue: now.AddMinutes(-5));
        var watch = desk.Services.GetRequiredService<SlaWatch>();

        await Task.WhenAll(watch.RunAsync(default), watch.RunAsync(default)); // two claimers at once
        await watch.RunAsync(default); // and a later look

        await using var db = desk.Database.NewContext();
        var ticket = await db.Tickets.AsNoTracking().Include(t => t.AuditTrail).SingleAsync(t => t.Id == id);
        var escalation = Assert.Single(ticket.AuditTrail, a => a.Trigger == TicketTrigger.Escalate);
        Assert.Equal("desk", escalation.Actor);
        Assert.StartsWith($"To team {team}: SLA missed: the resolution target was", escalation.Comment);
        Assert.Equal((TicketState.Escalated, team), (ticket.State, ticket.EscalatedTo));
        Assert.Single(await db.Set<SlaNotice>().Where(n => n.TicketId == id && n.Stage == SlaStage.Missed).ToListAsync());
        var notices = await db.Set<Notification>().Where(n => n.TicketId == id && n.Kind != NoticeEvent.Assigned).OrderBy(n => n.Id).ToListAsync();
        Assert.Equal([("bob", NoticeEvent.SlaMissed), ("zhang.wei", NoticeEvent.Escalated)],
            notices.Select(n => (n.Recipient, n.Kind)).Order().ToList());
    }

    [StorageFact]
    public async Task Watch_TargetAboutToBeMissed_WarnsTheAssigneeOnceThenTellsThemOfTheMiss()
    {
        var now = desk.Clock.GetUtcNow().UtcDateTime;
        var id = await TicketAssignedToAsync("carmen", resolutionDue: now.AddMinutes(30)); // within the default hour's warning
        var watch = desk.Services.GetRequiredService<SlaWatch>();

        await watch.RunAsync(default);
        await watch.RunAsync(default);
        Assert.Equal([NoticeEvent.SlaWarning], await KindsAsync(id, "carmen"));

        // The same clock, as if the due time had come: set the ticket's due time back rather than move the shared clock.
        await using (var db = desk.Database.NewContext())
            await db.Tickets.Where(t => t.Id == id).ExecuteUpdateAsync(s => s.SetProperty(t => t.ResolutionDueAt, now.AddMinutes(-1)));
        await watch.RunAsync(default);
        await watch.RunAsync(default);

        Assert.Equal([NoticeEvent.SlaWarning, NoticeEvent.SlaMissed], await KindsAsync(id, "carmen"));
        await using var check = desk.Database.NewContext();
        var mail = await check.OutboundMails.Where(m => m.To == "carmen@desk.example" && m.Subject.StartsWith(TicketNumber.Format(id)) && !m.Subject.EndsWith("assigned to you")).Select(m => m.Subject).ToListAsync();
        Assert.Equal([$"{TicketNumber.Format(id)}: missed its SLA target"], mail); // the warning is not mailed by default
    }

    [StorageFact]
    public async Task Watch_BreachLongerAgoThanTheLookBack_IsLeftAlone()
    {
        var now = desk.Clock.GetUtcNow().UtcDateTime;
        var id = await TicketAssignedToAsync("david", resolutionDue: now.AddDays(-30));

        await desk.Services.GetRequiredService<SlaWatch>().RunAsync(default);

        Assert.Empty(await KindsAsync(id, "david"));
        await using var db = desk.Database.NewContext();
        Assert.False(await db.Set<SlaNotice>().AnyAsync(n => n.TicketId == id));
    }

    private async Task<List<NoticeEvent>> KindsAsync(long id, string agent)
    {
        await using var db = desk.Database.NewContext();
        return await db.Set<Notification>().Where(n => n.TicketId == id && n.Recipient == agent && n.Kind != NoticeEvent.Assigned)
            .OrderBy(n => n.Id).Select(n => n.Kind).ToListAsync();
    }

    private async Task<string> TeamAsync(string name, params string[] members)
    {
        await using var db = desk.Database.NewContext();
        var team = new Team($"{name} {Guid.NewGuid():N}"[..(name.Length + 7)]);
        team.SetMembers(members);
        db.Set<Team>().Add(team);
        await db.SaveChangesAsync();
        return team.Name;
    }

    /// <summary>A new ticket assigned to <paramref name="agent"/>, first response given, resolution due at <paramref name="resolutionDue"/>.</summary>
    private async Task<long> TicketAssignedToAsync(string agent, DateTime resolutionDue)
    {
        var n = Interlocked.Increment(ref _made);
        var opened = await desk.TakeAsync(MailDesk.CustomerMail($"sla-{n}-{Guid.NewGuid():N}@notify.test", $"Late sofa {n}", "Still not delivered."));
        var id = opened.TicketId!.Value;
        await using var db = desk.Database.NewContext();
        var ticket = await db.Tickets.SingleAsync(t => t.Id == id);
        var now = desk.Clock.GetUtcNow().UtcDateTime;
        ticket.Assign("maria", now, agent);
        ticket.Reply(agent, now, "We are looking into it."); // the first response: only the resolution clock runs
        await db.SaveChangesAsync();
        await db.Tickets.Where(t => t.Id == id).ExecuteUpdateAsync(s => s.SetProperty(t => t.ResolutionDueAt, resolutionDue));
        return id;
    }
}

public sealed class SlaWatchTestsOnSqlite(MailDesk desk) : SlaWatchTests(desk), IClassFixture<MailDesk>;

public sealed class SlaWatchTestsOnPostgres(PostgresMailDesk desk) : SlaWatchTests(desk), IClassFixture<PostgresMailDesk>, IRunsOnPostgres;

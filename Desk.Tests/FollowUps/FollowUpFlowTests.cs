using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Desk.Domain.Customers;
using Desk.Domain.FollowUps;
using Desk.Domain.Sla;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web.Email.Outbound;
using Desk.Web.Features.FollowUps;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Desk.Tests.FollowUps;

/// <summary>
/// After-care on the fake clock, through the real pages: resolving starts the plan of the customer's level, the scheduler
/// sends the survey and closes tickets, and the customer's answer reaches the ticket. Each test has its own customer and
/// ticket; the clock only moves forward, so each test counts from wherever it finds it.
/// </summary>
public abstract partial class FollowUpFlowTests(DeskWebFactory desk)
{
    private static int _customers;

    [StorageTheory]
    [InlineData(RelationshipLevel.Basic, 14, "")]
    [InlineData(RelationshipLevel.Reactive, 14, "")]
    [InlineData(RelationshipLevel.Accountable, 14, "CheckIn+3:alice")]
    [InlineData(RelationshipLevel.Proactive, 35, "CheckIn+3:alice LaterCheckIn+30:alice")]
    [InlineData(RelationshipLevel.Partnership, 35, "CheckIn+3:alice AccountReview+7:owner.olga LaterCheckIn+30:alice")]
    public async Task Resolve_ByRelationshipLevel_StartsThatPlan(RelationshipLevel level, int windowDays, string tasks)
    {
        var ticket = await InProgressAsync(level, owner: "owner.olga");
        var resolvedAt = Now;

        await ResolveAsync(ticket);

        await using var db = desk.Database.NewContext();
        var stored = await db.Tickets.AsNoTracking().SingleAsync(t => t.Id == ticket.Id);
        Assert.Equal((TicketState.FollowUp, resolvedAt.AddDays(windowDays)), (stored.State, stored.FollowUpDueAt));
        var made = await db.FollowUpTasks.AsNoTracking().Where(t => t.TicketId == ticket.Id).OrderBy(t => t.DueAt).ToListAsync();
        Assert.Equal(tasks, string.Join(' ', made.Select(t => $"{t.Kind}+{(t.DueAt - resolvedAt).TotalDays:0.###}:{t.AssignedTo}")));
        var survey = await db.Surveys.AsNoTracking().SingleAsync(s => s.TicketId == ticket.Id);
        Assert.Equal((resolvedAt.AddHours(24), (DateTime?)null), (survey.SendAfter, survey.SentAt));
    }

    [StorageFact]
    public async Task Scheduler_SurveyDue_SendsItOnceWithAPrivateLinkInTheCustomersLanguage()
    {
        var ticket = await InProgressAsync(RelationshipLevel.Reactive, language: "zh");
        await ResolveAsync(ticket);

        await RunSchedulerAsync();
        Assert.Empty(await SurveyMailsAsync(ticket.Id)); // due in a day, not now
        desk.Clock.Advance(TimeSpan.FromHours(24));
        await RunSchedulerAsync();
        await RunSchedulerAsync();

        var mail = Assert.Single(await SurveyMailsAsync(ticket.Id));
        Assert.Equal(ticket.Email, mail.To);
        Assert.Contains("您对我们的处理满意吗", mail.Subject);
        Assert.Contains(ticket.Number, mail.Subject);
        Assert.Matches(@"/survey/[A-Za-z0-9_-]{43}\?culture=zh-CN", mail.TextBody);
        Assert.Contains("请回复本邮件并留下方便的时间和电话", mail.TextBody); // reactive: invited to call back
        await using var db = desk.Database.NewContext();
        var survey = await db.Surveys.AsNoTracking().SingleAsync(s => s.TicketId == ticket.Id);
        Assert.Equal((Now, Now.AddDays(14)), (survey.SentAt, survey.ExpiresAt));
        Assert.Equal(Survey.Hash(TokenIn(mail)), survey.TokenHash);
    }

    [StorageFact]
    public async Task SurveyLink_AfterItExpires_SaysSoAndRefusesAnAnswer()
    {
        var (ticket, token) = await SurveySentAsync(RelationshipLevel.Basic);
        var customer = Anonymous();
        var antiforgery = await Forms.AntiforgeryTokenAsync(customer, $"/survey/{token}");

        desk.Clock.Advance(TimeSpan.FromDays(14));
        var page = await customer.GetStringAsync($"/survey/{token}");
        var late = await customer.PostAsync($"/survey/{token}", new FormUrlEncodedContent(Answer(5, 5, 5, antiforgery)));

        Assert.Contains("id=\"survey-closed\"", page);
        Assert.DoesNotContain("id=\"survey\"", page);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("This survey closed on", WebUtility.HtmlDecode(await late.Content.ReadAsStringAsync()));
        await using var db = desk.Database.NewContext();
        Assert.Null((await db.Surveys.AsNoTracking().SingleAsync(s => s.TicketId == ticket.Id)).AnsweredAt);
    }

    [StorageFact]
    public async Task NoAnswer_AfterTheWindow_TheSchedulerClosesTheTicket_NotAMinuteBefore()
    {
        var ticket = await InProgressAsync(RelationshipLevel.Basic);
        await ResolveAsync(ticket);
        var due = Now.AddDays(14);

        desk.Clock.Advance(due - Now - TimeSpan.FromMinutes(1));
        await RunSchedulerAsync();
        Assert.Equal(TicketState.FollowUp, (await ReloadAsync(ticket)).State);
        desk.Clock.Advance(TimeSpan.FromMinutes(1));
        await RunSchedulerAsync();

        var closed = await ReloadAsync(ticket);
        Assert.Equal((TicketState.Closed, (DateTime?)due, (bool?)null), (closed.State, closed.ClosedAt, closed.CustomerAccepted));
        var step = closed.AuditTrail.Single(a => a.Trigger == TicketTrigger.Close);
        Assert.Equal(("desk", "The follow-up window ended with no answer and no task open."), (step.Actor, step.Comment));
    }

    [StorageFact]
    public async Task OpenTask_KeepsTheTicketInFollowUpPastTheWindow_UntilItIsDoneOnTheQueue()
    {
        var ticket = await InProgressAsync(RelationshipLevel.Accountable);
        await ResolveAsync(ticket);
        desk.Clock.Advance(TimeSpan.FromDays(15));
        await RunSchedulerAsync();
        Assert.Equal(TicketState.FollowUp, (await ReloadAsync(ticket)).State);

        var agent = await desk.SignedInAsync("alice");
        var queue = await agent.GetStringAsync("/followups?mine=true");
        var taskId = await TaskIdAsync(ticket.Id, FollowUpTaskKind.CheckIn);
        Assert.Contains($"data-task=\"{taskId}\" data-href=\"/tickets/{ticket.Number}\" class=\"table-warning\"", queue); // overdue
        var skipped = await Forms.PostAsync(agent, "/followups", $"/followups/{taskId}/skip", new() { ["Note"] = "" });
        Assert.Contains("Say why the follow-up task is skipped.", WebUtility.HtmlDecode(await agent.GetStringAsync("/followups")));
        var done = await Forms.PostAsync(agent, "/followups", $"/followups/{taskId}/done", new() { ["Note"] = "Called: the new kettle works." });
        await RunSchedulerAsync();

        Assert.Equal((HttpStatusCode.Redirect, HttpStatusCode.Redirect), (skipped.StatusCode, done.StatusCode));
        await using var db = desk.Database.NewContext();
        var task = await db.FollowUpTasks.AsNoTracking().SingleAsync(t => t.Id == taskId);
        Assert.Equal((FollowUpTaskOutcome.Done, "alice", "Called: the new kettle works."), (task.Outcome, task.SettledBy, task.Note));
        var closed = await ReloadAsync(ticket);
        Assert.Equal(TicketState.Closed, closed.State);
        Assert.Contains(closed.Conversation, e => e.Body == "CheckIn done by alice: Called: the new kettle works.");
        Assert.DoesNotContain($"data-task=\"{taskId}\"", await agent.GetStringAsync("/followups?show=all"));
    }

    [StorageFact]
    public async Task LowScore_ReopensTheTicketForAnAgent_WithTheCommentOnTheConversation()
    {
        var (ticket, token) = await SurveySentAsync(RelationshipLevel.Accountable);
        var customer = Anonymous();

        var answered = await Forms.PostAsync(customer, $"/survey/{token}", $"/survey/{token}",
            Answer(2, 4, 3, comment: "The new kettle leaks too."));
        await RunSchedulerAsync();

        Assert.Equal(HttpStatusCode.Redirect, answered.StatusCode);
        var reopened = await ReloadAsync(ticket);
        Assert.Equal((TicketState.InProgress, "alice", 1), (reopened.State, reopened.AssignedTo, reopened.ReopenCount));
        var reopen = reopened.AuditTrail.Single(a => a.Trigger == TicketTrigger.Reopen);
        Assert.Equal((ticket.Email, "Low survey score: 2/5 with the outcome, 4/5 with the handling."), (reopen.Actor, reopen.Comment));
        var comment = reopened.Conversation.Single(e => e.Kind == ConversationEntryKind.Inbound && e.Body == "The new kettle leaks too.");
        Assert.Equal(ticket.Email, comment.Author);
        await using var db = desk.Database.NewContext();
        var task = await db.FollowUpTasks.AsNoTracking().SingleAsync(t => t.TicketId == ticket.Id);
        Assert.Equal((FollowUpTaskOutcome.Skipped, "desk"), (task.Outcome, task.SettledBy)); // the reopened ticket's check-in is cancelled

        var agent = await desk.SignedInAsync("alice");
        var page = WebUtility.HtmlDecode(await agent.GetStringAsync($"/tickets/{ticket.Number}"));
        Assert.Contains("data-score=\"outcome\" class=\"text-danger fw-bold\">2/5", page);
        Assert.Contains("The new kettle leaks too.", page);
        Assert.Contains("data-kind=\"Survey\">Follow-up survey<", page); // in the ticket's sent mails, named as what it is
    }

    [StorageFact]
    public async Task GoodAnswer_RecordsTheAcceptance_AndTheNextRoundClosesTheTicket()
    {
        var (ticket, token) = await SurveySentAsync(RelationshipLevel.Basic);
        var customer = Anonymous();

        var answered = await Forms.PostAsync(customer, $"/survey/{token}", $"/survey/{token}", Answer(5, 4, 5, comment: "Quick and kind."));
        var after = await ReloadAsync(ticket);
        await RunSchedulerAsync();

        Assert.Equal($"/survey/{token}?thanks=true", answered.Headers.Location!.OriginalString);
        Assert.Equal((TicketState.FollowUp, (bool?)true, "Quick and kind."), (after.State, after.CustomerAccepted, after.FollowUpNote));
        Assert.Contains(after.Conversation, e => e.Body == "Survey answered: outcome 5/5, handling 4/5, intention to buy again 5/5, accepts the decision: yes.");
        var closed = await ReloadAsync(ticket);
        Assert.Equal((TicketState.Closed, "Follow-up done: the customer's answer is recorded and no task is open."),
            (closed.State, closed.AuditTrail.Single(a => a.Trigger == TicketTrigger.Close).Comment));
        await using var db = desk.Database.NewContext();
        var survey = await db.Surveys.AsNoTracking().SingleAsync(s => s.TicketId == ticket.Id);
        Assert.Equal((5, 4, 5, (bool?)true, (int?)4, (int?)null), (survey.OutcomeSatisfaction, survey.HandlingSatisfaction, survey.Intention,
            survey.AcceptsDecision, survey.Reliability, survey.Empathy));
    }

    [StorageFact]
    public async Task SecondAnswer_IsRefusedPolitely_AndTheFirstStands()
    {
        var (ticket, token) = await SurveySentAsync(RelationshipLevel.Basic);
        var customer = Anonymous();
        var antiforgery = await Forms.AntiforgeryTokenAsync(customer, $"/survey/{token}");
        var first = await customer.PostAsync($"/survey/{token}", new FormUrlEncodedContent(Answer(4, 4, 4, antiforgery)));

        var second = await customer.PostAsync($"/survey/{token}", new FormUrlEncodedContent(Answer(1, 1, 1, antiforgery, comment: "changed my mind")));
        var page = WebUtility.HtmlDecode(await customer.GetStringAsync($"/survey/{token}"));

        Assert.Equal((HttpStatusCode.Redirect, HttpStatusCode.Conflict), (first.StatusCode, second.StatusCode));
        var refusal = WebUtility.HtmlDecode(await second.Content.ReadAsStringAsync());
        Assert.Contains("We already have your answer from", refusal);
        Assert.DoesNotContain("alert-danger", refusal);
        Assert.Contains("id=\"survey-done\"", page);
        Assert.DoesNotContain("id=\"survey\"", page);
        await using var db = desk.Database.NewContext();
        var survey = await db.Surveys.AsNoTracking().SingleAsync(s => s.TicketId == ticket.Id);
        Assert.Equal((4, (string?)null), (survey.OutcomeSatisfaction, survey.Comment));
        Assert.Equal(TicketState.FollowUp, (await ReloadAsync(ticket)).State);
    }

    [StorageFact]
    public async Task Survey_WithoutTheFirstThreeScores_IsRefusedWithWhatIsMissing_AndStaysOpen()
    {
        var (ticket, token) = await SurveySentAsync(RelationshipLevel.Basic);
        var customer = Anonymous();

        var response = await Forms.PostAsync(customer, $"/survey/{token}", $"/survey/{token}", new() { ["HandlingSatisfaction"] = "4", ["Intention"] = "4", ["Comment"] = "hm" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("Satisfaction with the outcome needs a score from 1 to 5.", html);
        Assert.Contains(">hm</textarea>", html); // what they typed is kept
        await using var db = desk.Database.NewContext();
        Assert.Null((await db.Surveys.AsNoTracking().SingleAsync(s => s.TicketId == ticket.Id)).AnsweredAt);
    }

    [StorageFact]
    public async Task SurveyPage_InChinese_HasNoEnglishLeftOver_AndWorksWithoutSignIn()
    {
        var (_, token) = await SurveySentAsync(RelationshipLevel.Basic, language: "zh");

        var response = await Anonymous().GetAsync($"/survey/{token}?culture=zh-CN");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("您对处理结果", WebUtility.HtmlDecode(html));
        Assert.Contains("A new kettle is on its way.", WebUtility.HtmlDecode(html)); // the decision they are asked about
        EnglishLeftovers.AssertNone(html, new HashSet<string> { "English" }, ["Kettle", "leaks", "A new kettle is on its way."]);
        Assert.Equal(HttpStatusCode.NotFound, (await Anonymous().GetAsync("/survey/" + new string('a', 43))).StatusCode);
    }

    [StorageFact]
    public async Task WinBackTask_FromTheReport_GoesOnTheQueueOnceForTheCustomer()
    {
        var ticket = await InProgressAsync(RelationshipLevel.Proactive, owner: "owner.olga");
        var manager = await desk.SignedInAsync("maria");

        var first = await Forms.PostAsync(manager, "/reports/win-back", $"/followups/win-back/{ticket.Id}", []);
        var second = await Forms.PostAsync(manager, "/reports/win-back", $"/followups/win-back/{ticket.Id}", []);
        var agentTry = await Forms.PostAsync(await desk.SignedInAsync("alice"), "/followups", $"/followups/win-back/{ticket.Id}", []);

        Assert.Equal((HttpStatusCode.Redirect, HttpStatusCode.Redirect), (first.StatusCode, second.StatusCode));
        Assert.StartsWith("/account/denied", agentTry.Headers.Location!.PathAndQuery); // agents do not read the win-back report
        await using var db = desk.Database.NewContext();
        var task = Assert.Single(await db.FollowUpTasks.AsNoTracking().Where(t => t.TicketId == ticket.Id).ToListAsync());
        Assert.Equal((FollowUpTaskKind.WinBack, "owner.olga", "maria", Now.Date.AddDays(2).AddSeconds(-1)), (task.Kind, task.AssignedTo, task.CreatedBy, task.DueAt));
        Assert.Contains("already has a win-back call due", WebUtility.HtmlDecode(await manager.GetStringAsync("/reports/win-back")));
        Assert.Contains($"data-task=\"{task.Id}\"", await manager.GetStringAsync("/followups"));
    }

    [StorageFact]
    public async Task CustomerOwner_SetByAManager_GetsThePartnershipAccountReview()
    {
        var ticket = await InProgressAsync(RelationshipLevel.Partnership);
        long customerId;
        await using (var db = desk.Database.NewContext())
            customerId = await db.Tickets.Where(t => t.Id == ticket.Id).Select(t => t.CustomerId).SingleAsync();
        var manager = await desk.SignedInAsync("maria");
        var agent = await desk.SignedInAsync("alice");

        var unknown = await Forms.PostAsync(manager, $"/customers/{customerId}", $"/customers/{customerId}/owner", new() { ["owner"] = "nobody-here" });
        var byAgent = await Forms.PostAsync(agent, $"/customers/{customerId}", $"/customers/{customerId}/owner", new() { ["owner"] = "alice" });
        var set = await Forms.PostAsync(manager, $"/customers/{customerId}", $"/customers/{customerId}/owner", new() { ["owner"] = "maria" });
        await ResolveAsync(ticket);

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.StartsWith("/account/denied", byAgent.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        await using var check = desk.Database.NewContext();
        Assert.Equal("maria", (await check.Customers.AsNoTracking().SingleAsync(c => c.Id == customerId)).Owner);
        var review = await check.FollowUpTasks.AsNoTracking().SingleAsync(t => t.TicketId == ticket.Id && t.Kind == FollowUpTaskKind.AccountReview);
        Assert.Equal("maria", review.AssignedTo);
    }

    [StorageFact]
    public async Task AdminPlans_ChangedCheckInDay_IsUsedForTheNextResolution_BadValuesAreRefused()
    {
        var admin = await desk.SignedInAsync("admin");
        var agent = await desk.SignedInAsync("alice");
        var fields = new Dictionary<string, string>
        {
            ["WindowDays"] = "20", ["SurveyAfterHours"] = "2", ["InviteCallBack"] = "true", ["CheckInAfterDays"] = "5",
            ["LaterCheckInAfterDays"] = "", ["AccountReviewAfterDays"] = "",
        };

        var bad = await Forms.PostAsync(admin, "/admin/follow-ups", "/admin/follow-ups/Accountable", new(fields) { ["CheckInAfterDays"] = "21" });
        var denied = await agent.GetAsync("/admin/follow-ups");
        var saved = await Forms.PostAsync(admin, "/admin/follow-ups", "/admin/follow-ups/Accountable", new(fields));
        var ticket = await InProgressAsync(RelationshipLevel.Accountable);
        var resolvedAt = Now;
        await ResolveAsync(ticket);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("A follow-up task must fall inside the follow-up window (0 to 20 days).", WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync()));
        Assert.StartsWith("/account/denied", denied.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        await using var db = desk.Database.NewContext();
        var task = await db.FollowUpTasks.AsNoTracking().SingleAsync(t => t.TicketId == ticket.Id);
        Assert.Equal((FollowUpTaskKind.CheckIn, resolvedAt.AddDays(5)), (task.Kind, task.DueAt));
        Assert.Equal(resolvedAt.AddHours(2), (await db.Surveys.AsNoTracking().SingleAsync(s => s.TicketId == ticket.Id)).SendAfter);
        Assert.Equal(resolvedAt.AddDays(20), (await db.Tickets.AsNoTracking().SingleAsync(t => t.Id == ticket.Id)).FollowUpDueAt);
        // Put the default back: other tests of this class resolve accountable customers.
        var plan = await db.FollowUpPlans.SingleAsync(p => p.Level == RelationshipLevel.Accountable);
        var defaults = FollowUpPlan.Default(RelationshipLevel.Accountable);
        plan.Change(defaults.WindowDays, defaults.SurveyAfterHours, defaults.InviteCallBack, defaults.CheckInAfterDays, null, null);
        await db.SaveChangesAsync();
    }

    [StorageFact]
    public async Task SurveyAndTaskPosts_WithoutTheAntiforgeryToken_AreRefusedAndChangeNothing()
    {
        var (ticket, token) = await SurveySentAsync(RelationshipLevel.Accountable);
        var taskId = await TaskIdAsync(ticket.Id, FollowUpTaskKind.CheckIn);
        var agent = await desk.SignedInAsync("alice");

        var survey = await Anonymous().PostAsync($"/survey/{token}", new FormUrlEncodedContent(Answer(5, 5, 5)));
        var task = await agent.PostAsync($"/followups/{taskId}/done", new FormUrlEncodedContent(new Dictionary<string, string> { ["Note"] = "x" }));

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (survey.StatusCode, task.StatusCode));
        await using var db = desk.Database.NewContext();
        Assert.Null((await db.Surveys.AsNoTracking().SingleAsync(s => s.TicketId == ticket.Id)).AnsweredAt);
        Assert.Null((await db.FollowUpTasks.AsNoTracking().SingleAsync(t => t.Id == taskId)).Outcome);
    }

    [StorageFact]
    public async Task FollowUpsQueueAndTicketCard_InChinese_HaveNoEnglishLeftovers()
    {
        var ticket = await InProgressAsync(RelationshipLevel.Partnership, language: "zh", owner: "maria");
        await ResolveAsync(ticket);
        var agent = await desk.SignedInAsync("alice");

        var queue = await agent.GetStringAsync("/followups?show=all&culture=zh-CN");
        var page = await agent.GetStringAsync($"/tickets/{ticket.Number}?culture=zh-CN");
        var card = page[page.IndexOf("id=\"follow-up\"", StringComparison.Ordinal)..page.IndexOf("id=\"steps\"", StringComparison.Ordinal)];

        Assert.Contains("回访电话", card);
        Assert.Contains("客户评审", queue);
        Assert.Contains("问卷计划于", card);
        await using var db = desk.Database.NewContext();
        var data = await (from t in db.FollowUpTasks
                          join k in db.Tickets on t.TicketId equals k.Id
                          join c in db.Customers on t.CustomerId equals c.Id
                          select new[] { c.Name, k.Subject, t.Note ?? "", t.AssignedTo ?? "", t.SettledBy ?? "" }).ToListAsync();
        string[] people = ["alice", "maria", "desk", "admin"];
        EnglishLeftovers.AssertNone(queue, new HashSet<string> { "Desk", "English", "UTC" }, [.. data.SelectMany(d => d).Where(d => d.Length > 0), .. people]);
        EnglishLeftovers.AssertNone(card, new HashSet<string> { "UTC" }, people);
    }

    // --- helpers ---

    private DateTime Now => desk.Clock.GetUtcNow().UtcDateTime;

    private sealed record NewTicket(long Id, string Number, string Email);

    private async Task<NewTicket> InProgressAsync(RelationshipLevel level, string language = "en", string? owner = null)
    {
        _ = desk.Services; // the desk builds its database when it starts
        await using var db = desk.Database.NewContext();
        var n = Interlocked.Increment(ref _customers);
        var customer = new Customer($"followup{n}@example.org", $"Lena {n}", Now.AddYears(-1), language, level);
        customer.AssignOwner(owner);
        db.Customers.Add(customer);
        await db.SaveChangesAsync();
        var ticket = TicketInState.InProgress(customer, Now, "alice");
        db.Tickets.Add(ticket);
        await db.SaveChangesAsync();
        return new NewTicket(ticket.Id, ticket.Number, customer.Email);
    }

    private async Task ResolveAsync(NewTicket ticket)
    {
        var agent = await desk.SignedInAsync("alice");
        int version;
        await using (var db = desk.Database.NewContext())
            version = await db.Tickets.Where(t => t.Id == ticket.Id).Select(t => t.Version).SingleAsync();
        var response = await Forms.PostAsync(agent, $"/tickets/{ticket.Number}", $"/tickets/{ticket.Number}/steps/Resolve", new()
        {
            ["RemedyKindId"] = "2", ["RemedyCost"] = "18.40", ["RootCauseId"] = "71", ["Text"] = "A new kettle is on its way.",
            ["Version"] = version.ToString(CultureInfo.InvariantCulture),
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    /// <summary>A resolved ticket whose survey went out, and the token from the link in the mail.</summary>
    private async Task<(NewTicket Ticket, string Token)> SurveySentAsync(RelationshipLevel level, string language = "en")
    {
        var ticket = await InProgressAsync(level, language);
        await ResolveAsync(ticket);
        desk.Clock.Advance(TimeSpan.FromHours(24));
        await RunSchedulerAsync();
        return (ticket, TokenIn(Assert.Single(await SurveyMailsAsync(ticket.Id))));
    }

    private Task<FollowUpRound> RunSchedulerAsync() => desk.Services.GetRequiredService<FollowUpScheduler>().RunAsync(CancellationToken.None);

    private async Task<List<(string To, string Subject, string TextBody)>> SurveyMailsAsync(long ticketId)
    {
        await using var db = desk.Database.NewContext();
        var mails = await db.OutboundMails.AsNoTracking().Where(m => m.TicketId == ticketId && m.Kind == OutboundKind.Survey).ToListAsync();
        var sent = new List<(string To, string Subject, string TextBody)>();
        foreach (var mail in mails) // as the customer got it: the desk's copy loses the link once sent
            sent.Add((mail.To, mail.Subject, (await desk.PickedUpAsync(mail.MessageId)).TextBody ?? ""));
        return sent;
    }

    private static string TokenIn((string To, string Subject, string TextBody) mail) => SurveyLink().Match(mail.TextBody).Groups[1].Value;

    private async Task<long> TaskIdAsync(long ticketId, FollowUpTaskKind kind)
    {
        await using var db = desk.Database.NewContext();
        return await db.FollowUpTasks.Where(t => t.TicketId == ticketId && t.Kind == kind).Select(t => t.Id).SingleAsync();
    }

    private async Task<Ticket> ReloadAsync(NewTicket ticket)
    {
        await using var db = desk.Database.NewContext();
        return await db.Tickets.AsNoTracking().AsSplitQuery().Include(t => t.Conversation).Include(t => t.AuditTrail).SingleAsync(t => t.Id == ticket.Id);
    }

    private HttpClient Anonymous() => desk.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    private static Dictionary<string, string> Answer(int outcome, int handling, int intention, string? antiforgery = null, string? comment = null)
    {
        var fields = new Dictionary<string, string>
        {
            ["OutcomeSatisfaction"] = outcome.ToString(CultureInfo.InvariantCulture),
            ["HandlingSatisfaction"] = handling.ToString(CultureInfo.InvariantCulture),
            ["Intention"] = intention.ToString(CultureInfo.InvariantCulture),
            ["AcceptsDecision"] = "yes", ["Reliability"] = "4", ["Comment"] = comment ?? "",
        };
        if (antiforgery is not null) fields["__RequestVerificationToken"] = antiforgery;
        return fields;
    }

    [GeneratedRegex(@"/survey/([A-Za-z0-9_-]{43})")]
    private static partial Regex SurveyLink();
}

public sealed class FollowUpFlowTestsOnSqlite(DeskWebFactory desk) : FollowUpFlowTests(desk), IClassFixture<DeskWebFactory>;

public sealed class FollowUpFlowTestsOnPostgres(PostgresDesk desk) : FollowUpFlowTests(desk), IClassFixture<PostgresDesk>, IRunsOnPostgres;

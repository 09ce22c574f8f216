using System.Net;
using Desk.Domain.Remedies;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Web;

public abstract class TicketStepsTests(DeskWebFactory factory) : IAsyncLifetime
{
    private HttpClient _agent = null!;
    private static int _picked;

    public async Task InitializeAsync() => _agent = await factory.SignedInAsync("alice");

    public Task DisposeAsync() => Task.CompletedTask;

    [StorageFact]
    public async Task Resolve_WithRemedyCostAndRootCause_ResolvesAndRecordsWhoDidIt()
    {
        var ticket = await TicketIn(TicketState.InProgress);
        var response = await PostAsync(ticket, "steps/Resolve", new()
        {
            ["RemedyKindId"] = "2", ["RemedyCost"] = "18.40", ["RootCauseId"] = "71", ["Text"] = "A new one is on its way.",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/tickets/{ticket.Number}?done=Resolve", response.Headers.Location!.OriginalString);
        var stored = await Reload(ticket);
        // Resolving starts the follow-up plan at once (FollowUpTests has the plan itself).
        Assert.Equal((TicketState.FollowUp, (int?)RemedyKinds.Replacement, (decimal?)18.40m, (int?)71),
            (stored.State, stored.RemedyGivenId, stored.RemedyCost, stored.RootCauseId));
        Assert.Equal(("alice", DeskWebFactory.Now), (stored.AuditTrail.Single(a => a.Trigger == TicketTrigger.Resolve && a.At == DeskWebFactory.Now).Actor, stored.ResolvedAt!.Value));
        Assert.Equal("A new one is on its way.", stored.Conversation.OrderBy(e => e.Id).Last(e => e.Kind == ConversationEntryKind.Outbound).Body);
    }

    [StorageFact]
    public async Task Resolve_WithoutRootCause_ShowsTheDomainMessageAndSavesNothing()
    {
        var ticket = await TicketIn(TicketState.InProgress);
        var response = await PostAsync(ticket, "steps/Resolve", new() { ["RemedyKindId"] = "1", ["RemedyCost"] = "10" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("a root cause", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
        var stored = await Reload(ticket);
        Assert.Equal((TicketState.InProgress, ticket.Version), (stored.State, stored.Version));
    }

    [StorageFact]
    public async Task Step_NotPermittedInThisState_IsRefusedWithMessageAndSavesNothing()
    {
        var ticket = await TicketIn(TicketState.AwaitingCustomer);
        var response = await PostAsync(ticket, "steps/Close", new() { ["Text"] = "done" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("cannot be closed now", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
        Assert.Equal(ticket.Version, (await Reload(ticket)).Version);
    }

    [StorageFact]
    public async Task Step_NotPermitted_ForAChineseReader_IsRefusedInChinese()
    {
        var ticket = await TicketIn(TicketState.AwaitingCustomer);
        var response = await PostAsync(ticket, "steps/Close?culture=zh-CN", new() { ["Text"] = "done" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains($"工单 {ticket.Number} 处于“等待顾客”状态，现在无法关闭。", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
        Assert.Equal(ticket.Version, (await Reload(ticket)).Version);
    }

    [StorageFact]
    public async Task Step_AfterSomeoneElseChangedTheTicket_IsRefusedAsConflictAndSavesNothing()
    {
        var ticket = await TicketIn(TicketState.InProgress);
        var response = await PostAsync(ticket, "steps/Escalate", new() { ["Text"] = "Angry" }, version: ticket.Version - 1);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("changed by someone else", await response.Content.ReadAsStringAsync());
        var stored = await Reload(ticket);
        Assert.Equal((TicketState.InProgress, ticket.Version, (string?)null), (stored.State, stored.Version, stored.EscalationReason));
    }

    [StorageFact]
    public async Task Assign_ToAnotherAgent_MovesAcknowledgedTicketIntoProgress()
    {
        var ticket = await TicketIn(TicketState.Acknowledged);
        var response = await PostAsync(ticket, "steps/Assign", new() { ["Assignee"] = "wang.fang" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var stored = await Reload(ticket);
        Assert.Equal((TicketState.InProgress, "wang.fang"), (stored.State, stored.AssignedTo));
    }

    [StorageFact]
    public async Task Merge_IntoUnknownTicket_IsRefused()
    {
        var ticket = await TicketIn(TicketState.Acknowledged);
        var response = await PostAsync(ticket, "steps/Merge", new() { ["MergeInto"] = "D-987654" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("no ticket", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
        Assert.Equal(TicketState.Acknowledged, (await Reload(ticket)).State);
    }

    [StorageFact]
    public async Task Reply_WithScript_IsStoredAsWrittenAndShownAsText()
    {
        var ticket = await TicketIn(TicketState.InProgress);
        const string hostile = "<script>alert('x')</script><img src=x onerror=alert(1)>";
        var response = await PostAsync(ticket, "actions/Reply", new() { ["Text"] = hostile });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var html = await _agent.GetStringAsync($"/tickets/{ticket.Number}");
        Assert.DoesNotContain("<script>alert", html);
        Assert.DoesNotContain("<img src=x", html);
        // Agents' replies are Markdown with raw HTML turned off: typed tags are shown as the text they are.
        Assert.Contains("&lt;script&gt;alert(", html);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", html);
        var stored = await Reload(ticket);
        Assert.Equal(hostile, stored.Conversation.OrderBy(e => e.Id).Last().Body);
        Assert.NotNull(stored.FirstRespondedAt);
    }

    [StorageFact]
    public async Task Note_IsAddedAsInternal()
    {
        var ticket = await TicketIn(TicketState.Escalated);
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(ticket, "actions/Note", new() { ["Text"] = "Supplier called back" })).StatusCode);
        var last = (await Reload(ticket)).Conversation.OrderBy(e => e.Id).Last();
        Assert.Equal((ConversationEntryKind.InternalNote, "alice", "Supplier called back"), (last.Kind, last.Author, last.Body));
    }

    [StorageTheory]
    [InlineData("steps/Fly")]
    [InlineData("actions/Delete")]
    public async Task UnknownStepOrAction_Is404(string path)
    {
        var ticket = await TicketIn(TicketState.InProgress);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(ticket, path, [])).StatusCode);
    }

    [StorageFact]
    public async Task Step_WithoutAntiforgeryToken_IsRefusedWith400()
    {
        var ticket = await TicketIn(TicketState.InProgress);
        var response = await _agent.PostAsync($"/tickets/{ticket.Number}/steps/Escalate",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Version"] = ticket.Version.ToString(), ["Text"] = "x" }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(TicketState.InProgress, (await Reload(ticket)).State);
    }

    private async Task<HttpResponseMessage> PostAsync(Ticket ticket, string path, Dictionary<string, string> fields, int? version = null)
    {
        fields["Version"] = (version ?? ticket.Version).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await Forms.PostAsync(_agent, $"/tickets/{ticket.Number}", $"/tickets/{ticket.Number}/{path}", fields);
    }

    /// <summary>A different ticket in <paramref name="state"/> for every call, so tests sharing the desk never meet.</summary>
    private async Task<Ticket> TicketIn(TicketState state)
    {
        var skip = Interlocked.Increment(ref _picked);
        await using var db = factory.Database.NewContext();
        var candidates = await db.Tickets.AsNoTracking().Where(t => t.State == state).OrderBy(t => t.Id).ToListAsync();
        Assert.True(candidates.Count > 0, $"no demo ticket in {state}");
        return candidates[skip % candidates.Count];
    }

    private async Task<Ticket> Reload(Ticket ticket)
    {
        await using var db = factory.Database.NewContext();
        return await db.Tickets.AsNoTracking().Include(t => t.AuditTrail).Include(t => t.Conversation).SingleAsync(t => t.Id == ticket.Id);
    }
}

public sealed class TicketStepsTestsOnSqlite(DeskWebFactory factory) : TicketStepsTests(factory), IClassFixture<DeskWebFactory>;

public sealed class TicketStepsTestsOnPostgres(PostgresDesk factory) : TicketStepsTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

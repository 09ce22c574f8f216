using System.Diagnostics;
using System.Net;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web.Data;
using Desk.Web.Features.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Desk.Tests.Web;

/// <summary>
/// The ticket page's choice lists (SLA targets, causes, remedies, tags, agents, canned replies, the repurchase window)
/// are kept per desk: the page reads its own rows only, and a committed change to a list shows on the next view.
/// </summary>
public abstract class ReferenceListsTests(DeskWebFactory factory)
{
    [StorageFact]
    public async Task TicketPage_AfterAdminAddsRemedyKind_OffersItOnTheNextView()
    {
        var agent = await factory.SignedInAsync("alice");
        var number = await FirstOpenTicketAsync(TicketState.InProgress); // its page offers Resolve, with the remedies
        Assert.DoesNotContain("Handwritten apology", await agent.GetStringAsync($"/tickets/{number}")); // now kept

        var admin = await factory.SignedInAsync("admin");
        var added = await Forms.PostAsync(admin, "/admin/remedies", "/admin/remedies",
            new() { ["Name"] = "Handwritten apology", ["NameZh"] = "手写道歉信" });
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);

        Assert.Contains("Handwritten apology", await agent.GetStringAsync($"/tickets/{number}"));
    }

    [StorageFact]
    public async Task ReferenceLists_ChangedInATransaction_KeptUntilCommittedThenReadAgain()
    {
        var cache = factory.Services.GetRequiredService<ReferenceCache>();
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskDbContext>();
        var before = cache.Get(db).RepurchaseWindow;
        var amount = (await db.RecoverySettings.AsNoTracking().SingleAsync()).MajorLossAmount;
        var days = (int)before.TotalDays == 91 ? 92 : 91;

        await using (var rolledBack = await db.Database.BeginTransactionAsync())
        {
            (await db.RecoverySettings.SingleAsync()).Change(days, amount);
            await db.SaveChangesAsync();
            await rolledBack.RollbackAsync();
        }
        db.ChangeTracker.Clear();
        Assert.Same(cache.Get(db), cache.Get(db)); // still kept: nothing was committed
        Assert.Equal(before, cache.Get(db).RepurchaseWindow);

        await using (var committed = await db.Database.BeginTransactionAsync())
        {
            (await db.RecoverySettings.SingleAsync()).Change(days, amount);
            await db.SaveChangesAsync();
            await committed.CommitAsync();
        }
        Assert.Equal(TimeSpan.FromDays(days), cache.Get(db).RepurchaseWindow);

        (await db.RecoverySettings.SingleAsync()).Change((int)before.TotalDays, amount); // as it was, for the other tests
        await db.SaveChangesAsync();
        Assert.Equal(before, cache.Get(db).RepurchaseWindow);
    }

    [StorageFact]
    public async Task TicketPage_Viewed_ReadsAtMostSeventeenStatements()
    {
        var agent = await factory.SignedInAsync("alice");
        var number = await FirstOpenTicketAsync();
        await agent.GetStringAsync($"/tickets/{number}"); // the kept lists are read once, not per view

        var statements = await StatementsOfAsync(agent, $"/tickets/{number}");

        Assert.NotEmpty(statements); // the count below means something
        Assert.DoesNotContain(statements, s => s.Contains("\"SlaTargets\"") || s.Contains("\"RootCauses\"") || s.Contains("\"RemedyKinds\"")
            || s.Contains("\"CuratedTags\"") || s.Contains("\"Macros\"") || s.Contains("\"AspNetUserRoles\"") || s.Contains("\"RecoverySettings\"")
            || s.Contains("\"Teams\"") || s.Contains("\"AgentSignatures\""));
        Assert.True(statements.Count <= 17, $"{statements.Count} statements:\n{string.Join("\n", statements)}");
    }

    /// <summary>
    /// The statements one request runs (its activity carries the trace id sent with it), less the session check, which
    /// reads the user's stamp at most every few seconds whatever the page (<see cref="Desk.Web.Identity.SessionStamps"/>).
    /// </summary>
    private static async Task<List<string>> StatementsOfAsync(HttpClient agent, string url)
    {
        var trace = ActivityTraceId.CreateRandom();
        var statements = new List<string>();
        using var activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
        };
        ActivitySource.AddActivityListener(activities);
        using var commands = DiagnosticListener.AllListeners.Subscribe(new Listeners(listener =>
            listener.Name == DbLoggerCategory.Name ? listener.Subscribe(new Events(e =>
            {
                if (e.Key == RelationalEventId.CommandExecuted.Name && e.Value is CommandExecutedEventData executed
                    && Activity.Current?.TraceId == trace && !executed.Command.CommandText.Contains("\"SecurityStamp\"", StringComparison.Ordinal))
                    lock (statements) statements.Add(executed.Command.CommandText);
            })) : null));

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await agent.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return statements;
    }

    [StorageFact]
    public async Task QueuePage_ViewedAgain_ReadsItsRowsTagsAndViewsOnly()
    {
        var agent = await factory.SignedInAsync("alice");
        await agent.GetStringAsync("/"); // the counts are kept from here

        var statements = await StatementsOfAsync(agent, "/");

        Assert.NotEmpty(statements);
        Assert.DoesNotContain(statements, s => s.Contains("\"QueueCounters\""));
        Assert.True(statements.Count <= 3, $"{statements.Count} statements:\n{string.Join("\n", statements)}");
        // The page's ticket ids go to the tag query as one parameter (one SQL text for any page), not one each.
        var tags = Assert.Single(statements, s => s.Contains("\"TicketTags\""));
        Assert.DoesNotContain("ids2", tags);
    }

    private async Task<string> FirstOpenTicketAsync(TicketState? state = null)
    {
        await using var db = factory.Database.NewContext();
        var id = await db.Tickets.Where(t => state == null ? t.State != TicketState.Closed : t.State == state).OrderBy(t => t.Id).Select(t => t.Id).FirstAsync();
        return TicketNumber.Format(id);
    }

    private sealed class Listeners(Func<DiagnosticListener, IDisposable?> on) : IObserver<DiagnosticListener>
    {
        public void OnCompleted() { }
        public void OnError(Exception error) { }
        public void OnNext(DiagnosticListener value) => on(value);
    }

    private sealed class Events(Action<KeyValuePair<string, object?>> on) : IObserver<KeyValuePair<string, object?>>
    {
        public void OnCompleted() { }
        public void OnError(Exception error) { }
        public void OnNext(KeyValuePair<string, object?> value) => on(value);
    }
}

public sealed class ReferenceListsTestsOnSqlite(DeskWebFactory factory) : ReferenceListsTests(factory), IClassFixture<DeskWebFactory>;

public sealed class ReferenceListsTestsOnPostgres(PostgresDesk factory) : ReferenceListsTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

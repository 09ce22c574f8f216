using System.Diagnostics;
using System.Globalization;
using System.Net;
using Desk.Domain.Customers;
using Desk.Domain.Sla;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web.Data;
using Desk.Web.Email.Outbound;
using Desk.Web.Features.FollowUps;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Desk.Tests.FollowUps;

/// <summary>
/// The scheduler remembers nothing of its own: stopping the desk and starting it again (on the same database file, later on
/// the clock) neither sends a survey twice nor skips one that came due while the desk was down.
/// </summary>
public abstract class FollowUpRestartTests(DatabaseProvider provider)
{
    [StorageFact]
    public async Task Scheduler_AcrossRestarts_SendsASurveyThatCameDueWhileDownOnce()
    {
        using var shared = new TestDatabase(provider, migrate: false);
        var start = DeskWebFactory.Now;
        NewTicket ticket;

        await using (var first = new RestartingDesk(shared, start))
        {
            ticket = await ResolvedAsync(first);
            await first.Services.GetRequiredService<FollowUpScheduler>().RunAsync(CancellationToken.None);
            Assert.Equal(0, await SurveyMailsAsync(shared, ticket.Id)); // due a day after the resolution
        }

        // A day and an hour later: the scheduler's own first round, at start, finds the survey that came due meanwhile.
        await using (var second = new RestartingDesk(shared, start.AddHours(25)))
        {
            _ = second.Services;
            await UntilAsync(async () => await SurveyMailsAsync(shared, ticket.Id) > 0);
        }

        // Started again: its round at start and one more by hand find nothing left to send.
        await using (var third = new RestartingDesk(shared, start.AddHours(26)))
        {
            await third.Services.GetRequiredService<FollowUpScheduler>().RunAsync(CancellationToken.None);
            Assert.Equal(1, await SurveyMailsAsync(shared, ticket.Id));
        }

        await using var db = shared.NewContext();
        var survey = await db.Surveys.AsNoTracking().SingleAsync(s => s.TicketId == ticket.Id);
        Assert.Equal(start.AddHours(25), survey.SentAt); // sent by the second start, not the third
        Assert.Equal(1, await db.ConversationEntries.CountAsync(e => e.TicketId == ticket.Id && e.Body.StartsWith("Survey sent to")));
    }

    private sealed record NewTicket(long Id, string Number);

    private static async Task<NewTicket> ResolvedAsync(RestartingDesk desk)
    {
        var agent = await desk.SignedInAsync("alice");
        var now = desk.Clock.GetUtcNow().UtcDateTime;
        Ticket ticket;
        await using (var db = desk.Database.NewContext())
        {
            var customer = new Customer("restart@example.org", "Rita", now.AddYears(-1));
            db.Customers.Add(customer);
            await db.SaveChangesAsync();
            ticket = TicketInState.InProgress(customer, now, "alice");
            db.Tickets.Add(ticket);
            await db.SaveChangesAsync();
        }
        var response = await Forms.PostAsync(agent, $"/tickets/{ticket.Number}", $"/tickets/{ticket.Number}/steps/Resolve", new()
        {
            ["RemedyKindId"] = "2", ["RemedyCost"] = "18.40", ["RootCauseId"] = "71", ["Version"] = ticket.Version.ToString(CultureInfo.InvariantCulture),
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return new NewTicket(ticket.Id, ticket.Number);
    }

    private static async Task<int> SurveyMailsAsync(TestDatabase database, long ticketId)
    {
        await using var db = database.NewContext();
        return await db.OutboundMails.CountAsync(m => m.TicketId == ticketId && m.Kind == OutboundKind.Survey);
    }

    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(20)) throw new TimeoutException("The scheduler did not send the survey within 20 s of starting.");
            await Task.Delay(50);
        }
    }

    /// <summary>A desk on <paramref name="database"/> (shared across starts), its clock at <paramref name="at"/>, its scheduler running.</summary>
    private sealed class RestartingDesk(TestDatabase database, DateTime at) : DeskWebFactory
    {
        public override DatabaseProvider Provider => database.Provider;
        public override int DemoTickets => 20;
        public override bool FollowUpSchedulerEnabled => true;
        public new TestDatabase Database => database;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            Clock.SetUtcNow(new DateTimeOffset(at));
            builder.UseSetting("Desk:Database:Provider", database.Provider.ToString());
            builder.UseSetting("Desk:Database:ConnectionString", database.ConnectionString);
        }
    }
}

public sealed class FollowUpRestartTestsOnSqlite() : FollowUpRestartTests(DatabaseProvider.Sqlite);

public sealed class FollowUpRestartTestsOnPostgres() : FollowUpRestartTests(DatabaseProvider.Postgres), IRunsOnPostgres;

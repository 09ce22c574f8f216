using Desk.Domain.FollowUps;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Email.Outbound;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Desk.Web.Features.FollowUps;

/// <summary>What one look of the scheduler did.</summary>
public sealed record FollowUpRound(int SurveysSent, int TasksCancelled, int TicketsClosed);

/// <summary>
/// After-care on the clock: sends the surveys that are due, cancels the tasks of tickets that were reopened, and closes
/// tickets in follow-up that are settled (answered, or the window has passed) with no task open. It remembers nothing
/// itself: every look reads the database, and a survey is marked sent in the same transaction that puts its mail in the
/// outbox, so a restart neither sends a survey twice nor skips one. Time is the injected clock.
/// </summary>
public sealed class FollowUpScheduler(IServiceScopeFactory scopes, TimeProvider clock, IOptions<FollowUpOptions> options,
    WorkLeases leases, ILogger<FollowUpScheduler> log) : BackgroundService
{
    /// <summary>At most this many of each kind of work per transaction, so the write gate is never held long.</summary>
    private const int Batch = 100;

    /// <summary>On every desk; the one holding the scheduler's lease does the work, and another takes over when it dies.</summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.Enabled ? leases.RunWhileHeldAsync("follow-up scheduler", ScheduleAsync, stoppingToken) : Task.CompletedTask;

    private async Task ScheduleAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.CheckIntervalSeconds), clock);
        do
        {
            try
            {
                var round = await RunAsync(stoppingToken);
                if (round != new FollowUpRound(0, 0, 0))
                    log.LogInformation("Follow-up: {Surveys} surveys sent, {Tasks} tasks cancelled, {Closed} tickets closed",
                        round.SurveysSent, round.TasksCancelled, round.TicketsClosed);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e)
            {
                log.LogError(e, "Follow-up scheduling failed; trying again at the next check");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Does everything that is due now, batch after batch, until nothing is left.</summary>
    public async Task<FollowUpRound> RunAsync(CancellationToken ct)
    {
        int sent = 0, cancelled = 0, closed = 0;
        while (true)
        {
            var round = await RunBatchAsync(ct);
            sent += round.SurveysSent;
            cancelled += round.TasksCancelled;
            closed += round.TicketsClosed;
            if (round.SurveysSent < Batch && round.TasksCancelled < Batch && round.TicketsClosed < Batch) break;
        }
        return new FollowUpRound(sent, cancelled, closed);
    }

    private async Task<FollowUpRound> RunBatchAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskDbContext>();
        var outbox = scope.ServiceProvider.GetRequiredService<Outbox>();
        var planner = scope.ServiceProvider.GetRequiredService<FollowUpPlanner>();
        var now = clock.GetUtcNow().UtcDateTime;

        await using var transaction = await db.BeginWriteAsync(ct);
        // Read inside the write transaction: a second scheduler (another process) waits for this one and then sees its work.
        var sent = await SendSurveysAsync(db, outbox, planner, now, ct);
        var cancelled = await CancelTasksOfReopenedTicketsAsync(db, now, ct);
        var closed = await CloseSettledTicketsAsync(db, now, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        if (sent > 0) outbox.Wake();
        return new FollowUpRound(sent, cancelled, closed);
    }

    private async Task<int> SendSurveysAsync(DeskDbContext db, Outbox outbox, FollowUpPlanner planner, DateTime now, CancellationToken ct)
    {
        // Only tickets still in follow-up: a survey of a reopened ticket waits until the ticket is resolved again; one of an
        // unverified ticket until the address's owner confirms it (nothing is mailed to them before).
        var due = await db.Surveys
            .Where(s => s.SentAt == null && s.SendAfter <= now)
            .Where(s => db.Tickets.Any(t => t.Id == s.TicketId && t.State == TicketState.FollowUp && !t.ContactUnverified))
            // A customer without an address (phone or walk-in complaint, or erased) cannot be mailed: their survey stays unsent.
            .Where(s => db.Customers.Any(c => c.Id == s.CustomerId && !c.Email.EndsWith(".invalid")))
            .OrderBy(s => s.SendAfter).Take(Batch).ToListAsync(ct);
        if (due.Count == 0) return 0;
        var lifetime = TimeSpan.FromDays(options.Value.SurveyLinkDays);
        var plans = new Dictionary<Desk.Domain.Customers.RelationshipLevel, FollowUpPlan>(); // five at most: read once per batch
        foreach (var survey in due)
        {
            var ticket = await db.Tickets.SingleAsync(t => t.Id == survey.TicketId, ct);
            var customer = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == survey.CustomerId, ct);
            if (!plans.TryGetValue(customer.Level, out var plan)) plans[customer.Level] = plan = await planner.PlanForAsync(customer.Level, ct);
            var token = survey.Send(now, lifetime);
            await outbox.QueueSurveyAsync(ticket, customer, token, survey.ExpiresAt!.Value, plan.InviteCallBack, options.Value.CallBackPhone, ct);
            ticket.RecordEvent(now, $"Survey sent to {customer.Email}; the link works until {survey.ExpiresAt:yyyy-MM-dd HH:mm} UTC.");
        }
        return due.Count;
    }

    private static async Task<int> CancelTasksOfReopenedTicketsAsync(DeskDbContext db, DateTime now, CancellationToken ct)
    {
        // A win-back task is about a customer gone quiet, not about the ticket's state: it stays.
        var stale = await db.FollowUpTasks
            .Where(t => t.Outcome == null && t.Kind != FollowUpTaskKind.WinBack)
            .Where(t => db.Tickets.Any(k => k.Id == t.TicketId && k.State != TicketState.FollowUp && k.State != TicketState.Resolved && k.State != TicketState.Closed))
            .OrderBy(t => t.Id) // oldest first, and no EF warning about a limit without an order
            .Take(Batch).ToListAsync(ct);
        foreach (var task in stale) task.Skip("desk", now, "The ticket was reopened; a new plan comes with its next resolution.");
        return stale.Count;
    }

    private static async Task<int> CloseSettledTicketsAsync(DeskDbContext db, DateTime now, CancellationToken ct)
    {
        var settled = await db.Tickets
            .Where(t => t.State == TicketState.FollowUp && (t.FollowUpRecordedAt != null || t.FollowUpDueAt <= now))
            .Where(t => !db.FollowUpTasks.Any(k => k.TicketId == t.Id && k.Outcome == null && k.Kind != FollowUpTaskKind.WinBack))
            .OrderBy(t => t.FollowUpDueAt).Take(Batch)
            .ToListAsync(ct);
        foreach (var ticket in settled)
            ticket.Close("desk", now, ticket.FollowUpRecordedAt is not null
                ? "Follow-up done: the customer's answer is recorded and no task is open."
                : "The follow-up window ended with no answer and no task open.");
        return settled.Count;
    }
}

using System.ComponentModel.DataAnnotations;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Email.Outbound;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Desk.Web.Features.Notifications;

/// <summary>The notices' settings that are not an admin's page (<c>Desk:Notifications</c>).</summary>
public sealed class NotificationOptions
{
    public const string Section = "Desk:Notifications";

    /// <summary>Off in tests that run the SLA watch by hand; on everywhere else.</summary>
    public bool SlaWatchEnabled { get; set; } = true;

    /// <summary>How often the watch looks for targets about to be missed or missed.</summary>
    [Range(1, 3600)]
    public int CheckIntervalSeconds { get; set; } = 60;

    /// <summary>
    /// Breaches whose due time is longer ago than this are left alone: a desk that turns the watch on for the first time
    /// (or comes back after a long stop) does not escalate and mail about every old overdue ticket at once.
    /// </summary>
    [Range(1, 24 * 365)]
    public int LookBackHours { get; set; } = 7 * 24;
}

/// <summary>What one look of the watch did.</summary>
public sealed record SlaWatchRound(int Warned, int Missed, int Escalated);

/// <summary>
/// Watches the SLA clocks of open tickets: warns the assignee when a target is about to be missed (the admins' lead time),
/// tells them when it was missed, and escalates a missed ticket to the configured agent or team (an audit entry by
/// "desk"; the escalation's own notice tells its target). Each breach is dealt with once, however many desks run: one
/// desk looks at a time (a lease), and each breach is claimed by a unique row (<see cref="SlaNotice"/>) written in the
/// same transaction as its escalation and notices, so a second claimer's whole change rolls back. Time is the injected clock.
/// </summary>
public sealed class SlaWatch(IServiceScopeFactory scopes, TimeProvider clock, IOptions<NotificationOptions> options, WorkLeases leases,
    ILogger<SlaWatch> log) : BackgroundService
{
    /// <summary>At most this many breaches per look of each kind; the next look takes the rest.</summary>
    private const int Batch = 200;

    private const string IsOpen = Data.Configurations.TicketConfiguration.OpenColumn;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.SlaWatchEnabled ? leases.RunWhileHeldAsync("SLA watch", WatchAsync, stoppingToken) : Task.CompletedTask;

    private async Task WatchAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.CheckIntervalSeconds), clock);
        do
        {
            try
            {
                var round = await RunAsync(stoppingToken);
                if (round != new SlaWatchRound(0, 0, 0))
                    log.LogInformation("SLA watch: {Warned} warned, {Missed} missed, {Escalated} escalated", round.Warned, round.Missed, round.Escalated);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e)
            {
                log.LogError(e, "The SLA watch failed; trying again at the next check");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Deals with every breach due now (within the look-back), each in its own transaction.</summary>
    public async Task<SlaWatchRound> RunAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskDbContext>();
        var outbox = scope.ServiceProvider.GetRequiredService<Outbox>();
        var now = clock.GetUtcNow().UtcDateTime;
        var settings = await db.Set<SlaWatchSettings>().AsNoTracking().SingleOrDefaultAsync(ct) ?? SlaWatchSettings.Default;
        var since = now.AddHours(-options.Value.LookBackHours);
        var warnBy = now.AddMinutes(settings.WarnMinutesBefore);

        var breaches = new List<(long TicketId, SlaClock Clock, SlaStage Stage, DateTime DueAt)>();
        var tickets = db.Tickets.AsNoTracking().Where(t => EF.Property<int>(t, IsOpen) == 1 && !t.ContactUnverified);
        var notices = db.Set<SlaNotice>();
        breaches.AddRange((await tickets
                .Where(t => t.FirstRespondedAt == null && t.FirstResponseDueAt >= since && t.FirstResponseDueAt <= warnBy)
                .Where(t => !notices.Any(n => n.TicketId == t.Id && n.Clock == SlaClock.FirstResponse && n.DueAt == t.FirstResponseDueAt
                    && (n.Stage == SlaStage.Missed || t.FirstResponseDueAt > now)))
                .OrderBy(t => t.FirstResponseDueAt).Take(Batch).Select(t => new { t.Id, t.FirstResponseDueAt }).ToListAsync(ct))
            .Select(t => (t.Id, SlaClock.FirstResponse, t.FirstResponseDueAt <= now ? SlaStage.Missed : SlaStage.Warning, t.FirstResponseDueAt)));
        breaches.AddRange((await tickets
                .Where(t => t.ResolvedAt == null && t.ResolutionDueAt >= since && t.ResolutionDueAt <= warnBy)
                .Where(t => !notices.Any(n => n.TicketId == t.Id && n.Clock == SlaClock.Resolution && n.DueAt == t.ResolutionDueAt
                    && (n.Stage == SlaStage.Missed || t.ResolutionDueAt > now)))
                .OrderBy(t => t.ResolutionDueAt).Take(Batch).Select(t => new { t.Id, t.ResolutionDueAt }).ToListAsync(ct))
            .Select(t => (t.Id, SlaClock.Resolution, t.ResolutionDueAt <= now ? SlaStage.Missed : SlaStage.Warning, t.ResolutionDueAt)));

        int warned = 0, missed = 0, escalated = 0;
        foreach (var breach in breaches)
        {
            // A warning lead of 0 warns nobody: the breach is only dealt with once it is missed.
            if (breach.Stage == SlaStage.Warning && settings.WarnMinutesBefore == 0) continue;
            db.ChangeTracker.Clear();
            try
            {
                var didEscalate = await DealWithAsync(db, breach.TicketId, breach.Clock, breach.Stage, breach.DueAt, settings.EscalationTarget, now, ct);
                if (breach.Stage == SlaStage.Warning) warned++; else missed++;
                if (didEscalate) escalated++;
            }
            catch (Exception e) when (e is ConcurrencyConflictException || e is DbUpdateException && db.Provider.IsConflict(e))
            {
                // Another desk (or an agent) changed the ticket or claimed this breach first: theirs stands; a still
                // unclaimed breach is seen again at the next look.
                log.LogInformation("SLA watch: ticket {Ticket} was dealt with elsewhere meanwhile ({Error})", TicketNumber.Format(breach.TicketId), e.Message);
            }
        }
        db.ChangeTracker.Clear();
        if (warned + missed > 0) outbox.Wake();
        return new SlaWatchRound(warned, missed, escalated);
    }

    /// <summary>One breach: claims it, escalates a miss when a target is set and the workflow allows, tells people; one save.</summary>
    private static async Task<bool> DealWithAsync(DeskDbContext db, long ticketId, SlaClock which, SlaStage stage, DateTime dueAt,
        EscalationTarget? target, DateTime now, CancellationToken ct)
    {
        var ticket = await db.Tickets.SingleAsync(t => t.Id == ticketId, ct);
        db.Set<SlaNotice>().Add(new SlaNotice(ticketId, which, stage, dueAt, now));
        var pending = new List<PendingNotice>();
        var kind = stage == SlaStage.Warning ? NoticeEvent.SlaWarning : NoticeEvent.SlaMissed;
        if (ticket.AssignedTo is { } assignee) pending.Add(new(assignee, kind, ticketId, "desk", which.ToString(), now));
        var didEscalate = false;
        if (stage == SlaStage.Missed && target is not null)
        {
            if (ticket.CanTake(TicketTrigger.Escalate, now))
            {
                var clockName = which == SlaClock.FirstResponse ? "first-response" : "resolution";
                ticket.Escalate("desk", now, $"SLA missed: the {clockName} target was {dueAt:yyyy-MM-dd HH:mm} UTC.", target);
                didEscalate = true; // the escalation's own notice tells its target
            }
            else pending.Add(new(target.Key, NoticeEvent.SlaMissed, ticketId, "desk", which.ToString(), now));
        }
        await Notices.AddAsync(db, pending, ct);
        await db.SaveChangesAsync(ct);
        return didEscalate;
    }
}

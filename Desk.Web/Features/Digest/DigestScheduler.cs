using Desk.Web.Data;
using Desk.Web.Email;
using Desk.Web.Email.Outbound;
using Desk.Web.Features.Dashboard;
using Desk.Web.Features.Shared;
using Desk.Web.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Desk.Web.Features.Digest;

/// <summary>
/// Sends the digests that are due: each subscriber's, on their day at <see cref="DigestOptions.SendHour"/> in their own
/// time zone, through the outbox. One desk looks at a time (a lease); each digest is claimed by a unique
/// (subscriber, period) row written in the same transaction as its outbox mail, so even two schedulers looking at the
/// same moment send it once — the second one's insert fails and its mail rolls back. It remembers nothing itself: a
/// restart, or another desk taking over, reads the claims. Only managers and admins whose account is enabled and has an
/// address get one. Time is the injected clock.
/// </summary>
public sealed class DigestScheduler(IServiceScopeFactory scopes, TimeProvider clock, IOptions<DigestOptions> options,
    IOptions<DeskTimeZoneOptions> deskZone, WorkLeases leases, ILogger<DigestScheduler> log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.Enabled ? leases.RunWhileHeldAsync("report digest", ScheduleAsync, stoppingToken) : Task.CompletedTask;

    private async Task ScheduleAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.CheckIntervalSeconds), clock);
        do
        {
            try
            {
                var queued = await RunAsync(stoppingToken);
                if (queued > 0) log.LogInformation("Report digest: {Count} queued", queued);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e)
            {
                log.LogError(e, "The report digest failed; trying again at the next check");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>A subscriber's digest that is due now.</summary>
    private sealed record Due(DigestSubscription Subscription, string Email, string Name, DateTime At, string Period);

    /// <summary>Queues every digest due now; returns how many this call queued (a digest another scheduler claimed first is not counted).</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await DueAsync(db, now, ct);
        if (due.Count == 0) return 0;

        // The figures are the same for every subscriber: read once, as the dashboard reads them (its "mine" counts are not shown).
        var dashboard = await scope.ServiceProvider.GetRequiredService<DashboardQuery>().ReadAsync("desk", ct);
        var words = scope.ServiceProvider.GetRequiredService<DigestMail>();
        var mailOptions = scope.ServiceProvider.GetRequiredService<IOptions<MailOptions>>().Value;
        var queued = 0;
        foreach (var digest in due)
        {
            db.ChangeTracker.Clear();
            var subscription = digest.Subscription;
            var message = words.Compose(dashboard, subscription.Frequency, subscription.Language);
            var messageId = NewMessageId(mailOptions);
            db.Set<DigestDelivery>().Add(new DigestDelivery(subscription.UserName, digest.Period, digest.At, messageId, now));
            db.OutboundMails.Add(new OutboundMail(null, OutboundKind.ReportDigest, digest.Email, digest.Name, message.Subject, message.Text,
                subscription.Language, messageId, null, null, now).WithHtml(message.Html));
            try
            {
                await db.SaveChangesAsync(ct); // claim and mail in one transaction
                queued++;
            }
            catch (DbUpdateException e) when (db.Provider.IsConflict(e))
            {
                // Another desk claimed this period first: its digest is the one.
                log.LogInformation("Report digest for {User} ({Period}) was queued elsewhere meanwhile", subscription.UserName, digest.Period);
            }
        }
        db.ChangeTracker.Clear();
        if (queued > 0) scope.ServiceProvider.GetRequiredService<Outbox>().Wake();
        return queued;
    }

    /// <summary>The digests due at <paramref name="now"/>: scheduled since the subscription and within the catch-up window, not claimed yet.</summary>
    private async Task<List<Due>> DueAsync(DeskDbContext db, DateTime now, CancellationToken ct)
    {
        var subscriptions = await db.Set<DigestSubscription>().AsNoTracking().ToListAsync(ct);
        if (subscriptions.Count == 0) return [];
        var names = subscriptions.Select(s => s.UserName).ToList();
        // Subscribers who may read reports today (a manager who became an agent gets none), enabled, with an address.
        string[] readers = [DeskRoles.Manager, DeskRoles.Admin];
        var people = await db.Users.AsNoTracking()
            .Where(u => names.Contains(u.UserName!) && u.Email != null && u.Email != "")
            .Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && readers.Contains(r.Name!))))
            .Select(u => new { u.UserName, u.Email, u.DisplayName, u.TimeZone, u.LockoutEnd }).ToListAsync(ct);
        var enabled = people.Where(p => p.LockoutEnd is null || p.LockoutEnd < DateTimeOffset.UtcNow.AddYears(50)) // a disabled account is locked out for good
            .ToDictionary(p => p.UserName!, StringComparer.Ordinal);
        var window = TimeSpan.FromHours(options.Value.CatchUpHours);
        var since = now - window;
        var claimed = (await db.Set<DigestDelivery>().AsNoTracking().Where(d => names.Contains(d.UserName) && d.ScheduledFor >= since)
            .Select(d => new { d.UserName, d.Period }).ToListAsync(ct)).Select(d => (d.UserName, d.Period)).ToHashSet();
        var fallbackZone = AgentTime.Find(deskZone.Value.TimeZone) ?? TimeZoneInfo.Utc;

        var due = new List<Due>();
        foreach (var subscription in subscriptions)
        {
            if (!enabled.TryGetValue(subscription.UserName, out var person)) continue;
            var zone = AgentTime.Find(person.TimeZone) ?? fallbackZone;
            var (at, day) = DigestSchedule.Latest(subscription.Frequency, subscription.Day, zone, options.Value.SendHour, now);
            var period = DigestSchedule.Period(subscription.Frequency, day);
            if (at < subscription.Since || now - at >= window || claimed.Contains((subscription.UserName, period))) continue;
            due.Add(new Due(subscription, person.Email!, person.DisplayName is { Length: > 0 } display ? display : subscription.UserName, at, period));
        }
        return due;
    }

    /// <summary>Unique and unguessable, on the desk's domain.</summary>
    private static string NewMessageId(MailOptions mail)
    {
        var at = mail.Address.LastIndexOf('@');
        var domain = at >= 0 ? mail.Address[(at + 1)..] : "desk.local";
        return $"digest.{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12))}@{domain}";
    }
}

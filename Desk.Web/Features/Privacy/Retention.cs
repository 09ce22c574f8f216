using Desk.Domain.Tickets;
using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Desk.Web.Features.Privacy;

/// <summary>
/// Removes what the desk has kept longer than <see cref="PrivacyOptions"/> allow: the originals of received mails, the
/// files customers sent, and the words and details of tickets closed long enough ago (kept anonymised, as an erasure
/// keeps them, so the reports still count them). Batch by batch, each its own short write; a run is recorded in the
/// privacy trail whether it removed anything or not, so the admin page can say when it last ran.
/// </summary>
public sealed class Retention(DeskDbContext db, IOptions<PrivacyOptions> options, TimeProvider clock)
{
    public const string Actor = "retention";

    /// <summary>One run at the clock's time: every period that is set, until nothing older is left. Returns what it removed.</summary>
    public async Task<PrivacyCounts> RunAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        var batch = settings.BatchSize;
        var removed = PrivacyCounts.None;
        if (settings.ClosedTicketPersonalDataDays is { } ticketDays)
        {
            // First: a ticket's own mails and files go with its words, whatever their own periods say.
            var closedBefore = now.AddDays(-ticketDays);
            while (await RemoveClosedTicketsAsync(closedBefore, now, batch, ct) is { IsEmpty: false } step) removed = removed.Add(step);
        }
        if (settings.RawMailDays is { } mailDays)
        {
            var before = now.AddDays(-mailDays);
            long step;
            while ((step = await InWriteAsync(async () =>
                   {
                       var ids = await db.InboundMails.Where(m => m.ReceivedAt < before && m.Size > 0).OrderBy(m => m.Id).Select(m => m.Id).Take(batch).ToListAsync(ct);
                       return await PurgeRawAsync(db.InboundMails.Where(m => ids.Contains(m.Id)), ct);
                   }, ct)) > 0)
                removed = removed.Add(new PrivacyCounts(0, step, 0));
        }
        if (settings.AttachmentDays is { } fileDays)
        {
            var before = now.AddDays(-fileDays);
            long step;
            while ((step = await InWriteAsync(async () =>
                   {
                       var ids = await db.Attachments.Where(a => a.AddedAt < before).OrderBy(a => a.Id).Select(a => a.Id).Take(batch).ToListAsync(ct);
                       return (long)await db.Attachments.Where(a => ids.Contains(a.Id)).ExecuteDeleteAsync(ct);
                   }, ct)) > 0)
                removed = removed.Add(new PrivacyCounts(0, 0, step));
        }
        db.PrivacyEvents.Add(new PrivacyEvent(PrivacyAction.Retention, Actor, now, null, removed));
        await db.SaveChangesAsync(ct);
        return removed;
    }

    private async Task<PrivacyCounts> RemoveClosedTicketsAsync(DateTime closedBefore, DateTime now, int batch, CancellationToken ct)
    {
        await using var write = await db.BeginWriteAsync(ct);
        var tickets = await db.Tickets.Include(t => t.Conversation).Include(t => t.AuditTrail).AsSplitQuery()
            .Where(t => t.State == TicketState.Closed && t.ClosedAt < closedBefore && t.PersonalDataRemovedAt == null)
            .OrderBy(t => t.Id).Take(batch).ToListAsync(ct);
        if (tickets.Count == 0) return PrivacyCounts.None;
        var customerIds = tickets.Select(t => t.CustomerId).Distinct().ToList();
        var emails = await db.Customers.Where(c => customerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Email, ct);
        foreach (var ticket in tickets) ticket.RemovePersonalData(emails.GetValueOrDefault(ticket.CustomerId, ""), now);
        var ids = tickets.Select(t => t.Id).ToList();
        var files = await db.Attachments.Where(a => ids.Contains(a.TicketId)).ExecuteDeleteAsync(ct);
        var ticketMails = db.InboundMails.Where(m => m.TicketId != null && ids.Contains(m.TicketId.Value));
        var mails = await PurgeRawAsync(ticketMails, ct);
        await ticketMails.ExecuteUpdateAsync(m => m.SetProperty(x => x.Subject, "").SetProperty(x => x.Note, (string?)null), ct);
        await db.StatusLinks.Where(l => ids.Contains(l.TicketId)).ExecuteDeleteAsync(ct);
        await db.Set<Drafts.ReplyDraft>().Where(d => ids.Contains(d.TicketId)).ExecuteDeleteAsync(ct); // unsent words about them
        await db.SaveChangesAsync(ct);
        await write.CommitAsync(ct);
        return new PrivacyCounts(tickets.Count, mails, files);
    }

    /// <summary>Empties the originals (the rows stay: their Message-IDs keep a mail from being taken in twice); how many had one.</summary>
    private static async Task<long> PurgeRawAsync(IQueryable<Email.Intake.InboundMail> mails, CancellationToken ct)
    {
        var had = await mails.LongCountAsync(m => m.Size > 0, ct);
        await mails.ExecuteUpdateAsync(m => m.SetProperty(x => x.Raw, Array.Empty<byte>()).SetProperty(x => x.Size, 0L)
            .SetProperty(x => x.Html, (string?)null), ct);
        return had;
    }

    private async Task<long> InWriteAsync(Func<Task<long>> work, CancellationToken ct)
    {
        await using var write = await db.BeginWriteAsync(ct);
        var n = await work();
        await write.CommitAsync(ct);
        return n;
    }
}

/// <summary>
/// Runs <see cref="Retention"/> every <see cref="PrivacyOptions.RunEveryMinutes"/> by the desk's clock, on the one desk
/// holding its lease however many share the database; nothing at all while no retention period is set.
/// </summary>
public sealed class RetentionJob(IServiceScopeFactory scopes, TimeProvider clock, IOptions<PrivacyOptions> options, WorkLeases leases,
    ILogger<RetentionJob> log) : BackgroundService
{
    public const string Work = "privacy retention";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.AnyRetention ? leases.RunWhileHeldAsync(Work, LoopAsync, stoppingToken) : Task.CompletedTask;

    private async Task LoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var removed = await scope.ServiceProvider.GetRequiredService<Retention>().RunAsync(stoppingToken);
                if (!removed.IsEmpty)
                    log.LogInformation("Retention: removed the personal data of {Tickets} closed tickets, {Mails} original mails and {Files} files.",
                        removed.Tickets, removed.RawMails, removed.Attachments);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A busy or full database: what was not removed now is removed next time.
                log.LogWarning("Retention run failed ({Error}); trying again at the next run.", e.Message);
            }
            try { await Task.Delay(TimeSpan.FromMinutes(options.Value.RunEveryMinutes), clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}

using Desk.Domain;
using Desk.Web.Data;
using Desk.Web.Email;
using Desk.Web.Email.Intake;
using Desk.Web.Email.Outbound;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Desk.Web.Features.Admin;

/// <summary>
/// Mail for admins: how each mailbox's polling goes (a stale one stands out), the quarantine (retry after a fix, or
/// dismiss; the raw mail downloadable), and mail that could not be sent (send again).
/// </summary>
[Authorize(Policy = DeskPolicies.ConfiguresDesk)]
public sealed class MailController(DeskDbContext db, MailStatus status, IOptions<MailOptions> options, TimeProvider clock, Outbox outbox,
    IStringLocalizer<SharedResource> text) : Controller
{
    private const string Page = "/admin/mail";

    [HttpGet(Page)]
    public async Task<IActionResult> Index(string? done, CancellationToken ct) => View("Mail", await PageAsync(done, null, ct));

    [HttpGet(Page + "/quarantine/{id:long}/raw")]
    public async Task<IResult> Raw(long id, CancellationToken ct)
    {
        var mail = await db.QuarantinedMails.AsNoTracking().SingleOrDefaultAsync(q => q.Id == id, ct);
        if (mail is null) return Results.NotFound();
        Response.Headers.XContentTypeOptions = "nosniff";
        return Results.File(mail.Raw, "application/octet-stream", $"quarantined-{id}.eml");
    }

    /// <summary>Takes the quarantined mail in again (after a fix); if it fails again it stays waiting, with the new reason.</summary>
    [HttpPost(Page + "/quarantine/{id:long}/retry")]
    public async Task<IActionResult> Retry(long id, [FromServices] MailIntake intake, CancellationToken ct)
    {
        var mail = await db.QuarantinedMails.SingleOrDefaultAsync(q => q.Id == id, ct);
        if (mail is null) return NotFound();
        if (mail.State != QuarantineState.Waiting) return View("Mail", await PageAsync(null, text["This mail was handled already."], ct));
        var result = await intake.TakeAsync(mail.Raw, $"retry of quarantined mail {id}", ct);
        db.ChangeTracker.Clear();
        mail = await db.QuarantinedMails.SingleAsync(q => q.Id == id, ct);
        if (result.Outcome == IntakeOutcome.Quarantined) mail.StillFailing(result.Reason ?? "");
        else mail.MarkRetried(User.Identity!.Name!, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return result.Outcome == IntakeOutcome.Quarantined
            ? View("Mail", await PageAsync(null, text["The mail still cannot be taken in: {0}", result.Reason ?? ""], ct))
            : Redirect(Page + "?done=retried");
    }

    [HttpPost(Page + "/quarantine/{id:long}/dismiss")]
    public async Task<IActionResult> Dismiss(long id, CancellationToken ct)
    {
        var mail = await db.QuarantinedMails.SingleOrDefaultAsync(q => q.Id == id, ct);
        if (mail is null) return NotFound();
        return await SaveAsync(() => mail.Dismiss(User.Identity!.Name!, clock.GetUtcNow().UtcDateTime), "dismissed", ct);
    }

    [HttpPost(Page + "/outbox/{id:long}/resend")]
    public async Task<IActionResult> Resend(long id, CancellationToken ct)
    {
        var mail = await db.OutboundMails.SingleOrDefaultAsync(m => m.Id == id, ct);
        if (mail is null) return NotFound();
        var result = await SaveAsync(() => mail.Resend(clock.GetUtcNow().UtcDateTime), "queued", ct);
        outbox.Wake();
        return result;
    }

    private async Task<IActionResult> SaveAsync(Action change, string done, CancellationToken ct)
    {
        try
        {
            change();
            await db.SaveChangesAsync(ct);
            return Redirect($"{Page}?done={done}");
        }
        catch (DomainException e)
        {
            db.ChangeTracker.Clear();
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Mail", await PageAsync(null, text.Localize(e), ct));
        }
    }

    private async Task<MailPage> PageAsync(string? done, string? error, CancellationToken ct)
    {
        var settings = options.Value;
        var staleAfter = TimeSpan.FromMinutes(settings.StaleAfterMinutes);
        var checkpoints = await db.MailboxCheckpoints.AsNoTracking().ToDictionaryAsync(c => c.Mailbox, ct);
        var sources = (await status.SourcesAsync(ct)).Select(s => new MailSourceRow(s, status.IsStale(s, staleAfter), checkpoints.GetValueOrDefault(s.Source))).ToList();
        var quarantine = await db.QuarantinedMails.AsNoTracking().Where(q => q.State == QuarantineState.Waiting).OrderByDescending(q => q.Id).Take(200)
            .Select(q => new QuarantineRow(q.Id, q.Source, q.ReceivedAt, q.Reason, q.Size)).ToListAsync(ct);
        var failed = await db.OutboundMails.AsNoTracking().Where(m => m.State == OutboundState.Dead || m.State == OutboundState.Bounced)
            .OrderByDescending(m => m.Id).Take(200)
            .Select(m => new FailedMailRow(m.Id, m.TicketId, m.To, m.Subject, m.State, m.Attempts, m.LastError, m.CreatedAt)).ToListAsync(ct);
        var queued = await db.OutboundMails.CountAsync(m => m.State == OutboundState.Queued, ct);
        var servers = await MailServerRow.ListAsync(db, settings, ct);
        // The page's SMTP server when enabled, else the settings file's (as the sender chooses).
        var smtp = servers.FirstOrDefault(s => s.Kind == Email.Servers.MailServerKind.Smtp && !s.FromSettings && s.Enabled)
            ?? servers.FirstOrDefault(s => s.Kind == Email.Servers.MailServerKind.Smtp && s.FromSettings);
        return new MailPage(sources, quarantine, failed, queued, smtp is null ? null : $"{smtp.Host}:{smtp.Port}",
            await HttpContext.RequestServices.GetRequiredService<Email.Servers.MailServers>().DropFolderAsync(ct), settings.PickupFolder, done, error, servers);
    }
}

public sealed record MailSourceRow(MailStatus.SourceStatus Status, bool Stale, MailboxCheckpoint? Checkpoint);
public sealed record QuarantineRow(long Id, string Source, DateTime ReceivedAt, string Reason, long Size);
public sealed record FailedMailRow(long Id, long? TicketId, string To, string Subject, OutboundState State, int Attempts, string? LastError, DateTime CreatedAt);
public sealed record MailPage(IReadOnlyList<MailSourceRow> Sources, IReadOnlyList<QuarantineRow> Quarantine, IReadOnlyList<FailedMailRow> Failed,
    int Queued, string? SmtpServer, Email.Servers.DropFolderInUse DropFolder, string PickupFolder, string? Done, string? Error, IReadOnlyList<MailServerRow> Servers);

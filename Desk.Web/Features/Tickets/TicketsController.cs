using Desk.Domain;
using Desk.Domain.Customers;
using Desk.Domain.Sla;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Email.Outbound;
using Desk.Web.Features.Attachments;
using Desk.Web.Features.Customers;
using Desk.Web.Features.Drafts;
using Desk.Web.Features.FollowUps;
using Desk.Web.Features.Macros;
using Desk.Web.Features.Shared;
using Desk.Web.Features.Reports;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Desk.Web.Features.Tickets;

/// <summary>
/// One ticket: its facts, conversation, audit trail, SLA clocks, the customer beside it, and a form for
/// exactly the steps the workflow permits now. A refused step shows the domain's message and saves nothing.
/// </summary>
[Authorize(Policy = DeskPolicies.WorksTickets)]
public sealed class TicketsController(DeskDbContext db, IStringLocalizer<SharedResource> text, Outbox outbox,
    FollowUpPlanner followUps, TicketPageQuery pages, TicketSteps steps) : Controller
{
    [HttpGet("/tickets/{number}")]
    public async Task<IActionResult> Show(string number, string? done, [FromServices] Live.TicketViews views, CancellationToken ct)
    {
        if (!TicketNumber.TryParse(number, out var id)) return NotFound();
        var ticket = await Load(id, tracked: false, ct);
        if (ticket is null) return NotFound();
        if (number != ticket.Number) return RedirectToActionPermanent(nameof(Show), new { number = ticket.Number });
        await views.SawAsync(User.Identity!.Name!, ticket, ct); // the queue's unread mark goes
        return View(await pages.ReadAsync(ticket, User.Identity!.Name!, done is null ? null : text["Done: {0}.", text[done].Value].Value, error: null, ct));
    }

    [HttpGet("/tickets/{number}/attachments/{id:long}")]
    public async Task<IResult> Download(string number, long id, CancellationToken ct)
    {
        if (!TicketNumber.TryParse(number, out var ticketId)) return Results.NotFound();
        var attachment = await db.Attachments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id && a.TicketId == ticketId, ct);
        return attachment is null ? Results.NotFound() : AttachmentUploads.Download(Response, attachment);
    }

    [HttpPost("/tickets/{number}/steps/{step}")]
    public async Task<IActionResult> Step(string number, string step, TicketStepForm form, CancellationToken ct) =>
        Enum.TryParse<TicketTrigger>(step, ignoreCase: true, out var trigger) && Enum.IsDefined(trigger)
            ? await ChangeAsync(number, form, trigger.ToString(), (ticket, actor, now) => steps.Take(ticket, trigger, form, actor, now), ct,
                trigger switch
                {
                    // Resolving starts the follow-up plan of the customer's level at once; starting follow-up by hand (a ticket
                    // left resolved) uses the same plan with the window the agent chose.
                    TicketTrigger.Resolve => (ticket, now) => followUps.StartAsync(ticket, "desk", now, ct),
                    TicketTrigger.StartFollowUp => (ticket, now) => followUps.StartAsync(ticket, User.Identity!.Name!, now, ct, TimeSpan.FromDays(form.FollowUpDays)),
                    _ => null,
                })
            : NotFound();

    [HttpGet("/tickets/{number}/attachments/{id:long}/picture")]
    public async Task<IResult> Picture(string number, long id, CancellationToken ct)
    {
        if (!TicketNumber.TryParse(number, out var ticketId)) return Results.NotFound();
        var attachment = await db.Attachments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id && a.TicketId == ticketId, ct);
        return attachment is null ? Results.NotFound() : AttachmentUploads.Picture(Response, attachment);
    }

    [HttpPost("/tickets/{number}/actions/{name}")] // not {action}: MVC reserves that route value
    [RequestSizeLimit(UploadLimit)]
    [RequestFormLimits(MultipartBodyLengthLimit = UploadLimit)]
    public async Task<IActionResult> Act(string number, string name, TicketStepForm form, List<IFormFile>? files, [FromServices] ReplyDrafts drafts,
        CancellationToken ct) =>
        Enum.TryParse<TicketAction>(name, ignoreCase: true, out var what) && Enum.IsDefined(what)
            ? await ChangeAsync(number, form, what.ToString(), (ticket, actor, now) => Do(ticket, what, form, actor, now), ct,
                files: what is TicketAction.Reply or TicketAction.Note ? files : null,
                drafts: what is TicketAction.Reply or TicketAction.Note ? drafts : null)
            : NotFound();

    /// <summary>A lost update on the ticket page, where what was entered is kept (the plain refusal says nothing was saved).</summary>
    public const string KeptAfterConflict = "Ticket {0} was changed by someone else while you were working on it, so your change was not made. Check what changed: what you entered is kept, ready to send again.";

    /// <summary>Files with a reply or note: as many and as large as a customer may send (<see cref="AttachmentRules"/>).</summary>
    private const long UploadLimit = AttachmentRules.MaxFiles * AttachmentRules.MaxBytes + 1024 * 1024;

    private void Do(Ticket ticket, TicketAction action, TicketStepForm form, string actor, DateTime now)
    {
        switch (action)
        {
            case TicketAction.Reply: ticket.Reply(actor, now, string.IsNullOrWhiteSpace(form.Text) && form.MacroId is { } macro ? FillMacro(macro, ticket, actor) : form.Text ?? ""); break;
            case TicketAction.Note: ticket.AddInternalNote(actor, now, form.Text ?? ""); break;
            case TicketAction.FollowUpOutcome: ticket.RecordFollowUpOutcome(actor, now, form.CustomerAccepted, form.Text); break;
            default: throw new DomainException("\"{0}\" is not something an agent can do to a ticket.", action.ToString());
        }
    }

    /// <summary>
    /// Loads the ticket as the agent saw it (their version), applies the change, saves. A domain refusal or a lost update
    /// re-shows the page with the message, what changed since the agent's page was shown, and what they typed, ready to
    /// send again with the fresh version; nothing is saved but the typed reply or note, kept as their draft.
    /// <paramref name="files"/>: the agent's files for the reply or note the change adds; <paramref name="drafts"/>: for a
    /// reply or note, the agent's draft is dropped with the save (or kept on a refusal).
    /// </summary>
    private async Task<IActionResult> ChangeAsync(string number, TicketStepForm form, string what,
        Action<Ticket, string, DateTime> change, CancellationToken ct, Func<Ticket, DateTime, Task>? then = null,
        IReadOnlyList<IFormFile>? files = null, ReplyDrafts? drafts = null)
    {
        if (!TicketNumber.TryParse(number, out var id)) return NotFound();
        var actor = User.Identity!.Name!;
        try
        {
            if (!ModelState.IsValid)
                throw new DomainException(string.Join(" ", ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage)));
            var uploads = await AttachmentUploads.ReadAsync(files, ct);
            var ticket = await steps.ChangeAsync(id, form.Version, actor, change, ct, async (ticket, now) =>
            {
                if (uploads.Count > 0 && ticket.Conversation.LastOrDefault(e => e.Id == 0 && e.Author == actor) is { } written)
                    foreach (var file in uploads) db.Attachments.Add(new Attachment(ticket.Id, written, file, now));
                if (then is not null) await then(ticket, now);
                if (drafts is not null) await drafts.DropAsync(ticket.Id, actor, ct); // sent: the draft is done with
            });
            if (ticket is null) return NotFound();
            outbox.Wake();
            return RedirectToAction(nameof(Show), new { number = ticket.Number, done = what });
        }
        catch (Exception e) when (e is DomainException or ConcurrencyConflictException)
        {
            db.ChangeTracker.Clear();
            // What they typed is theirs: kept as the draft as well as put back in the box, so a reload keeps it too.
            if (drafts is not null && !string.IsNullOrWhiteSpace(form.Text)) await drafts.KeepAsync(id, actor, form.Text, ct);
            var fresh = await Load(id, tracked: false, ct);
            if (fresh is null) return NotFound();
            Response.StatusCode = e is DomainException ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status409Conflict;
            var message = e is ConcurrencyConflictException { TicketNumber: { } changed } ? text[KeptAfterConflict, changed].Value : text.Localize(e);
            return View(nameof(Show), await pages.ReadAsync(fresh, actor, null, message, ct,
                new KeptForm(what, form, files?.Any(f => f.Length > 0) == true)));
        }
    }

    private string FillMacro(int macroId, Ticket ticket, string agent)
    {
        var macro = db.Macros.AsNoTracking().SingleOrDefault(m => m.Id == macroId)
            ?? throw new DomainException("That canned reply no longer exists; pick another or write the reply.");
        return macro.Fill(db.Customers.Where(c => c.Id == ticket.CustomerId).Select(c => c.Name).Single(), ticket.Number, agent);
    }

    private Task<Ticket?> Load(long id, bool tracked, CancellationToken ct) => steps.LoadAsync(id, tracked, ct);
}

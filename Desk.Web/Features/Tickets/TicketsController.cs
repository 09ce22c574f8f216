using Desk.Domain;
using Desk.Domain.Customers;
using Desk.Domain.Sla;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Email.Outbound;
using Desk.Web.Features.Attachments;
using Desk.Web.Features.Customers;
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
    public async Task<IActionResult> Show(string number, string? done, CancellationToken ct)
    {
        if (!TicketNumber.TryParse(number, out var id)) return NotFound();
        var ticket = await Load(id, tracked: false, ct);
        if (ticket is null) return NotFound();
        if (number != ticket.Number) return RedirectToActionPermanent(nameof(Show), new { number = ticket.Number });
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

    [HttpPost("/tickets/{number}/actions/{name}")] // not {action}: MVC reserves that route value
    public async Task<IActionResult> Act(string number, string name, TicketStepForm form, CancellationToken ct) =>
        Enum.TryParse<TicketAction>(name, ignoreCase: true, out var what) && Enum.IsDefined(what)
            ? await ChangeAsync(number, form, what.ToString(), (ticket, actor, now) => Do(ticket, what, form, actor, now), ct)
            : NotFound();

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
    /// Loads the ticket as the agent saw it (their version), applies the change, saves. A domain refusal or
    /// a lost update re-shows the page with the message; nothing is saved.
    /// </summary>
    private async Task<IActionResult> ChangeAsync(string number, TicketStepForm form, string what,
        Action<Ticket, string, DateTime> change, CancellationToken ct, Func<Ticket, DateTime, Task>? then = null)
    {
        if (!TicketNumber.TryParse(number, out var id)) return NotFound();
        try
        {
            if (!ModelState.IsValid)
                throw new DomainException(string.Join(" ", ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage)));
            var ticket = await steps.ChangeAsync(id, form.Version, User.Identity!.Name!, change, ct, then);
            if (ticket is null) return NotFound();
            outbox.Wake();
            return RedirectToAction(nameof(Show), new { number = ticket.Number, done = what });
        }
        catch (Exception e) when (e is DomainException or ConcurrencyConflictException)
        {
            db.ChangeTracker.Clear();
            var fresh = await Load(id, tracked: false, ct);
            if (fresh is null) return NotFound();
            Response.StatusCode = e is DomainException ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status409Conflict;
            return View(nameof(Show), await pages.ReadAsync(fresh, User.Identity!.Name!, null, text.Localize(e), ct));
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

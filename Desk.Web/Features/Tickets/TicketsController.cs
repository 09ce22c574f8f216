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
public sealed class TicketsController(DeskDbContext db, TimeProvider clock, IStringLocalizer<SharedResource> text, RemedyOptions remedies, Outbox outbox,
    LoyaltyScoring loyalty, FollowUpPlanner followUps) : Controller
{
    [HttpGet("/tickets/{number}")]
    public async Task<IActionResult> Show(string number, string? done, CancellationToken ct)
    {
        if (!TicketNumber.TryParse(number, out var id)) return NotFound();
        var ticket = await Load(id, tracked: false, ct);
        if (ticket is null) return NotFound();
        if (number != ticket.Number) return RedirectToActionPermanent(nameof(Show), new { number = ticket.Number });
        return View(await PageAsync(ticket, done is null ? null : text["Done: {0}.", text[done].Value].Value, error: null, ct));
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
            ? await ChangeAsync(number, form, trigger.ToString(), (ticket, actor, now) => Take(ticket, trigger, form, actor, now), ct,
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
        var ticket = await Load(id, tracked: true, ct);
        if (ticket is null) return NotFound();
        db.Entry(ticket).Property(t => t.Version).OriginalValue = form.Version;
        try
        {
            if (!ModelState.IsValid)
                throw new DomainException(string.Join(" ", ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage)));
            var now = clock.GetUtcNow().UtcDateTime;
            change(ticket, User.Identity!.Name!, now);
            if (then is not null) await then(ticket, now);
            await outbox.QueueRepliesAsync(ticket, ct); // replies, questions and decisions go out by mail, saved with the change
            await db.SaveChangesAsync(ct);
            outbox.Wake();
            return RedirectToAction(nameof(Show), new { number = ticket.Number, done = what });
        }
        catch (Exception e) when (e is DomainException or ConcurrencyConflictException)
        {
            db.ChangeTracker.Clear();
            var fresh = (await Load(id, tracked: false, ct))!;
            Response.StatusCode = e is DomainException ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status409Conflict;
            return View(nameof(Show), await PageAsync(fresh, null, text.Localize(e), ct));
        }
    }

    private void Take(Ticket ticket, TicketTrigger step, TicketStepForm form, string actor, DateTime now)
    {
        switch (step)
        {
            case TicketTrigger.Acknowledge: ticket.Acknowledge(actor, now); break;
            case TicketTrigger.Assess: ticket.Assess(actor, now, form.Severity, form.Impact, form.SafetyRisk, SlaPolicy()); break;
            case TicketTrigger.Assign: ticket.Assign(actor, now, string.IsNullOrWhiteSpace(form.Assignee) ? actor : form.Assignee); break;
            case TicketTrigger.RequestInfo: ticket.RequestInfo(actor, now, form.Text ?? ""); break;
            case TicketTrigger.CustomerReplied: ticket.CustomerReplied(CustomerEmail(ticket), now, form.Text ?? ""); break;
            case TicketTrigger.Escalate: ticket.Escalate(actor, now, form.Text ?? ""); break;
            case TicketTrigger.Resolve:
                ticket.Resolve(actor, now, new Resolution(remedies.CheckOffered(form.RemedyKindId), form.RemedyCost, form.RootCauseId, form.RootCauseNote, form.Text));
                break;
            case TicketTrigger.StartFollowUp: break; // the follow-up planner takes the step, with the plan's tasks and survey
            case TicketTrigger.Close: ticket.Close(actor, now, form.Text); break;
            case TicketTrigger.Reopen: ticket.Reopen(actor, now, form.Text ?? ""); break;
            case TicketTrigger.Reject: ticket.Reject(actor, now, form.RejectionReason, form.Text); break;
            case TicketTrigger.Merge:
                if (!TicketNumber.TryParse(form.MergeInto, out var target) || !db.Tickets.Any(t => t.Id == target))
                    throw new DomainException("There is no ticket \"{0}\" to merge into.", form.MergeInto);
                ticket.MergeInto(actor, now, target);
                break;
            default: throw new DomainException("\"{0}\" is not a step of the workflow.", step.ToString());
        }
    }

    private string FillMacro(int macroId, Ticket ticket, string agent)
    {
        var macro = db.Macros.AsNoTracking().SingleOrDefault(m => m.Id == macroId)
            ?? throw new DomainException("That canned reply no longer exists; pick another or write the reply.");
        return macro.Fill(db.Customers.Where(c => c.Id == ticket.CustomerId).Select(c => c.Name).Single(), ticket.Number, agent);
    }

    private SlaPolicy SlaPolicy() => HttpContext.RequestServices.GetRequiredService<SlaPolicy>();

    private string CustomerEmail(Ticket ticket) => db.Customers.Where(c => c.Id == ticket.CustomerId).Select(c => c.Email).Single();

    private Task<Ticket?> Load(long id, bool tracked, CancellationToken ct)
    {
        var tickets = tracked ? db.Tickets : db.Tickets.AsNoTracking();
        return tickets.AsSplitQuery().Include(t => t.Conversation).Include(t => t.AuditTrail).SingleOrDefaultAsync(t => t.Id == id, ct);
    }

    private async Task<TicketPage> PageAsync(Ticket ticket, string? done, string? error, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var customer = await db.Customers.AsNoTracking()
            .Where(c => c.Id == ticket.CustomerId)
            .Select(c => new CustomerPanel(c.Id, c.Name, c.Email, c.Phone, c.Language, c.Level, c.FirstSeenAt,
                db.Orders.Count(o => o.CustomerId == c.Id),
                db.Orders.Where(o => o.CustomerId == c.Id).Sum(o => (decimal?)o.Amount) ?? 0m))
            .SingleAsync(ct);
        // Unverified (a web complaint under a known address, not yet confirmed by its owner): kept apart from the
        // customer's orders and other tickets, so that nobody reads them to whoever filed it.
        var joined = !ticket.ContactUnverified;
        var orders = await db.Orders.AsNoTracking()
            .Where(o => joined && o.CustomerId == ticket.CustomerId)
            .OrderByDescending(o => o.PlacedAt).Take(10)
            .Select(o => new OrderLine(o.ExternalRef, o.PlacedAt, o.Amount, o.Product, o.Category))
            .ToListAsync(ct);
        var otherTickets = await db.Tickets.AsNoTracking()
            .Where(t => joined && t.CustomerId == ticket.CustomerId && t.Id != ticket.Id && !t.ContactUnverified)
            .OrderByDescending(t => t.ReceivedAt).Take(10)
            .Select(t => new OtherTicket(t.Id, t.Subject, t.State, t.ReceivedAt))
            .ToListAsync(ct);
        var causes = await db.RootCauses.AsNoTracking().OrderBy(c => c.SortOrder).ToListAsync(ct);
        var chinese = System.Globalization.CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal);
        string Name(Desk.Domain.RootCauses.RootCause c) => chinese ? c.NameZh : c.Name;
        var rootCause = ticket.RootCauseId is { } causeId && causes.FirstOrDefault(c => c.Id == causeId) is { } cause
            ? new RootCauseName(Name(cause), causes.FirstOrDefault(p => p.Id == cause.ParentId) is { } parentCause ? Name(parentCause) : null)
            : null;
        var choices = causes.Where(c => c.ParentId is null).Select(parent => new RootCauseGroup(Name(parent),
            causes.Where(c => c.ParentId == parent.Id && c.IsActive).Select(c => new RootCauseChoice(c.Id, Name(c))).ToList())).ToList();
        var agents = await (from u in db.Users
                            join ur in db.UserRoles on u.Id equals ur.UserId
                            join r in db.Roles on ur.RoleId equals r.Id
                            where r.Name == DeskRoles.Agent || r.Name == DeskRoles.Manager || r.Name == DeskRoles.Admin
                            select u.UserName!).Distinct().OrderBy(n => n).ToListAsync(ct);

        var me = User.Identity?.Name ?? "";
        var macros = (await db.Macros.AsNoTracking().OrderBy(m => m.Title).ToListAsync(ct))
            .Select(m => new MacroChoice(m.Id, m.Title, m.Fill(customer.Name, ticket.Number, me))).ToList();
        var inbound = (await db.InboundMails.AsNoTracking().Where(m => m.TicketId == ticket.Id && m.ConversationEntryId != null)
            .Select(m => new InboundMailLink(m.Id, m.ConversationEntryId!.Value, m.Html != null, m.Note)).ToListAsync(ct)).ToLookup(m => m.EntryId);
        var outbound = await db.OutboundMails.AsNoTracking().Where(m => m.TicketId == ticket.Id).OrderBy(m => m.Id)
            .Select(m => new OutboundMailLine(m.Kind, m.To, m.State, m.CreatedAt, m.SentAt, m.Attempts, m.LastError)).ToListAsync(ct);
        return new TicketPage(ticket, customer, orders, otherTickets, rootCause, ticket.AvailableSteps(now), now,
            choices, await remedies.AllAsync(ct), agents, macros, await AttachmentUploads.LinksAsync(db, ticket.Id, ct), inbound, outbound, done, error,
            (await loyalty.PanelAsync(ticket.CustomerId, ct))!)
        {
            Outcome = joined ? await TicketOutcome.ForAsync(db, ticket, now, ct) : null,
            FollowUpTasks = await db.FollowUpTasks.AsNoTracking().Where(k => k.TicketId == ticket.Id).OrderBy(k => k.DueAt).ThenBy(k => k.Id).ToListAsync(ct),
            Survey = await db.Surveys.AsNoTracking().SingleOrDefaultAsync(v => v.TicketId == ticket.Id, ct),
        };
    }
}

public sealed record TicketPage(
    Ticket Ticket, CustomerPanel Customer, IReadOnlyList<OrderLine> Orders, IReadOnlyList<OtherTicket> OtherTickets,
    RootCauseName? RootCause, IReadOnlyList<TicketTrigger> AvailableSteps, DateTime Now,
    IReadOnlyList<RootCauseGroup> RootCauses, IReadOnlyList<RemedyOption> Remedies, IReadOnlyList<string> Agents, IReadOnlyList<MacroChoice> Macros,
    ILookup<long, AttachmentLink> Files, ILookup<long, InboundMailLink> Mails, IReadOnlyList<OutboundMailLine> SentMails, string? Done, string? Error,
    LoyaltyPanel Loyalty)
{
    /// <summary>Whether the customer bought again after this complaint (null when the ticket has no outcome).</summary>
    public Desk.Domain.Recovery.RepurchaseOutcome? Outcome { get; init; }

    /// <summary>The after-care tasks of this ticket, open and settled, earliest first.</summary>
    public IReadOnlyList<Desk.Domain.FollowUps.FollowUpTask> FollowUpTasks { get; init; } = [];

    /// <summary>The follow-up survey: planned, sent, or answered; null before the first resolution.</summary>
    public Desk.Domain.FollowUps.Survey? Survey { get; init; }

    public bool CanReply => Ticket.State is not (TicketState.New or TicketState.Closed or TicketState.Rejected);

    /// <summary>A remedy kind's name in the reader's language; "—" for none.</summary>
    public string RemedyName(int? id) => id is null ? "—" : Remedies.FirstOrDefault(k => k.Id == id)?.Display ?? $"#{id}";
}

/// <summary>The mail a conversation entry came in, for its original and its formatted (sanitised HTML) view.</summary>
public sealed record InboundMailLink(long Id, long EntryId, bool HasHtml, string? Note);

public sealed record OutboundMailLine(Desk.Web.Email.Outbound.OutboundKind Kind, string To, Desk.Web.Email.Outbound.OutboundState State,
    DateTime CreatedAt, DateTime? SentAt, int Attempts, string? LastError);

public sealed record CustomerPanel(long Id, string Name, string Email, string? Phone, string Language, RelationshipLevel Level,
    DateTime FirstSeenAt, int OrderCount, decimal LifetimeValue);

public sealed record OrderLine(string ExternalRef, DateTime PlacedAt, decimal Amount, string? Product, string? Category);

public sealed record OtherTicket(long Id, string Subject, TicketState State, DateTime ReceivedAt)
{
    public string Number => TicketNumber.Format(Id);
}

public sealed record RootCauseName(string Name, string? ParentName)
{
    public override string ToString() => ParentName is null ? Name : $"{ParentName} › {Name}";
}

public sealed record RootCauseGroup(string Name, IReadOnlyList<RootCauseChoice> Causes);

public sealed record RootCauseChoice(int Id, string Name);

/// <summary>A canned reply, already filled in for this ticket.</summary>
public sealed record MacroChoice(int Id, string Title, string Text);

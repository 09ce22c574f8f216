using Desk.Domain;
using Desk.Domain.Sla;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Email.Outbound;
using Desk.Web.Features.Shared;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Tickets;

/// <summary>
/// "An agent takes a step", one way for every channel that takes one: the ticket page one ticket at a time, the queue's
/// bulk actions many. Each change loads the ticket, checks the version the agent saw, applies the domain's intent method,
/// queues the mail it sends in the outbox and saves: one short transaction per ticket (on SQLite the write gate is held
/// for that save only). A refusal throws <see cref="DomainException"/> or <see cref="ConcurrencyConflictException"/>, and nothing is saved.
/// </summary>
public sealed class TicketSteps(DeskDbContext db, TimeProvider clock, RemedyOptions remedies, Outbox outbox, SlaPolicy sla)
{
    /// <summary>
    /// Loads ticket <paramref name="id"/> as the agent saw it (<paramref name="version"/>), applies <paramref name="change"/>
    /// and then <paramref name="then"/>, queues its replies and decisions for mailing, saves. Null when there is no such ticket.
    /// The caller wakes the outbox's senders after it (<see cref="Outbox.Wake"/>), once for many tickets.
    /// </summary>
    public async Task<Ticket?> ChangeAsync(long id, int version, string actor, Action<Ticket, string, DateTime> change, CancellationToken ct,
        Func<Ticket, DateTime, Task>? then = null)
    {
        var ticket = await LoadAsync(id, tracked: true, ct);
        if (ticket is null) return null;
        db.Entry(ticket).Property(t => t.Version).OriginalValue = version;
        var now = clock.GetUtcNow().UtcDateTime;
        change(ticket, actor, now);
        if (then is not null) await then(ticket, now);
        await outbox.QueueRepliesAsync(ticket, ct); // replies, questions and decisions go out by mail, saved with the change
        await db.SaveChangesAsync(ct);
        return ticket;
    }

    /// <summary>The workflow step <paramref name="step"/> with what the agent posted; the domain refuses what is missing or not permitted now.</summary>
    public void Take(Ticket ticket, TicketTrigger step, TicketStepForm form, string actor, DateTime now)
    {
        switch (step)
        {
            case TicketTrigger.Acknowledge: ticket.Acknowledge(actor, now); break;
            case TicketTrigger.Assess: ticket.Assess(actor, now, form.Severity, form.Impact, form.SafetyRisk, sla); break;
            case TicketTrigger.Assign: ticket.Assign(actor, now, string.IsNullOrWhiteSpace(form.Assignee) ? actor : form.Assignee); break;
            case TicketTrigger.RequestInfo: ticket.RequestInfo(actor, now, form.Text ?? ""); break;
            case TicketTrigger.CustomerReplied: ticket.CustomerReplied(CustomerEmail(ticket), now, form.Text ?? ""); break;
            case TicketTrigger.Escalate: ticket.Escalate(actor, now, form.Text ?? "", Teams.EscalationTargets.Check(db, form.EscalateTo)); break;
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

    /// <summary>The ticket with its conversation and audit trail; tracked for a change, untracked for reading.</summary>
    public Task<Ticket?> LoadAsync(long id, bool tracked, CancellationToken ct)
    {
        var tickets = tracked ? db.Tickets : db.Tickets.AsNoTracking();
        return tickets.AsSplitQuery().Include(t => t.Conversation).Include(t => t.AuditTrail).SingleOrDefaultAsync(t => t.Id == id, ct);
    }

    private string CustomerEmail(Ticket ticket) => db.Customers.Where(c => c.Id == ticket.CustomerId).Select(c => c.Email).Single();
}

using Desk.Domain;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Email.Outbound;
using Desk.Web.Features.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Desk.Web.Features.Bulk;

/// <summary>One ticket the bulk step did not change, and why, in the reader's language.</summary>
public sealed record BulkRefusal(long Id, string Why)
{
    public string Number => TicketNumber.Format(Id);
}

/// <summary>What a bulk step did: the tickets changed, the ones refused (each with the domain's reason), and the merge target kept.</summary>
public sealed record BulkOutcome(BulkForm Form, IReadOnlyList<long> Done, IReadOnlyList<BulkRefusal> Refused, long? KeptAsTarget = null)
{
    public int Chosen => Done.Count + Refused.Count;
}

/// <summary>
/// A step taken on many tickets: every ticket through its own workflow with <see cref="TicketSteps"/> — its intent
/// method, its version check, its mail through the outbox — in its own short transaction, one after the other, so no
/// lock is held over the batch and one refusal stops nothing else. What cannot work for any ticket (no reason to
/// escalate, no ticket to merge into) is refused before any ticket is touched.
/// </summary>
public sealed class BulkSteps(DeskDbContext db, TicketSteps steps, Outbox outbox, IStringLocalizer<SharedResource> text)
{
    public async Task<BulkOutcome> RunAsync(BulkForm form, string actor, CancellationToken ct)
    {
        var chosen = form.Chosen();
        if (chosen.Count == 0) throw new DomainException("Choose at least one ticket.");
        long? target = null;
        TicketStepForm stepForm;
        TicketTrigger trigger;
        switch (form.Step)
        {
            case BulkStep.Assign:
                (trigger, stepForm) = (TicketTrigger.Assign, new TicketStepForm { Assignee = form.Assignee });
                break;
            case BulkStep.Escalate:
                if (string.IsNullOrWhiteSpace(form.Reason)) throw new DomainException("{0} is required.", new Phrase("A reason for the escalation"));
                (trigger, stepForm) = (TicketTrigger.Escalate, new TicketStepForm { Text = form.Reason });
                break;
            case BulkStep.SetSeverity:
                if (form.Severity is not { } severity) throw new DomainException("Choose the severity.");
                (trigger, stepForm) = (TicketTrigger.Assess, new TicketStepForm { Severity = severity });
                break;
            case BulkStep.Merge:
                if (!TicketNumber.TryParse(form.MergeInto?.Trim(), out var into) || !await db.Tickets.AnyAsync(t => t.Id == into, ct))
                    throw new DomainException("There is no ticket \"{0}\" to merge into.", form.MergeInto ?? "");
                target = into;
                (trigger, stepForm) = (TicketTrigger.Merge, new TicketStepForm { MergeInto = TicketNumber.Format(into) });
                break;
            case BulkStep.RejectAsSpam:
                (trigger, stepForm) = (TicketTrigger.Reject, new TicketStepForm { RejectionReason = RejectionReason.Spam, Text = form.Reason });
                break;
            default:
                throw new DomainException("\"{0}\" is not something an agent can do to a ticket.", form.Step.ToString());
        }

        var done = new List<long>();
        var refused = new List<BulkRefusal>();
        foreach (var (id, version) in chosen)
        {
            if (id == target) continue; // the ticket the others go into stays as it is
            try
            {
                var ticket = await steps.ChangeAsync(id, version, actor, (t, who, now) =>
                    // Setting the severity is the assessment with the ticket's own impact and safety flag kept.
                    steps.Take(t, trigger, trigger == TicketTrigger.Assess ? stepForm with { Impact = t.Impact, SafetyRisk = t.SafetyRisk } : stepForm, who, now), ct);
                if (ticket is null) refused.Add(new BulkRefusal(id, text["There is no ticket {0}.", TicketNumber.Format(id)]));
                else done.Add(id);
            }
            catch (ConcurrencyConflictException)
            {
                refused.Add(new BulkRefusal(id, text["Ticket {0} was changed by someone else after you loaded the queue: nothing was done to it. Open it to see what changed.", TicketNumber.Format(id)]));
            }
            catch (DomainException e)
            {
                refused.Add(new BulkRefusal(id, text.Localize(e)));
            }
            finally
            {
                db.ChangeTracker.Clear(); // each ticket on its own: nothing of one is saved with the next
            }
        }
        if (done.Count > 0) outbox.Wake();
        return new BulkOutcome(form, done, refused, chosen.Any(c => c.Id == target) ? target : null);
    }
}

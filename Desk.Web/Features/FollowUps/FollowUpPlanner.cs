using Desk.Domain.Customers;
using Desk.Domain.FollowUps;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.FollowUps;

/// <summary>
/// Puts a resolved ticket into follow-up with the plan of its customer's relationship level: the window, the tasks with
/// their due dates, and the survey (planned here, sent by <see cref="FollowUpScheduler"/>). Works in the caller's unit of work.
/// </summary>
public sealed class FollowUpPlanner(DeskDbContext db)
{
    /// <summary>The plan for <paramref name="level"/>: the admins' row, or the default when there is none.</summary>
    public async Task<FollowUpPlan> PlanForAsync(RelationshipLevel level, CancellationToken ct) =>
        await db.FollowUpPlans.AsNoTracking().SingleOrDefaultAsync(p => p.Level == level, ct) ?? FollowUpPlan.Default(level);

    /// <summary>
    /// Starts follow-up on a resolved <paramref name="ticket"/> (tracked, not saved yet). <paramref name="window"/>, when given,
    /// replaces the plan's (an agent chose it). Returns the plan used. The plan shows on the ticket page's follow-up card
    /// (tasks and survey), so nothing is written into the conversation.
    /// </summary>
    public async Task<FollowUpPlan> StartAsync(Ticket ticket, string actor, DateTime now, CancellationToken ct, TimeSpan? window = null)
    {
        var customer = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == ticket.CustomerId, ct);
        var plan = await PlanForAsync(customer.Level, ct);
        var from = ticket.ResolvedAt ?? now;
        ticket.StartFollowUp(actor, now, window ?? plan.Window);

        var tasks = plan.TasksFrom(from);
        foreach (var task in tasks)
            db.FollowUpTasks.Add(new FollowUpTask(ticket.Id, customer.Id, task.Kind, task.DueAt,
                task.Kind == FollowUpTaskKind.AccountReview ? customer.Owner ?? ticket.AssignedTo : ticket.AssignedTo, actor, now));

        var survey = await db.Surveys.SingleOrDefaultAsync(s => s.TicketId == ticket.Id, ct);
        var sendAt = from + plan.SurveyDelay;
        if (survey is null) db.Surveys.Add(new Survey(ticket.Id, customer.Id, customer.Language, sendAt, now));
        else survey.Reschedule(sendAt);

        return plan;
    }
}

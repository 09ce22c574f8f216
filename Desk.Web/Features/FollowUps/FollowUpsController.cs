using Desk.Domain;
using Desk.Domain.Customers;
using Desk.Domain.FollowUps;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Desk.Web.Features.FollowUps;

/// <summary>
/// "Follow-ups due": the after-care tasks of resolved complaints (check-ins, account reviews) and managers' win-back calls,
/// earliest first. Doing or skipping one is recorded with who and when; a ticket closes once its follow-up is settled.
/// </summary>
[Authorize(Policy = DeskPolicies.WorksTickets)]
public sealed class FollowUpsController(DeskDbContext db, TimeProvider clock, IStringLocalizer<SharedResource> text) : Controller
{
    /// <summary>"Due" shows what is due by the end of tomorrow; "all" every open task.</summary>
    [HttpGet("/followups")]
    public async Task<IActionResult> Index(string? show, bool mine, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var all = show == "all";
        var until = now.Date.AddDays(2);
        var me = User.Identity!.Name!;
        var tasks = db.FollowUpTasks.AsNoTracking().Where(t => t.Outcome == null);
        if (!all) tasks = tasks.Where(t => t.DueAt < until);
        if (mine) tasks = tasks.Where(t => t.AssignedTo == me);
        var rows = await (from t in tasks
                          join k in db.Tickets on t.TicketId equals k.Id
                          join c in db.Customers on t.CustomerId equals c.Id
                          orderby t.DueAt, t.Id
                          select new FollowUpRow(t.Id, t.Kind, t.DueAt, t.AssignedTo, k.Id, k.Subject, k.State, c.Name, c.Email, c.Phone, c.Level))
            .Take(500).ToListAsync(ct);
        var open = await db.FollowUpTasks.CountAsync(t => t.Outcome == null, ct);
        var settled = await (from t in db.FollowUpTasks.AsNoTracking()
                             where t.Outcome != null && t.SettledBy != "desk"
                             join k in db.Tickets on t.TicketId equals k.Id
                             orderby t.SettledAt descending
                             select new SettledRow(t.Kind, t.Outcome!.Value, t.SettledBy!, t.SettledAt!.Value, t.Note, k.Id, k.Subject))
            .Take(10).ToListAsync(ct);
        return View(new FollowUpsPage(rows, settled, all, mine, open, now, TempData["FollowUpDone"] as string, null));
    }

    [HttpPost("/followups/{id:long}/done")]
    public Task<IActionResult> Done(long id, FollowUpTaskForm form, CancellationToken ct) =>
        SettleAsync(id, form, (task, actor, now) => task.Complete(actor, now, form.Note), "Follow-up task done.", ct);

    [HttpPost("/followups/{id:long}/skip")]
    public Task<IActionResult> Skip(long id, FollowUpTaskForm form, CancellationToken ct) =>
        SettleAsync(id, form, (task, actor, now) => task.Skip(actor, now, form.Note), "Follow-up task skipped.", ct);

    /// <summary>From the win-back list: a call for the customer's owner (or anyone), due tomorrow. One open win-back task per customer.</summary>
    [HttpPost("/followups/win-back/{ticketId:long}")]
    [Authorize(Policy = DeskPolicies.ReadsReports)]
    public async Task<IActionResult> WinBack(long ticketId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.BeginWriteAsync(ct);
        var ticket = await db.Tickets.SingleOrDefaultAsync(t => t.Id == ticketId, ct);
        if (ticket is null) return NotFound();
        var customer = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == ticket.CustomerId, ct);
        var open = await db.FollowUpTasks.AsNoTracking()
            .FirstOrDefaultAsync(t => t.CustomerId == customer.Id && t.Kind == FollowUpTaskKind.WinBack && t.Outcome == null, ct);
        if (open is not null)
        {
            TempData["WinBackTask"] = text["{0} already has a win-back call due on {1}.", customer.Email, open.DueAt.ToString("yyyy-MM-dd")].Value;
            return Redirect("/reports/win-back");
        }
        var due = now.Date.AddDays(2).AddSeconds(-1); // by the end of tomorrow
        db.FollowUpTasks.Add(new FollowUpTask(ticket.Id, customer.Id, FollowUpTaskKind.WinBack, due, customer.Owner, User.Identity!.Name!, now));
        ticket.RecordEvent(now, $"Win-back call for {customer.Email} asked by {User.Identity!.Name}, due {due:yyyy-MM-dd}.");
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        TempData["WinBackTask"] = text["A win-back call for {0} is on the follow-ups queue, due {1}.", customer.Email, due.ToString("yyyy-MM-dd")].Value;
        return Redirect("/reports/win-back");
    }

    private async Task<IActionResult> SettleAsync(long id, FollowUpTaskForm form, Action<FollowUpTask, string, DateTime> settle, string done, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.BeginWriteAsync(ct);
        var task = await db.FollowUpTasks.SingleOrDefaultAsync(t => t.Id == id, ct);
        if (task is null) return NotFound();
        try
        {
            settle(task, User.Identity!.Name!, now);
            var ticket = await db.Tickets.SingleAsync(t => t.Id == task.TicketId, ct);
            ticket.RecordEvent(now, $"{task.Kind} {(task.Outcome == FollowUpTaskOutcome.Done ? "done" : "skipped")} by {task.SettledBy}"
                + (task.Note is null ? "." : ": " + task.Note));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch (DomainException e)
        {
            await transaction.DisposeAsync();
            TempData["FollowUpDone"] = text.Localize(e);
            return Redirect(ReturnUrl(form));
        }
        TempData["FollowUpDone"] = text[done].Value;
        return Redirect(ReturnUrl(form));
    }

    private string ReturnUrl(FollowUpTaskForm form) =>
        form.ReturnUrl is { } url && Url.IsLocalUrl(url) ? url : "/followups";
}

public sealed class FollowUpTaskForm
{
    public string? Note { get; set; }
    /// <summary>Where to go back to: the queue, or the ticket the task was settled from.</summary>
    public string? ReturnUrl { get; set; }
}

public sealed record FollowUpRow(long Id, FollowUpTaskKind Kind, DateTime DueAt, string? AssignedTo, long TicketId, string Subject, TicketState TicketState,
    string CustomerName, string Email, string? Phone, RelationshipLevel Level)
{
    public string Number => TicketNumber.Format(TicketId);
}

public sealed record SettledRow(FollowUpTaskKind Kind, FollowUpTaskOutcome Outcome, string By, DateTime At, string? Note, long TicketId, string Subject)
{
    public string Number => TicketNumber.Format(TicketId);
}

public sealed record FollowUpsPage(IReadOnlyList<FollowUpRow> Rows, IReadOnlyList<SettledRow> Settled, bool All, bool Mine, int OpenCount, DateTime Now,
    string? Message, string? Error);

public static class FollowUpLabels
{
    public static string Kind(FollowUpTaskKind kind) => kind switch
    {
        FollowUpTaskKind.CheckIn => "Check-in call",
        FollowUpTaskKind.LaterCheckIn => "30-day check-in",
        FollowUpTaskKind.AccountReview => "Account review",
        FollowUpTaskKind.WinBack => "Win-back call",
        _ => kind.ToString(),
    };
}

using Desk.Domain;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Email;
using Desk.Web.Features.Arrival;
using Desk.Web.Features.Public;
using Desk.Web.Features.Shared;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Desk.Web.Features.Intake;

/// <summary>
/// A complaint told to an agent by phone or at the counter, filed for the customer through the one way in
/// (<see cref="ComplaintArrival"/>): the repeat flag, the acknowledgement and the status link work as for mail, and the
/// audit trail names the agent. A customer with an address gets the acknowledgement by mail; for one without, the page
/// shows the agent the status link to read out.
/// </summary>
[Authorize(Policy = DeskPolicies.WorksTickets)]
public sealed class IntakeController(ComplaintArrival arrival, CustomerLookup customers, IStringLocalizer<SharedResource> text) : Controller
{
    [HttpGet("/tickets/new")]
    public async Task<IActionResult> New(string? q, CancellationToken ct) =>
        View("New", await PageAsync(new NewTicketForm { Q = q, Submission = StatusLink.NewToken(), Language = CurrentLanguage() }, ct));

    [HttpPost("/tickets/new")]
    public async Task<IActionResult> New(NewTicketForm form, [FromServices] RemedyOptions remedies, [FromServices] DeskDbContext db,
        [FromServices] IOptions<MailOptions> mail, CancellationToken ct)
    {
        var submission = StatusLink.LooksLikeToken(form.Submission) ? form.Submission : null;
        if (submission is not null && await arrival.FiledAsync(submission, ct))
            return await FiledAgainAsync(db, submission, mail.Value, ct);
        form = submission is null ? form with { Submission = StatusLink.NewToken() } : form;
        if (!ModelState.IsValid) return View("New", await PageAsync(form, ct));
        try
        {
            var remedySought = await remedies.CheckOfferedAsync(form.RemedySoughtId, ct);
            var intake = new TicketIntake(form.Kind, form.Channel, Severity.Minor, form.Subject, form.Description, remedySought, form.OrderReference,
                FiledBy: User.Identity!.Name);
            var arrived = await arrival.FileAsync(new ArrivingComplaint(form.Email ?? "", form.Name, form.Language, intake, [])
            {
                CustomerId = form.CustomerId,
                Phone = form.Phone,
                Submission = submission,
            }, ct);
            return View("Filed", new FiledPage(arrived.Ticket.Number, arrived.Customer.Name, arrived.Customer.CanBeMailed ? arrived.Customer.Email : null,
                arrived.Customer.CanBeMailed && !arrived.Acknowledged, StatusUrl(mail.Value, arrived.StatusToken)));
        }
        catch (DomainException e)
        {
            ModelState.AddModelError("", text.Localize(e));
            return View("New", await PageAsync(form, ct));
        }
    }

    /// <summary>The same form sent again (a double click, a reload): the ticket it filed, not a second one.</summary>
    private async Task<IActionResult> FiledAgainAsync(DeskDbContext db, string submission, MailOptions mail, CancellationToken ct)
    {
        var token = StatusLink.TokenForSubmission(submission);
        var hash = StatusLink.Hash(token);
        var filed = await (
            from l in db.StatusLinks
            where l.TokenHash == hash
            join t in db.Tickets on l.TicketId equals t.Id
            join c in db.Customers on t.CustomerId equals c.Id
            select new { t.Id, c.Name, c.Email, t.AcknowledgedAt }).SingleAsync(ct);
        var mailed = !filed.Email.EndsWith(".invalid", StringComparison.Ordinal);
        var sent = mailed && await db.OutboundMails.AnyAsync(m => m.TicketId == filed.Id, ct);
        return View("Filed", new FiledPage(TicketNumber.Format(filed.Id), filed.Name, mailed ? filed.Email : null, mailed && !sent, StatusUrl(mail, token)));
    }

    private async Task<NewTicketPage> PageAsync(NewTicketForm form, CancellationToken ct)
    {
        var matches = await customers.FindAsync(form.Q, ct);
        return new NewTicketPage(form, matches, !string.IsNullOrWhiteSpace(form.Q));
    }

    private static string StatusUrl(MailOptions mail, string token) => $"{mail.PublicBaseUrl.TrimEnd('/')}/status/{token}";

    private static string CurrentLanguage() =>
        System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "zh" ? "zh" : "en";
}

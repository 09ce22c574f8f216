using System.Globalization;
using Desk.Domain;
using Desk.Domain.FollowUps;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Email.Outbound;
using Desk.Web.Features.Arrival;
using Desk.Web.Features.Public;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Desk.Web.Features.FollowUps;

/// <summary>
/// The follow-up survey behind the private link of the survey mail: no sign-in, no JavaScript needed. An unknown link is a
/// 404; an expired or already answered one says so politely and changes nothing. A low score sends the ticket back to an
/// agent with the customer's comment.
/// </summary>
[AllowAnonymous]
public sealed class SurveyController(DeskDbContext db, TimeProvider clock, IStringLocalizer<SharedResource> text) : Controller
{
    [HttpGet("/survey/{token}")]
    public async Task<IActionResult> Show(string token, bool thanks, CancellationToken ct)
    {
        var found = await FindAsync(token, tracked: false, ct);
        if (found is null) return NotFound();
        return View("Survey", Page(found.Value.Survey, found.Value.Ticket, token, new SurveyForm(), error: null, thanks));
    }

    [HttpPost("/survey/{token}")]
    [PublicPostLimit(countsHere: true)]
    public async Task<IActionResult> Answer(string token, SurveyForm form, [FromServices] CustomerWroteAgain wroteAgain, [FromServices] Outbox outbox,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.BeginWriteAsync(ct);
        var found = await FindAsync(token, tracked: true, ct);
        if (found is null) return NotFound();
        var (survey, ticket) = found.Value;
        try
        {
            var answer = form.ToAnswer().Checked();
            survey.Answer(answer, now);
            var from = await db.Customers.Where(c => c.Id == ticket.CustomerId).Select(c => new { c.Email, c.Language }).SingleAsync(ct);
            var followed = await ApplyAsync(ticket, answer, from.Email, from.Language, wroteAgain, now, ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            if (followed) outbox.Wake();
            return Redirect($"/survey/{token}?thanks=true" + CultureQuery("&"));
        }
        catch (DomainException e)
        {
            await transaction.DisposeAsync(); // rolls back and lets other writers on before the page is built
            db.ChangeTracker.Clear();
            var fresh = (await FindAsync(token, tracked: false, ct))!.Value;
            // A second answer, or one after the link closed: refused, politely, and nothing changes.
            Response.StatusCode = fresh.Survey.IsAnswered || !fresh.Survey.IsOpenAt(now) ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity;
            return View("Survey", Page(fresh.Survey, fresh.Ticket, token, form, text.Localize(e), thanks: false));
        }
    }

    /// <summary>
    /// What the answer does to the ticket. Low (satisfaction ≤ 2): the customer wrote again (<see cref="CustomerWroteAgain"/>),
    /// with the comment as their words — reopened for an agent, or, closed longer ago than the reopen window, a new ticket
    /// that follows it (true). Otherwise, in follow-up: the acceptance is recorded as the follow-up outcome (ISO 10002 7.9),
    /// and the ticket can close.
    /// </summary>
    private static async Task<bool> ApplyAsync(Ticket ticket, SurveyAnswer answer, string customerEmail, string language, CustomerWroteAgain wroteAgain,
        DateTime now, CancellationToken ct)
    {
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"Survey answered: outcome {answer.OutcomeSatisfaction}/5, handling {answer.HandlingSatisfaction}/5, intention to buy again {answer.Intention}/5, "
            + $"accepts the decision: {(answer.AcceptsDecision switch { true => "yes", false => "no", null => "not said" })}.");
        ticket.RecordEvent(now, summary);
        if (answer.IsLow)
        {
            var again = await wroteAgain.TakeAsync(ticket.Id, new CustomerWriting(customerEmail, answer.Comment, Channel.Web, [])
            {
                Language = language,
                ReopenReason = string.Create(CultureInfo.InvariantCulture,
                    $"Low survey score: {answer.OutcomeSatisfaction}/5 with the outcome, {answer.HandlingSatisfaction}/5 with the handling."),
            }, ct);
            return again?.Follower is not null;
        }
        if (ticket.State == TicketState.FollowUp && answer.AcceptsDecision is { } accepts)
            ticket.RecordFollowUpOutcome(customerEmail, now, accepts, answer.Comment);
        else if (answer.Comment is { } comment && ticket.State is not (TicketState.Closed or TicketState.Rejected))
            ticket.AddCustomerMessage(customerEmail, now, comment);
        else if (answer.Comment is { } note)
            ticket.RecordEvent(now, "Survey comment: " + note);
        return false;
    }

    private async Task<(Survey Survey, Ticket Ticket)?> FindAsync(string token, bool tracked, CancellationToken ct)
    {
        if (!Survey.LooksLikeToken(token)) return null;
        var hash = Survey.Hash(token);
        var surveys = tracked ? db.Surveys : db.Surveys.AsNoTracking();
        var survey = await surveys.SingleOrDefaultAsync(s => s.TokenHash == hash, ct);
        if (survey is null) return null;
        var tickets = tracked ? db.Tickets : db.Tickets.AsNoTracking();
        var ticket = await tickets.SingleAsync(t => t.Id == survey.TicketId, ct);
        return (survey, ticket);
    }

    private SurveyPage Page(Survey survey, Ticket ticket, string token, SurveyForm form, string? error, bool thanks)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var state = survey.IsAnswered ? SurveyPageState.Answered : survey.IsOpenAt(now) ? SurveyPageState.Open : SurveyPageState.Closed;
        return new SurveyPage(token, ticket.Number, ticket.Subject, state, survey.AnsweredAt, survey.ExpiresAt, form, error, thanks,
            "/survey/" + token + CultureQuery("?")) { Decision = ticket.Decision };
    }

    /// <summary>Keeps the reader's language across the post when it came from the link (?culture=) rather than a cookie.</summary>
    private string CultureQuery(string separator) =>
        Request.Query.TryGetValue("culture", out var culture) && Localization.Cultures.Any(c => c.Name == culture.ToString())
            ? $"{separator}culture={culture}" : "";
}

public enum SurveyPageState { Open, Answered, Closed }

public sealed record SurveyPage(string Token, string Number, string Subject, SurveyPageState State, DateTime? AnsweredAt, DateTime? ExpiresAt,
    SurveyForm Form, string? Error, bool Thanks, string Action)
{
    /// <summary>What the desk decided and wrote to the customer (already mailed to them), so they answer about it.</summary>
    public string? Decision { get; init; }
}

/// <summary>The survey's fields as posted; missing scores reach the domain as 0 and are refused there with the field's name.</summary>
public sealed class SurveyForm
{
    public int? OutcomeSatisfaction { get; set; }
    public int? HandlingSatisfaction { get; set; }
    public int? Intention { get; set; }
    public int? Reliability { get; set; }
    public int? Responsiveness { get; set; }
    public int? Assurance { get; set; }
    public int? Empathy { get; set; }
    public int? Tangibles { get; set; }
    /// <summary>"yes", "no", or empty (not said).</summary>
    public string? AcceptsDecision { get; set; }
    public string? Comment { get; set; }

    public SurveyAnswer ToAnswer() => new(OutcomeSatisfaction ?? 0, HandlingSatisfaction ?? 0, Intention ?? 0,
        AcceptsDecision switch { "yes" => true, "no" => false, _ => null }, Comment, Reliability, Responsiveness, Assurance, Empathy, Tangibles);
}

using Desk.Domain;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Email.Outbound;
using Desk.Web.Features.Arrival;
using Desk.Web.Features.Attachments;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Desk.Web.Features.Public;

/// <summary>
/// The customer's side, without an account: the complaint form, and the private status page behind an
/// unguessable link where they follow their ticket and write to the desk. A wrong or expired link is a 404.
/// </summary>
[AllowAnonymous]
public sealed class ComplaintController(DeskDbContext db, TimeProvider clock, IOptions<DeskDatabaseOptions> reopenWindow, Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> text) : Controller
{
    private const long UploadLimit = AttachmentRules.MaxFiles * AttachmentRules.MaxBytes + 1024 * 1024;

    /// <summary>The form, with a one-time submission token of its own (see <see cref="ComplaintForm.Submission"/>).</summary>
    [HttpGet("/complain")]
    public IActionResult New() => View("Form", new ComplaintForm { Submission = StatusLink.NewToken() });

    [HttpPost("/complain")]
    [PublicPostLimit]
    [RequestSizeLimit(UploadLimit)]
    [RequestFormLimits(MultipartBodyLengthLimit = UploadLimit)]
    public async Task<IActionResult> New(ComplaintForm form, List<IFormFile> files, [FromServices] ComplaintArrival arrival, [FromServices] Shared.RemedyOptions remedies,
        [FromServices] PublicPostLimit limit, CancellationToken ct)
    {
        // The same form again (a double click, a retry after a 502 from the balancer): the ticket it opened, not a second
        // one, and not counted against the limit.
        var submission = StatusLink.LooksLikeToken(form.Submission) ? form.Submission : null;
        if (submission is not null && await FiledAsync(arrival, submission, ct) is { } filed) return filed;
        if (!await limit.TryCountAsync(PublicPostLimit.ClientOf(HttpContext), form.Email, ct)) return PublicPostLimit.Refusal(HttpContext);
        form = submission is null ? form with { Submission = StatusLink.NewToken() } : form;
        if (!ModelState.IsValid) return View("Form", form);
        try
        {
            var remedySought = await remedies.CheckOfferedAsync(form.RemedySoughtId, ct);
            var uploads = await AttachmentUploads.ReadAsync(files, ct);
            var language = System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
            // The form shows nothing about who owns the address: under one the desk knows, the complaint is filed unverified.
            var arrived = await arrival.FileAsync(new ArrivingComplaint(form.Email, form.Name, language,
                new TicketIntake(form.Kind, Channel.Web, Severity.Minor, form.Subject, form.Description, remedySought, form.OrderReference), uploads)
            {
                AddressShown = false,
                Submission = submission,
            }, ct);
            return Redirect($"/status/{arrived.StatusToken}?new=true");
        }
        catch (DomainException e)
        {
            ModelState.AddModelError("", text.Localize(e));
            return View("Form", form);
        }
        catch (DbUpdateException) when (submission is not null)
        {
            // The same form reached another desk (or request) at the same moment and was filed there first: the link's
            // unique hash refused this copy as a whole. Its ticket is the answer.
            db.ChangeTracker.Clear();
            if (await FiledAsync(arrival, submission, ct) is { } first) return first;
            throw;
        }
    }

    /// <summary>The result page of the ticket this form's submission token opened, or null when it opened none yet.</summary>
    private async Task<IActionResult?> FiledAsync(ComplaintArrival arrival, string submission, CancellationToken ct) =>
        await arrival.FiledAsync(submission, ct) ? Redirect($"/status/{StatusLink.TokenForSubmission(submission)}?new=true") : null;

    [HttpGet("/status/{token}")]
    public async Task<IActionResult> Status(string token, bool @new, CancellationToken ct)
    {
        var ticket = await FindAsync(token, ct);
        return ticket is null ? NotFound() : View("Status", await PageAsync(ticket, token, @new, null, ct));
    }

    [HttpGet("/status/{token}/attachments/{id:long}")]
    public async Task<IResult> Download(string token, long id, CancellationToken ct)
    {
        var ticket = await FindAsync(token, ct);
        var attachment = ticket is null ? null : await db.Attachments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id && a.TicketId == ticket.Id, ct);
        return attachment is null ? Results.NotFound() : AttachmentUploads.Download(Response, attachment);
    }

    [HttpPost("/status/{token}/reply")]
    [PublicPostLimit]
    [RequestSizeLimit(UploadLimit)]
    [RequestFormLimits(MultipartBodyLengthLimit = UploadLimit)]
    public async Task<IActionResult> Reply(string token, CustomerReplyForm form, List<IFormFile> files, [FromServices] PublicPostLimit limit,
        [FromServices] CustomerWroteAgain wroteAgain, [FromServices] Outbox outbox, CancellationToken ct)
    {
        var ticket = await FindAsync(token, ct);
        if (ticket is null) return NotFound();
        var from = await db.Customers.Where(c => c.Id == ticket.CustomerId).Select(c => new { c.Email, c.Language }).SingleAsync(ct);
        if (!await limit.TryCountAsync(PublicPostLimit.ClientOf(HttpContext), from.Email, ct)) return PublicPostLimit.Refusal(HttpContext);
        if (!ModelState.IsValid) return View("Status", await PageAsync(ticket, token, false, "Please write your message.", ct));
        try
        {
            var uploads = await AttachmentUploads.ReadAsync(files, ct);
            await using var transaction = await db.BeginWriteAsync(ct);
            // As by mail: a ticket closed longer ago than the reopen window, or rejected, is followed by a new one.
            var again = await wroteAgain.TakeAsync(ticket.Id, new CustomerWriting(from.Email, form.Message, Channel.Web, uploads)
            {
                Language = from.Language,
                AddressShown = !ticket.ContactUnverified, // this link was shown to whoever filled in the form
            }, ct);
            await transaction.CommitAsync(ct);
            if (again?.Follower is not { } follower) return Redirect($"/status/{token}");
            outbox.Wake();
            return Redirect($"/status/{follower.StatusToken}?new=true");
        }
        catch (Exception e) when (e is DomainException or ConcurrencyConflictException)
        {
            db.ChangeTracker.Clear();
            var fresh = (await FindAsync(token, ct))!;
            return View("Status", await PageAsync(fresh, token, false,
                e is DomainException ? text.Localize(e) : "Your message could not be added. Please try again.", ct));
        }
    }

    private async Task<Ticket?> FindAsync(string token, CancellationToken ct)
    {
        if (!StatusLink.LooksLikeToken(token)) return null;
        var hash = StatusLink.Hash(token);
        var link = await db.StatusLinks.AsNoTracking().SingleOrDefaultAsync(l => l.TokenHash == hash, ct);
        if (link is null || !link.IsValidAt(clock.GetUtcNow().UtcDateTime)) return null;
        return await db.Tickets.AsNoTracking().Include(t => t.Conversation).SingleOrDefaultAsync(t => t.Id == link.TicketId, ct);
    }

    private async Task<StatusPage> PageAsync(Ticket ticket, string token, bool justFiled, string? error, CancellationToken ct)
    {
        var name = await db.Customers.Where(c => c.Id == ticket.CustomerId).Select(c => c.Name).SingleAsync(ct);
        var files = await AttachmentUploads.LinksAsync(db, ticket.Id, ct);
        var messages = ticket.Conversation.Where(e => e.IsPublic).OrderBy(e => e.At).ThenBy(e => e.Id)
            .Select(e => new PublicMessage(e.Kind == ConversationEntryKind.Inbound, e.At, e.Body, [.. files[e.Id]])).ToList();
        return new StatusPage(ticket.Number, ticket.Subject, name, CustomerState(ticket.State), ticket.ReceivedAt, messages, token, justFiled,
            ticket.MergedIntoTicketId is null, error)
        {
            StartsNewTicket = !ticket.TakesCustomerMessages(clock.GetUtcNow().UtcDateTime, reopenWindow.Value.ReopenWindow),
        };
    }

    /// <summary>The state in the customer's words.</summary>
    private static string CustomerState(TicketState state) => state switch
    {
        TicketState.New or TicketState.Acknowledged => "Received — we will look at it soon",
        TicketState.InProgress or TicketState.Escalated => "We are working on it",
        TicketState.AwaitingCustomer => "We are waiting for your answer",
        TicketState.Resolved or TicketState.FollowUp => "Resolved — tell us if it is not",
        TicketState.Closed => "Closed",
        _ => "Closed without action",
    };
}

public sealed record StatusPage(string Number, string Subject, string CustomerName, string State, DateTime ReceivedAt,
    IReadOnlyList<PublicMessage> Messages, string Token, bool JustFiled, bool CanReply, string? Error)
{
    /// <summary>Closed longer ago than the reopen window, or rejected: what the customer writes now opens a new ticket that follows this one.</summary>
    public bool StartsNewTicket { get; init; }
}

public sealed record PublicMessage(bool FromCustomer, DateTime At, string Body, IReadOnlyList<AttachmentLink> Files);

using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Email.Intake;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Tickets;

/// <summary>
/// The mails behind a ticket's conversation, for agents: the original as received (a download, never rendered), and
/// its HTML as the customer's client showed it — sanitised when it came in, its pictures served from the ticket's
/// attachments, and sent with a policy that runs no script and loads nothing from outside.
/// </summary>
[Authorize(Policy = DeskPolicies.WorksTickets)]
public sealed class TicketMailController(DeskDbContext db) : Controller
{
    [HttpGet("/tickets/{number}/mail/{id:long}/original")]
    public async Task<IResult> Original(string number, long id, CancellationToken ct)
    {
        if (!TicketNumber.TryParse(number, out var ticketId)) return Results.NotFound();
        var raw = await db.InboundMails.AsNoTracking().Where(m => m.Id == id && m.TicketId == ticketId).Select(m => m.Raw).SingleOrDefaultAsync(ct);
        if (raw is null) return Results.NotFound();
        // Removed under the retention settings or by an erasure (Features/Privacy): the row stays, so the mail is never taken in twice.
        if (raw.Length == 0) return Results.Problem(statusCode: StatusCodes.Status410Gone, title: "The original of this mail was removed under the desk's privacy rules.");
        Response.Headers.XContentTypeOptions = "nosniff";
        return Results.File(raw, "application/octet-stream", $"{TicketNumber.Format(ticketId)}-mail-{id}.eml");
    }

    [HttpGet("/tickets/{number}/mail/{id:long}/formatted")]
    public async Task<IResult> Formatted(string number, long id, CancellationToken ct)
    {
        if (!TicketNumber.TryParse(number, out var ticketId)) return Results.NotFound();
        var mail = await db.InboundMails.AsNoTracking().Where(m => m.Id == id && m.TicketId == ticketId)
            .Select(m => new { m.Html, m.ConversationEntryId, m.Subject }).SingleOrDefaultAsync(ct);
        if (mail?.Html is null) return Results.NotFound();
        var pictures = await db.Attachments.AsNoTracking()
            .Where(a => a.TicketId == ticketId && a.ConversationEntryId == mail.ConversationEntryId && a.ContentId != null)
            .Select(a => new { a.Id, a.ContentId }).ToListAsync(ct);
        var html = MailContent.ResolveInlineImages(mail.Html, cid =>
            pictures.FirstOrDefault(p => string.Equals(p.ContentId, cid, StringComparison.OrdinalIgnoreCase)) is { } picture
                ? $"/tickets/{TicketNumber.Format(ticketId)}/attachments/{picture.Id}" : null);
        Response.Headers.XContentTypeOptions = "nosniff";
        Response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'";
        Response.Headers["Referrer-Policy"] = "no-referrer";
        var title = System.Net.WebUtility.HtmlEncode(mail.Subject);
        return Results.Content($"<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body>{html}</body></html>", "text/html; charset=utf-8");
    }
}

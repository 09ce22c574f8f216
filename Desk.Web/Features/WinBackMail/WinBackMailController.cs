using Desk.Domain;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Desk.Web.Features.WinBackMail;

/// <summary>
/// A win-back mail from the win-back list: the manager reads it filled in for the customer, changes the words if they
/// like, and sends exactly what they see. Same readers as the list (managers and admins).
/// </summary>
[Authorize(Policy = DeskPolicies.ReadsReports)]
public sealed class WinBackMailController(WinBackLetters letters, IStringLocalizer<SharedResource> text) : Controller
{
    public static string PathOf(long ticketId) => $"/reports/win-back/{ticketId}/mail";

    [HttpGet("/reports/win-back/{ticketId:long}/mail")]
    public async Task<IActionResult> Preview(long ticketId, CancellationToken ct)
    {
        var draft = await letters.DraftAsync(ticketId, User.Identity!.Name!, ct);
        if (draft is null) return NotFound();
        return View("Preview", new WinBackPreviewPage(draft, draft.Subject, draft.Body, null));
    }

    /// <summary>Sends the words as posted (through the outbox, noted on the ticket) and goes back to the list, which says so.</summary>
    [HttpPost("/reports/win-back/{ticketId:long}/mail")]
    public async Task<IActionResult> Send(long ticketId, [FromForm] WinBackMailForm form, CancellationToken ct)
    {
        var me = User.Identity!.Name!;
        try
        {
            var sentTo = await letters.SendAsync(ticketId, form.Subject, form.Body, me, ct);
            if (sentTo is null) return NotFound();
            TempData["WinBackSent"] = sentTo; // the list's confirmation (Reports/WinBack.cshtml)
            return Redirect("/reports/win-back");
        }
        catch (DomainException e)
        {
            var draft = await letters.DraftAsync(ticketId, me, ct);
            if (draft is null) return NotFound();
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Preview", new WinBackPreviewPage(draft, form.Subject ?? "", form.Body ?? "", text.Localize(e)));
        }
    }
}

/// <summary>The words as the manager sends them.</summary>
public sealed class WinBackMailForm
{
    public string? Subject { get; set; }
    public string? Body { get; set; }
}

public sealed record WinBackPreviewPage(WinBackDraft Draft, string Subject, string Body, string? Error);

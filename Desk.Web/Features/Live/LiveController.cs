using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Features.Tickets;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Desk.Web.Features.Live;

/// <summary>What a live ticket page asks after an event: what changed and by whom; and its "I am typing".</summary>
[Authorize(Policy = DeskPolicies.WorksTickets)]
public sealed class LiveController(DeskDbContext db, TimeProvider clock, LiveFeed feed, IStringLocalizer<SharedResource> text) : Controller
{
    /// <summary>The ticket's version now and one line on its last change, in the reader's language, for the "changed" banner.</summary>
    [HttpGet("/live/tickets/{number}/change")]
    public async Task<IActionResult> Change(string number, CancellationToken ct)
    {
        if (!TicketNumber.TryParse(number, out var id)) return NotFound();
        var version = await db.Tickets.Where(t => t.Id == id).Select(t => (int?)t.Version).SingleOrDefaultAsync(ct);
        if (version is null) return NotFound();
        var entry = await db.ConversationEntries.AsNoTracking().Where(e => e.TicketId == id).OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Select(e => new { e.Kind, e.Author, e.At }).FirstOrDefaultAsync(ct);
        var step = await db.AuditEntries.AsNoTracking().Where(a => a.TicketId == id).OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
            .Select(a => new { a.Actor, a.At, a.Trigger, a.ToState }).FirstOrDefaultAsync(ct);
        string who, what;
        if (entry is not null && (step is null || entry.At > step.At || (entry.At == step.At && entry.Kind != ConversationEntryKind.SystemEvent)))
        {
            who = entry.Kind == ConversationEntryKind.Inbound ? text["the customer"] : entry.Kind == ConversationEntryKind.SystemEvent ? text["the desk"] : entry.Author;
            what = entry.Kind switch
            {
                ConversationEntryKind.Inbound => text["a new message from the customer"],
                ConversationEntryKind.Outbound => text["a reply to the customer"],
                ConversationEntryKind.InternalNote => text["an internal note"],
                _ => text["a note from the desk"],
            };
        }
        else if (step is not null)
        {
            who = step.Actor == "desk" ? text["the desk"] : step.Actor;
            what = step.Trigger is { } trigger ? text[TicketText.StepLabel(trigger)] : text[Shared.Badges.StateLabel(step.ToState)];
        }
        else
        {
            who = text["someone else"];
            what = "";
        }
        return Json(new { version, who, what });
    }

    /// <summary>The agent typed on the ticket page (sent at most every few seconds): the others see "typing".</summary>
    [HttpPost("/live/tickets/{number}/typing")]
    public async Task<IActionResult> Typing(string number, CancellationToken ct)
    {
        if (!TicketNumber.TryParse(number, out var id) || !await db.Tickets.AnyAsync(t => t.Id == id, ct)) return NotFound();
        var now = StoredValues.UnixMilliseconds(clock.GetUtcNow().UtcDateTime);
        await using (var write = await db.BeginWriteAsync(ct))
        {
            await db.Database.ExecuteSqlRawAsync(LiveSql.Typing, [id, User.Identity!.Name!, now], ct);
            await write.CommitAsync(ct);
        }
        feed.PresenceChanged();
        return NoContent();
    }
}

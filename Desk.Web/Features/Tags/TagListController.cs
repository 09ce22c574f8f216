using Desk.Domain;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Features.Queue;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Desk.Web.Features.Tags;

/// <summary>The admins' tag list: agents choose from it once it has tags (see <see cref="CuratedTag"/>).</summary>
[Authorize(Policy = DeskPolicies.ConfiguresDesk)]
public sealed class TagListController(DeskDbContext db, TimeProvider clock, TagQueries tags,
    IStringLocalizer<SharedResource> text) : Controller
{
    [HttpGet("/admin/tags")]
    public async Task<IActionResult> Index(CancellationToken ct) => View("TagList", new TagListPage(await tags.CuratedAsync(ct), null));

    [HttpPost("/admin/tags")]
    public async Task<IActionResult> Add(string? tag, CancellationToken ct)
    {
        try
        {
            var name = TagName.Normalize(tag);
            if (!await db.CuratedTags.AnyAsync(t => t.Name == name, ct))
            {
                db.CuratedTags.Add(new CuratedTag(name, clock.GetUtcNow().UtcDateTime));
                try { await db.SaveChangesAsync(ct); }
                catch (DbUpdateException) { } // added at the same moment by another admin: it is on the list
            }
            return Redirect("/admin/tags");
        }
        catch (DomainException e)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("TagList", new TagListPage(await tags.CuratedAsync(ct), text.Localize(e)));
        }
    }

    /// <summary>Takes a tag off the list; tickets that have it keep it.</summary>
    [HttpPost("/admin/tags/remove")]
    public async Task<IActionResult> Remove(string? tag, CancellationToken ct)
    {
        var name = TagName.TryNormalize(tag);
        var listed = await db.CuratedTags.SingleOrDefaultAsync(t => t.Name == name, ct);
        if (listed is not null)
        {
            db.CuratedTags.Remove(listed);
            await db.SaveChangesAsync(ct);
        }
        return Redirect("/admin/tags");
    }
}

public sealed record TagListPage(IReadOnlyList<string> Tags, string? Error);

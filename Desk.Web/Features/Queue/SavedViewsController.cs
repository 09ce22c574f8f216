using System.Security.Claims;
using Desk.Domain;
using Desk.Web.Data;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Desk.Web.Features.Queue;

/// <summary>
/// An agent's saved views: the queue's current filter and search kept under a name, listed beside the built-in views,
/// deleted when no longer wanted. Each agent sees only their own; they live in the database, so every desk shows them.
/// </summary>
[Authorize(Policy = DeskPolicies.WorksTickets)]
public sealed class SavedViewsController(DeskDbContext db, TimeProvider clock, IStringLocalizer<SharedResource> text) : Controller
{
    /// <summary>At most this many views per agent: a view list, not a second queue.</summary>
    public const int MaxPerUser = 30;

    /// <summary>Saves the posted filter (the queue's own fields) as <paramref name="name"/>; the same name again replaces it.</summary>
    [HttpPost("/queue/views")]
    public async Task<IActionResult> Save(QueueFilter filter, string? name, CancellationToken ct)
    {
        var query = (filter with { After = null }).ToQuery();
        try
        {
            var title = string.Join(' ', (name ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            if (title.Length == 0) throw new DomainException("{0} is required.", new Phrase("A name for the view"));
            if (title.Length > SavedView.MaxNameLength) throw new DomainException("A view's name is at most {0} characters.", SavedView.MaxNameLength);
            var me = UserId(User);
            var existing = await db.SavedViews.SingleOrDefaultAsync(v => v.UserId == me && v.Name == title, ct);
            if (existing is not null) existing.Replace(query);
            else if (await db.SavedViews.CountAsync(v => v.UserId == me, ct) >= MaxPerUser)
                throw new DomainException("You have {0} saved views already; delete one first.", MaxPerUser);
            else db.SavedViews.Add(new SavedView(me, title, query, clock.GetUtcNow().UtcDateTime));
            await db.SaveChangesAsync(ct);
            return Redirect("/" + query);
        }
        catch (DbUpdateException) // the same name saved at the same moment from another tab: that one stands
        {
            return Redirect("/" + query);
        }
        catch (DomainException e)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("ViewNotSaved", new ViewNotSaved(text.Localize(e), "/" + query));
        }
    }

    [HttpPost("/queue/views/{id:long}/delete")]
    public async Task<IActionResult> Delete(long id, CancellationToken ct)
    {
        var me = UserId(User);
        var view = await db.SavedViews.SingleOrDefaultAsync(v => v.Id == id && v.UserId == me, ct); // someone else's: as if none
        if (view is not null)
        {
            db.SavedViews.Remove(view);
            await db.SaveChangesAsync(ct); // through the save, so SQLite's write gate is taken as for every write
        }
        return Redirect("/");
    }

    /// <summary>The agent's views, by name, for the queue's view list.</summary>
    public static async Task<IReadOnlyList<SavedViewLink>> ListAsync(DeskDbContext db, ClaimsPrincipal user, CancellationToken ct)
    {
        var me = UserId(user);
        return await db.SavedViews.AsNoTracking().Where(v => v.UserId == me).OrderBy(v => v.Name)
            .Select(v => new SavedViewLink(v.Id, v.Name, v.Query)).ToListAsync(ct);
    }

    private static string UserId(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";
}

public sealed record SavedViewLink(long Id, string Name, string Query);

public sealed record ViewNotSaved(string Error, string Back);

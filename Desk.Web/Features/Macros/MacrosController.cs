using Desk.Domain;
using Desk.Web.Data;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Macros;

/// <summary>
/// Canned replies: the shared ones (kept by admins) and each agent's own. An agent sees the shared ones and theirs, and
/// changes only theirs; an admin also adds and changes shared ones. Searchable by title, text and group.
/// </summary>
[Authorize(Policy = DeskPolicies.WorksTickets)]
public sealed class MacrosController(DeskDbContext db, TimeProvider clock, Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> text) : Controller
{
    [HttpGet("/macros")]
    public async Task<IActionResult> Index(string? q, CancellationToken ct) => View(await PageAsync(null, null, q, ct));

    [HttpPost("/macros")]
    public async Task<IActionResult> Add(MacroForm form, CancellationToken ct)
    {
        try
        {
            var me = User.Identity!.Name!;
            // Only an admin adds a shared one; anyone else's is their own, whatever the form says.
            var owner = form.Shared && IsAdmin ? null : me;
            db.Macros.Add(new Macro(form.Title ?? "", form.Body ?? "", me, clock.GetUtcNow().UtcDateTime, form.Group, owner));
            await db.SaveChangesAsync(ct);
            return Redirect("/macros");
        }
        catch (DomainException e)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Index", await PageAsync(text.Localize(e), form, null, ct));
        }
    }

    [HttpPost("/macros/{id:int}")]
    public async Task<IActionResult> Change(int id, MacroForm form, string change, CancellationToken ct)
    {
        var me = User.Identity!.Name!;
        var macro = await db.Macros.SingleOrDefaultAsync(m => m.Id == id && (m.Owner == null || m.Owner == me), ct);
        if (macro is null) return NotFound(); // another agent's own canned reply is not there for this one
        try
        {
            if (!macro.CanBeChangedBy(me, IsAdmin)) throw new DomainException("Only an admin can change a shared canned reply; add your own instead.");
            if (change == "delete") db.Macros.Remove(macro);
            else macro.Change(form.Title, form.Body, form.Group, me, clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync(ct);
            return Redirect("/macros");
        }
        catch (DomainException e)
        {
            db.ChangeTracker.Clear();
            Response.StatusCode = e.Message.StartsWith("Only an admin", StringComparison.Ordinal) ? StatusCodes.Status403Forbidden : StatusCodes.Status422UnprocessableEntity;
            return View("Index", await PageAsync(text.Localize(e), null, null, ct));
        }
    }

    private bool IsAdmin => User.IsInRole(DeskRoles.Admin);

    private async Task<MacrosPage> PageAsync(string? error, MacroForm? form, string? q, CancellationToken ct)
    {
        var me = User.Identity!.Name!;
        var macros = await MacroChoices.VisibleTo(db, me, q).ToListAsync(ct);
        return new(macros, error, form ?? new MacroForm(), q, me, IsAdmin);
    }
}

/// <summary>Which canned replies an agent is offered, in the order they are listed.</summary>
public static class MacroChoices
{
    /// <summary>
    /// The shared ones and <paramref name="agent"/>'s own, matching every word of <paramref name="search"/> in the title, the
    /// text or the group (any case); ordered by group (ungrouped last), then title.
    /// </summary>
    /// <param name="agent">Null for everyone's (what the desk keeps, <see cref="Shared.ReferenceLists.MacrosFor"/>).</param>
    public static IQueryable<Macro> VisibleTo(DeskDbContext db, string? agent, string? search)
    {
        var macros = db.Macros.AsNoTracking().Where(m => agent == null || m.Owner == null || m.Owner == agent);
        foreach (var word in (search ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(5))
        {
            var lower = word.ToLowerInvariant();
            macros = macros.Where(m => m.Title.ToLower().Contains(lower) || m.Body.ToLower().Contains(lower) || (m.Group != null && m.Group.ToLower().Contains(lower)));
        }
        return macros.OrderBy(m => m.Group == null).ThenBy(m => m.Group).ThenBy(m => m.Title);
    }
}

public sealed record MacroForm
{
    public string? Title { get; init; }
    public string? Body { get; init; }
    public string? Group { get; init; }
    /// <summary>Offered to every agent (admins only).</summary>
    public bool Shared { get; init; }
}

public sealed record MacrosPage(IReadOnlyList<Macro> Macros, string? Error, MacroForm Form, string? Search, string Me, bool IsAdmin);

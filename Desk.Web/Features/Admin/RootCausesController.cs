using System.Text;
using Desk.Domain;
using Desk.Domain.RootCauses;
using Desk.Web.Data;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Admin;

/// <summary>The two-level root-cause taxonomy (admins): add, rename, retire and restore causes. Nothing is deleted: old tickets keep theirs.</summary>
[Authorize(Policy = DeskPolicies.ConfiguresDesk)]
public sealed class RootCausesController(DeskDbContext db, Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> text) : Controller
{
    [HttpGet("/admin/root-causes")]
    public async Task<IActionResult> Index(CancellationToken ct) => View("RootCauses", await PageAsync(null, null, ct));

    [HttpPost("/admin/root-causes")]
    public async Task<IActionResult> Add(RootCauseForm form, CancellationToken ct)
    {
        try
        {
            var parent = form.ParentId is { } pid ? await db.RootCauses.SingleOrDefaultAsync(c => c.Id == pid, ct) : null;
            if (form.ParentId is not null && (parent is null || parent.ParentId is not null))
                throw new DomainException("A sub-cause goes under a top-level cause: the taxonomy has two levels.");
            var code = (parent is null ? "" : parent.Code + "/") + Slug(form.Name);
            if (await db.RootCauses.AnyAsync(c => c.Code == code, ct))
                throw new DomainException("There is already a cause \"{0}\" there.", form.Name);
            var id = Math.Max(RootCauseTaxonomy.FirstCustomId, await db.RootCauses.MaxAsync(c => c.Id, ct) + 1);
            var order = await db.RootCauses.CountAsync(c => c.ParentId == form.ParentId, ct);
            db.RootCauses.Add(new RootCause(id, code, form.Name ?? "", form.NameZh ?? "", parent?.Id, order));
            await db.SaveChangesAsync(ct); // every desk's kept lists drop once it commits (ReferenceCache)
            return Redirect("/admin/root-causes");
        }
        catch (DomainException e)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("RootCauses", await PageAsync(text.Localize(e), form, ct));
        }
    }

    [HttpPost("/admin/root-causes/{id:int}")]
    public async Task<IActionResult> Change(int id, RootCauseForm form, string change, CancellationToken ct)
    {
        var cause = await db.RootCauses.SingleOrDefaultAsync(c => c.Id == id, ct);
        if (cause is null) return NotFound();
        try
        {
            switch (change)
            {
                case "rename": cause.Rename(form.Name ?? "", form.NameZh); break;
                case "retire": cause.Retire(); break;
                case "restore": cause.Restore(); break;
                default: return BadRequest();
            }
            await db.SaveChangesAsync(ct); // every desk's kept lists drop once it commits (ReferenceCache)
            return Redirect("/admin/root-causes");
        }
        catch (DomainException e)
        {
            db.ChangeTracker.Clear();
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("RootCauses", await PageAsync(text.Localize(e), null, ct));
        }
    }

    private async Task<RootCausesPage> PageAsync(string? error, RootCauseForm? form, CancellationToken ct)
    {
        var all = await db.RootCauses.AsNoTracking().OrderBy(c => c.SortOrder).ThenBy(c => c.Id).ToListAsync(ct);
        var used = await db.Tickets.Where(t => t.RootCauseId != null).GroupBy(t => t.RootCauseId!.Value)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        return new RootCausesPage(
            [.. all.Where(c => c.ParentId is null).Select(p => new RootCauseBranch(p, [.. all.Where(c => c.ParentId == p.Id)]))],
            used, error, form ?? new RootCauseForm());
    }

    private static string Slug(string? name)
    {
        var slug = new StringBuilder();
        foreach (var ch in (name ?? "").Trim().ToLowerInvariant())
            slug.Append(char.IsAsciiLetterOrDigit(ch) ? ch : '-');
        var text = slug.ToString().Trim('-');
        while (text.Contains("--", StringComparison.Ordinal)) text = text.Replace("--", "-", StringComparison.Ordinal);
        return text.Length > 0 ? text : $"cause-{Guid.NewGuid():N}"[..14]; // a name in Chinese only
    }
}

public sealed record RootCauseForm
{
    public string? Name { get; init; }
    public string? NameZh { get; init; }
    public int? ParentId { get; init; }
}

public sealed record RootCauseBranch(RootCause Cause, IReadOnlyList<RootCause> Children);

public sealed record RootCausesPage(IReadOnlyList<RootCauseBranch> Branches, IReadOnlyDictionary<int, int> TicketsPerCause, string? Error, RootCauseForm Form);

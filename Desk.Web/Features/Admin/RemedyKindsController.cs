using System.Text;
using Desk.Domain;
using Desk.Domain.Remedies;
using Desk.Web.Data;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Admin;

/// <summary>
/// The remedies the desk offers (admins): add, rename, retire and restore. Nothing is deleted: tickets and the
/// recovery reports keep the remedies that were asked for and given.
/// </summary>
[Authorize(Policy = DeskPolicies.ConfiguresDesk)]
public sealed class RemedyKindsController(DeskDbContext db, Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> text) : Controller
{
    private const string Page = "/admin/remedies";

    [HttpGet(Page)]
    public async Task<IActionResult> Index(CancellationToken ct) => View("RemedyKinds", await PageAsync(null, null, ct));

    [HttpPost(Page)]
    public async Task<IActionResult> Add(RemedyKindForm form, CancellationToken ct)
    {
        try
        {
            var code = Code(form.Name);
            if (await db.RemedyKinds.AnyAsync(k => k.Code == code, ct))
                throw new DomainException("There is already a remedy \"{0}\".", form.Name);
            var id = Math.Max(RemedyKinds.FirstCustomId, await db.RemedyKinds.MaxAsync(k => k.Id, ct) + 1);
            var order = await db.RemedyKinds.CountAsync(ct);
            db.RemedyKinds.Add(new RemedyKind(id, code, form.Name ?? "", form.NameZh ?? "", order));
            await db.SaveChangesAsync(ct);
            return Redirect(Page);
        }
        catch (DomainException e)
        {
            db.ChangeTracker.Clear();
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("RemedyKinds", await PageAsync(text.Localize(e), form, ct));
        }
    }

    [HttpPost(Page + "/{id:int}")]
    public async Task<IActionResult> Change(int id, RemedyKindForm form, string change, CancellationToken ct)
    {
        var kind = await db.RemedyKinds.SingleOrDefaultAsync(k => k.Id == id, ct);
        if (kind is null) return NotFound();
        try
        {
            switch (change)
            {
                case "rename": kind.Rename(form.Name ?? "", form.NameZh); break;
                case "retire":
                    if (await db.RemedyKinds.CountAsync(k => k.IsActive && k.Id != id, ct) == 0)
                        throw new DomainException("At least one remedy must stay offered, or no ticket could be resolved.");
                    kind.Retire();
                    break;
                case "restore": kind.Restore(); break;
                default: return BadRequest();
            }
            await db.SaveChangesAsync(ct);
            return Redirect(Page);
        }
        catch (DomainException e)
        {
            db.ChangeTracker.Clear();
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("RemedyKinds", await PageAsync(text.Localize(e), null, ct));
        }
    }

    private async Task<RemedyKindsPage> PageAsync(string? error, RemedyKindForm? form, CancellationToken ct)
    {
        var kinds = await db.RemedyKinds.AsNoTracking().OrderBy(k => k.SortOrder).ThenBy(k => k.Id).ToListAsync(ct);
        // Two grouped counts over indexed columns, not a query per kind.
        var given = await db.Tickets.Where(t => t.RemedyGivenId != null).GroupBy(t => t.RemedyGivenId!.Value)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var sought = await db.Tickets.Where(t => t.RemedySoughtId != null).GroupBy(t => t.RemedySoughtId!.Value)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        return new RemedyKindsPage(
            [.. kinds.Select(k => new RemedyKindRow(k, sought.GetValueOrDefault(k.Id), given.GetValueOrDefault(k.Id)))],
            error, form ?? new RemedyKindForm());
    }

    /// <summary>A language-neutral key from the English name; a name without Latin letters gets a unique one.</summary>
    private static string Code(string? name)
    {
        var code = new StringBuilder();
        foreach (var ch in (name ?? "").Trim().ToLowerInvariant())
            code.Append(char.IsAsciiLetterOrDigit(ch) ? ch : '-');
        var text = code.ToString().Trim('-');
        while (text.Contains("--", StringComparison.Ordinal)) text = text.Replace("--", "-", StringComparison.Ordinal);
        if (text.Length == 0 && !string.IsNullOrWhiteSpace(name)) text = $"remedy-{Guid.NewGuid():N}"[..15];
        return text;
    }
}

public sealed record RemedyKindForm
{
    public string? Name { get; init; }
    public string? NameZh { get; init; }
}

public sealed record RemedyKindRow(RemedyKind Kind, int TimesSought, int TimesGiven);

public sealed record RemedyKindsPage(IReadOnlyList<RemedyKindRow> Kinds, string? Error, RemedyKindForm Form);

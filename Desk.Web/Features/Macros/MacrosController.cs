using Desk.Domain;
using Desk.Web.Data;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Macros;

/// <summary>Canned replies, kept by the agents who use them (and admins).</summary>
[Authorize(Policy = DeskPolicies.WorksTickets)]
public sealed class MacrosController(DeskDbContext db, TimeProvider clock, Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> text) : Controller
{
    [HttpGet("/macros")]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await PageAsync(null, null, ct));

    [HttpPost("/macros")]
    public async Task<IActionResult> Add(MacroForm form, CancellationToken ct)
    {
        try
        {
            db.Macros.Add(new Macro(form.Title ?? "", form.Body ?? "", User.Identity!.Name!, clock.GetUtcNow().UtcDateTime));
            await db.SaveChangesAsync(ct);
            return Redirect("/macros");
        }
        catch (DomainException e)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Index", await PageAsync(text.Localize(e), form, ct));
        }
    }

    [HttpPost("/macros/{id:int}")]
    public async Task<IActionResult> Change(int id, MacroForm form, string change, CancellationToken ct)
    {
        var macro = await db.Macros.SingleOrDefaultAsync(m => m.Id == id, ct);
        if (macro is null) return NotFound();
        try
        {
            if (change == "delete") db.Macros.Remove(macro);
            else macro.Change(form.Title, form.Body, User.Identity!.Name!, clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync(ct);
            return Redirect("/macros");
        }
        catch (DomainException e)
        {
            db.ChangeTracker.Clear();
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Index", await PageAsync(text.Localize(e), null, ct));
        }
    }

    private async Task<MacrosPage> PageAsync(string? error, MacroForm? form, CancellationToken ct) =>
        new(await db.Macros.AsNoTracking().OrderBy(m => m.Title).ToListAsync(ct), error, form ?? new MacroForm());
}

public sealed record MacroForm
{
    public string? Title { get; init; }
    public string? Body { get; init; }
}

public sealed record MacrosPage(IReadOnlyList<Macro> Macros, string? Error, MacroForm Form);

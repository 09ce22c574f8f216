using Desk.Domain;
using Desk.Web.Data;
using Desk.Web.Email.Servers;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Desk.Web.Features.Admin;

/// <summary>
/// The drop folder for admins, from /admin/mail: its absolute path on the desks' machines and on/off, kept as one
/// <see cref="MailServerKind.DropFolder"/> row; "test" checks from this desk that the folder exists and that the desk can
/// read and write in it. A change wakes every desk's drop folder poller (<see cref="DeskSignals.MailSources"/>): no
/// restart. "Use the settings file's" removes the row, so the settings file's folder is the default again.
/// </summary>
[Authorize(Policy = DeskPolicies.ConfiguresDesk)]
public sealed class DropFolderController(DeskDbContext db, MailServers servers, DeskSignals signals, TimeProvider clock,
    IStringLocalizer<SharedResource> text) : Controller
{
    public const string Page = "/admin/mail/drop-folder";

    [HttpGet(Page)]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var stored = await StoredAsync(ct);
        var inUse = await servers.DropFolderAsync(ct);
        var form = new DropFolderForm { Path = stored?.Folder ?? inUse.Folder, Enabled = stored?.Enabled ?? true, Version = stored?.Version ?? 0 };
        return View("DropFolder", new DropFolderPage(form, inUse, stored, null, null));
    }

    /// <summary>Saves the folder (checked first, from this desk, when it is on), or (<paramref name="act"/> "test") only checks it.</summary>
    [HttpPost(Page)]
    public async Task<IActionResult> Save(DropFolderForm form, string? act, CancellationToken ct)
    {
        if (act == "test") return await ShowAsync(form, null, DropFolderCheck.Check(form.Path), ok: true, ct);
        var by = User.Identity!.Name!;
        var at = clock.GetUtcNow().UtcDateTime;
        var stored = await db.MailServers.SingleOrDefaultAsync(s => s.Kind == MailServerKind.DropFolder, ct);
        try
        {
            if (stored is null) db.MailServers.Add(stored = MailServer.DropFolder(form.Path, form.Enabled, by, at));
            else
            {
                db.Entry(stored).Property(s => s.Version).OriginalValue = form.Version; // saved over someone else's change: refused
                stored.PointDropFolder(form.Path, form.Enabled, by, at);
            }
            // Taken in from a folder the desk cannot use, mail would wait unseen: refused, unless it is turned off.
            if (form.Enabled && DropFolderCheck.Check(form.Path) is not DropFolderProblem.Ok and var problem)
                return await ShowAsync(form, null, problem, ok: false, ct);
            await db.SaveChangesAsync(ct);
        }
        catch (DomainException e)
        {
            return await ShowAsync(form, text.Localize(e), null, ok: false, ct);
        }
        catch (ConcurrencyConflictException)
        {
            return await ShowAsync(form, text["Someone else changed the drop folder meanwhile. Check the fields and save again."], null, ok: false, ct);
        }
        catch (DbUpdateException) // two admins set it at once: the other one's is kept
        {
            return await ShowAsync(form, text["Someone else changed the drop folder meanwhile. Check the fields and save again."], null, ok: false, ct);
        }
        await signals.RaiseAsync(DeskSignals.MailSources, ct);
        return Redirect("/admin/mail?done=saved");
    }

    /// <summary>Forgets the page's folder: the settings file's is used again.</summary>
    [HttpPost(Page + "/reset")]
    public async Task<IActionResult> Reset(CancellationToken ct)
    {
        await db.MailServers.Where(s => s.Kind == MailServerKind.DropFolder).ExecuteDeleteAsync(ct);
        await signals.RaiseAsync(DeskSignals.MailSources, ct);
        return Redirect("/admin/mail?done=saved");
    }

    private async Task<IActionResult> ShowAsync(DropFolderForm form, string? error, DropFolderProblem? check, bool ok, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        if (!ok) Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return View("DropFolder", new DropFolderPage(form, await servers.DropFolderAsync(ct), await StoredAsync(ct), error, check));
    }

    private Task<MailServer?> StoredAsync(CancellationToken ct) =>
        db.MailServers.AsNoTracking().SingleOrDefaultAsync(s => s.Kind == MailServerKind.DropFolder, ct);
}

public sealed class DropFolderForm
{
    public string? Path { get; set; }
    public bool Enabled { get; set; }
    public int Version { get; set; }
}

/// <summary>The drop folder page: the form, the folder in use now and where it comes from, the stored row (if any), a refusal or a check's result.</summary>
public sealed record DropFolderPage(DropFolderForm Form, DropFolderInUse InUse, MailServer? Stored, string? Error, DropFolderProblem? Check);

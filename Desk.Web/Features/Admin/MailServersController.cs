using Desk.Domain;
using Desk.Web.Data;
using Desk.Web.Email;
using Desk.Web.Email.Servers;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Desk.Web.Features.Admin;

/// <summary>
/// Mail servers for admins, from /admin/mail: add, change, disable or delete an IMAP mailbox or the SMTP server, and test a
/// connection before saving. Secrets are typed in and stored protected; they are never shown back (an empty field keeps
/// the stored one). A change wakes every desk's pollers (<see cref="DeskSignals.MailSources"/>): no restart.
/// </summary>
[Authorize(Policy = DeskPolicies.ConfiguresDesk)]
public sealed class MailServersController(DeskDbContext db, MailSecrets secrets, DeskSignals signals, IStringLocalizer<SharedResource> text) : Controller
{
    private const string Page = "/admin/mail/servers";

    [HttpGet(Page + "/new/{kind}")]
    public async Task<IActionResult> New(MailServerKind kind, CancellationToken ct)
    {
        if (kind == MailServerKind.DropFolder) return Redirect(DropFolderController.Page);
        if (kind == MailServerKind.Smtp && await SmtpIdAsync(ct) is { } id) return Redirect($"{Page}/{id}");
        return View("MailServer", new MailServerPage(null, MailServerForm.Empty(kind), null, null, null));
    }

    [HttpGet(Page + "/{id:int}")]
    public async Task<IActionResult> Edit(int id, CancellationToken ct)
    {
        var server = await db.MailServers.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct);
        if (server?.Kind == MailServerKind.DropFolder) return Redirect(DropFolderController.Page);
        return server is null ? NotFound() : View("MailServer", new MailServerPage(server, MailServerForm.Of(server), null, null, null));
    }

    /// <summary>Saves a new server, or (<paramref name="act"/> "test") tries the form's settings and saves nothing.</summary>
    [HttpPost(Page + "/new/{kind}")]
    public async Task<IActionResult> Create(MailServerKind kind, MailServerForm form, string? act, [FromServices] TimeProvider clock,
        [FromServices] IOptions<MailOptions> options, CancellationToken ct)
    {
        if (kind == MailServerKind.DropFolder) return NotFound(); // set on its own page
        form.Kind = kind;
        if (act == "test") return await TestAsync(null, form, ct);
        try
        {
            if (kind == MailServerKind.Smtp && await SmtpIdAsync(ct) is not null)
                throw new DomainException("There is already an SMTP server; change that one.");
            var server = new MailServer(kind, form.Settings(), User.Identity!.Name!, clock.GetUtcNow().UtcDateTime);
            server.ReplaceSecrets(Protected(form.Password), Protected(form.ClientSecret), Protected(form.RefreshToken), User.Identity!.Name!, clock.GetUtcNow().UtcDateTime);
            server.EnsureCanSignIn();
            EnsureNameFree(server, options.Value);
            db.MailServers.Add(server);
            return await SaveAsync(server, isNew: true, form, ct);
        }
        catch (DomainException e)
        {
            return Refused(null, form, text.Localize(e));
        }
    }

    /// <summary>Saves changes to a server, or (<paramref name="act"/> "test") tries them — with the stored secrets where none is typed — and saves nothing.</summary>
    [HttpPost(Page + "/{id:int}")]
    public async Task<IActionResult> Change(int id, MailServerForm form, string? act, [FromServices] TimeProvider clock,
        [FromServices] IOptions<MailOptions> options, CancellationToken ct)
    {
        var server = await db.MailServers.SingleOrDefaultAsync(s => s.Id == id, ct);
        if (server is null || server.Kind == MailServerKind.DropFolder) return NotFound();
        form.Kind = server.Kind;
        if (act == "test") return await TestAsync(server, form, ct);
        try
        {
            db.Entry(server).Property(s => s.Version).OriginalValue = form.Version; // saved over someone else's change: refused
            server.Describe(form.Settings(), User.Identity!.Name!, clock.GetUtcNow().UtcDateTime);
            server.ReplaceSecrets(Protected(form.Password), Protected(form.ClientSecret), Protected(form.RefreshToken), User.Identity!.Name!, clock.GetUtcNow().UtcDateTime);
            server.EnsureCanSignIn();
            EnsureNameFree(server, options.Value);
            return await SaveAsync(server, isNew: false, form, ct);
        }
        catch (DomainException e)
        {
            var stored = await StoredAsync(id, ct);
            return Refused(stored, form, text.Localize(e));
        }
    }

    [HttpPost(Page + "/{id:int}/delete")]
    public async Task<IActionResult> Delete(int id, CancellationToken ct)
    {
        var server = await db.MailServers.SingleOrDefaultAsync(s => s.Id == id, ct);
        if (server is null || server.Kind == MailServerKind.DropFolder) return NotFound();
        db.MailServers.Remove(server);
        await db.SaveChangesAsync(ct);
        await signals.RaiseAsync(DeskSignals.MailSources, ct);
        return Redirect("/admin/mail?done=deleted");
    }

    private async Task<IActionResult> SaveAsync(MailServer server, bool isNew, MailServerForm form, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (ConcurrencyConflictException) // DeskDbContext's form of a DbUpdateConcurrencyException
        {
            var stored = await StoredAsync(server.Id, ct);
            if (stored is null) return Redirect("/admin/mail?done=deleted");
            form.Version = stored.Version;
            return Refused(stored, form, text["Someone else changed this mail server meanwhile. Check the fields and save again."]);
        }
        catch (DbUpdateException)
        {
            var name = server.Name;
            return Refused(isNew ? null : await StoredAsync(server.Id, ct), form, text["There is already a mail server called {0}.", name]);
        }
        // Every desk's pollers (and this one's) read the mailboxes again now; the sender reads its server for every batch.
        await signals.RaiseAsync(DeskSignals.MailSources, ct);
        return Redirect("/admin/mail?done=saved");
    }

    private async Task<IActionResult> TestAsync(MailServer? stored, MailServerForm form, CancellationToken ct)
    {
        var tester = HttpContext.RequestServices.GetRequiredService<MailConnectionTest>();
        var servers = HttpContext.RequestServices.GetRequiredService<MailServers>();
        ConnectionResult result;
        MailServer trial;
        try
        {
            // A copy that is never saved: the form's settings, with the typed secrets or else the stored ones.
            trial = new MailServer(form.Kind, form.Settings(), User.Identity!.Name!, DateTime.MinValue);
            trial.ReplaceSecrets(Protected(form.Password) ?? Kept(stored?.ProtectedPassword, form, MailSignIn.Password),
                Protected(form.ClientSecret) ?? Kept(stored?.ProtectedClientSecret, form, MailSignIn.OAuth2),
                Protected(form.RefreshToken) ?? Kept(stored?.ProtectedRefreshToken, form, MailSignIn.OAuth2), User.Identity!.Name!, DateTime.MinValue);
            trial.EnsureCanSignIn();
        }
        catch (DomainException e)
        {
            db.ChangeTracker.Clear();
            return Refused(stored, form, text.Localize(e));
        }
        result = form.Kind == MailServerKind.Imap
            ? await tester.ImapAsync(servers.Mailbox(trial), ct)
            : await tester.SmtpAsync(servers.Smtp(trial), ct);
        db.ChangeTracker.Clear();
        return View("MailServer", new MailServerPage(stored, form.WithoutSecrets(), null, result, TypedSecret(form)));
    }

    private static string? Kept(string? stored, MailServerForm form, MailSignIn way) => form.SignIn == way ? stored : null;

    private IActionResult Refused(MailServer? stored, MailServerForm form, string error)
    {
        db.ChangeTracker.Clear();
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return View("MailServer", new MailServerPage(stored, form.WithoutSecrets(), error, null, TypedSecret(form)));
    }

    /// <summary>Whether a secret was typed (it is not shown back, so the page asks for it again).</summary>
    private static bool? TypedSecret(MailServerForm form) =>
        !string.IsNullOrEmpty(form.Password) || !string.IsNullOrEmpty(form.ClientSecret) || !string.IsNullOrEmpty(form.RefreshToken) ? true : null;

    private void EnsureNameFree(MailServer server, MailOptions options)
    {
        if (options.Mailboxes.Any(m => string.Equals(m.DisplayName, server.Name, StringComparison.OrdinalIgnoreCase)))
            throw new DomainException("A mailbox in the settings file is already called {0}.", server.Name);
    }

    private string? Protected(string? secret) => string.IsNullOrEmpty(secret) ? null : secrets.Protect(secret);

    private Task<MailServer?> StoredAsync(int id, CancellationToken ct) => db.MailServers.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct);

    private async Task<int?> SmtpIdAsync(CancellationToken ct) =>
        await db.MailServers.Where(s => s.Kind == MailServerKind.Smtp).Select(s => (int?)s.Id).FirstOrDefaultAsync(ct);
}

/// <summary>The form for one mail server. Secrets are only ever typed in: empty keeps the stored one.</summary>
public sealed class MailServerForm
{
    public MailServerKind Kind { get; set; }
    public string? Name { get; set; }
    public string? Host { get; set; }
    public int Port { get; set; }
    public MailSecurity Security { get; set; }
    public string? User { get; set; }
    public string? Folder { get; set; }
    public string? DoneFolder { get; set; }
    public bool Enabled { get; set; }
    public MailSignIn SignIn { get; set; }
    public string? Password { get; set; }
    public string? TokenEndpoint { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    public string? RefreshToken { get; set; }
    public string? Scope { get; set; }
    public int Version { get; set; }

    public static MailServerForm Empty(MailServerKind kind) => new()
    {
        Kind = kind, Port = kind == MailServerKind.Imap ? 993 : 587, Folder = "INBOX", Enabled = true,
    };

    public static MailServerForm Of(MailServer server) => new()
    {
        Kind = server.Kind, Name = server.Name, Host = server.Host, Port = server.Port, Security = server.Security, User = server.User,
        Folder = server.Folder, DoneFolder = server.DoneFolder, Enabled = server.Enabled, SignIn = server.SignIn,
        TokenEndpoint = server.TokenEndpoint, ClientId = server.ClientId, Scope = server.Scope, Version = server.Version,
    };

    public MailServerSettings Settings() =>
        new(Name, Host ?? "", Port, Security, User, Folder, DoneFolder, Enabled, SignIn, TokenEndpoint, ClientId, Scope);

    /// <summary>The form as shown again: never with the secrets typed into it.</summary>
    public MailServerForm WithoutSecrets()
    {
        var copy = (MailServerForm)MemberwiseClone();
        copy.Password = copy.ClientSecret = copy.RefreshToken = null;
        return copy;
    }
}

/// <summary>
/// The mail server page: <paramref name="Stored"/> is the saved server (null for a new one), read for which secrets are
/// set; <paramref name="SecretsToRetype"/> when secrets were typed but not saved.
/// </summary>
public sealed record MailServerPage(MailServer? Stored, MailServerForm Form, string? Error, ConnectionResult? Test, bool? SecretsToRetype = null);

/// <summary>A mail server as the mail page lists it: from the settings file (read-only) or from the page (with its id).</summary>
public sealed record MailServerRow(int? Id, MailServerKind Kind, string Name, string Host, int Port, MailSecurity Security, string User, string? Folder,
    MailSignIn SignIn, bool Enabled)
{
    public bool FromSettings => Id is null;

    /// <summary>The settings file's servers, then the page's, by name.</summary>
    public static async Task<IReadOnlyList<MailServerRow>> ListAsync(DeskDbContext db, MailOptions settings, CancellationToken ct)
    {
        var stored = await db.MailServers.AsNoTracking().Where(s => s.Kind != MailServerKind.DropFolder).OrderBy(s => s.Kind).ThenBy(s => s.Name)
            .Select(s => new MailServerRow(s.Id, s.Kind, s.Name, s.Host, s.Port, s.Security, s.User, s.Folder, s.SignIn, s.Enabled)).ToListAsync(ct);
        var rows = settings.Mailboxes.Select(m => new MailServerRow(null, MailServerKind.Imap, m.DisplayName, m.Host, m.Port, m.Security, m.User, m.Folder,
            m.OAuth2.IsConfigured ? MailSignIn.OAuth2 : MailSignIn.Password, true)).ToList();
        if (settings.Smtp.IsConfigured)
            rows.Add(new MailServerRow(null, MailServerKind.Smtp, "SMTP", settings.Smtp.Host!, settings.Smtp.Port, settings.Smtp.Security, settings.Smtp.User ?? "",
                null, settings.Smtp.OAuth2.IsConfigured ? MailSignIn.OAuth2 : MailSignIn.Password, true));
        return [.. rows, .. stored];
    }
}

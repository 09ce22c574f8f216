using System.Security.Cryptography;
using Desk.Web.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Desk.Web.Email.Servers;

/// <summary>
/// Protects mail servers' secrets (passwords, OAuth2 client secrets and refresh tokens) with ASP.NET Core Data Protection.
/// The key ring lives in the database (<c>AddDeskIdentity</c>), under the one application name, so every desk on the
/// database reads what any desk stored, and the database alone never shows a secret in clear.
/// </summary>
public sealed class MailSecrets(IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Desk.Mail.ServerSecrets.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    /// <summary>The secret, or null when it cannot be read (the key that protected it is gone from the ring).</summary>
    public string? Unprotect(string? protectedSecret)
    {
        if (protectedSecret is null) return null;
        try
        {
            return _protector.Unprotect(protectedSecret);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}

/// <summary>
/// The drop folder in use: <paramref name="Folder"/> (absolute; null when none is read) and whether it was set on the page
/// (else it is the settings file's <c>Desk:Mail:DropFolder</c>, read while the settings name no mailbox).
/// </summary>
public sealed record DropFolderInUse(string? Folder, bool FromPage, bool Enabled);

/// <summary>A mailbox to poll: its settings (secrets in clear, in memory only) and whether it comes from the settings file.</summary>
public sealed record ConfiguredMailbox(MailboxOptions Options, bool FromSettings);

/// <summary>
/// The mail servers in use: the settings file's (<see cref="MailOptions"/>) and the ones admins keep on /admin/mail, with
/// their secrets unprotected for the poller and the sender. Read from the database every time: nothing is cached, so a
/// change made on any desk is what the next read sees.
/// </summary>
public sealed class MailServers(DeskDbContext db, MailSecrets secrets, IOptions<MailOptions> options, IHostEnvironment environment)
{
    /// <summary>The drop folder to read: the page's when it sets one (on or off), else the settings file's default.</summary>
    public async Task<DropFolderInUse> DropFolderAsync(CancellationToken ct)
    {
        var stored = await db.MailServers.AsNoTracking().Where(s => s.Kind == MailServerKind.DropFolder).FirstOrDefaultAsync(ct);
        if (stored is not null) return new DropFolderInUse(stored.Enabled ? stored.Folder : null, FromPage: true, stored.Enabled);
        return options.Value.Mailboxes.Count > 0
            ? new DropFolderInUse(null, FromPage: false, Enabled: false)
            : new DropFolderInUse(SettingsDropFolder(options.Value, environment), FromPage: false, Enabled: true);
    }

    /// <summary>The settings file's drop folder, as an absolute path (a relative one is under the content root).</summary>
    public static string SettingsDropFolder(MailOptions options, IHostEnvironment environment) =>
        Path.Combine(environment.ContentRootPath, options.DropFolder);

    /// <summary>Every mailbox to poll: the settings file's first, then the enabled ones from the page, by name.</summary>
    public async Task<IReadOnlyList<ConfiguredMailbox>> MailboxesAsync(CancellationToken ct)
    {
        var stored = await db.MailServers.AsNoTracking().Where(s => s.Kind == MailServerKind.Imap && s.Enabled).OrderBy(s => s.Name).ToListAsync(ct);
        var fromSettings = options.Value.Mailboxes;
        // The page refuses a name the settings use, but the settings may take one later: then the settings' mailbox wins.
        var names = fromSettings.Select(m => m.DisplayName).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. fromSettings.Select(m => new ConfiguredMailbox(m, FromSettings: true)),
            .. stored.Where(s => !names.Contains(s.Name)).Select(s => new ConfiguredMailbox(Mailbox(s), FromSettings: false))];
    }

    /// <summary>The SMTP server to send through: the one from the page when it is enabled, else the settings file's (which may be none).</summary>
    public async Task<SmtpOptions> SmtpAsync(CancellationToken ct)
    {
        var stored = await db.MailServers.AsNoTracking().Where(s => s.Kind == MailServerKind.Smtp && s.Enabled).OrderBy(s => s.Id).FirstOrDefaultAsync(ct);
        return stored is null ? options.Value.Smtp : Smtp(stored);
    }

    public MailboxOptions Mailbox(MailServer server) => new()
    {
        Name = server.Name,
        Host = server.Host,
        Port = server.Port,
        Security = server.Security,
        User = server.User,
        Password = server.SignIn == MailSignIn.Password ? secrets.Unprotect(server.ProtectedPassword) : null,
        OAuth2 = OAuth2(server),
        Folder = server.Folder,
        DoneFolder = server.DoneFolder,
    };

    public SmtpOptions Smtp(MailServer server) => new()
    {
        Host = server.Host,
        Port = server.Port,
        Security = server.Security,
        User = server.User.Length == 0 ? null : server.User,
        Password = server.SignIn == MailSignIn.Password ? secrets.Unprotect(server.ProtectedPassword) : null,
        OAuth2 = OAuth2(server),
    };

    private OAuth2Options OAuth2(MailServer server) => server.SignIn != MailSignIn.OAuth2 ? new() : new()
    {
        TokenEndpoint = server.TokenEndpoint,
        ClientId = server.ClientId,
        ClientSecret = secrets.Unprotect(server.ProtectedClientSecret),
        RefreshToken = secrets.Unprotect(server.ProtectedRefreshToken),
        Scope = server.Scope,
    };
}

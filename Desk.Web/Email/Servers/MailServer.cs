using Desk.Domain;

namespace Desk.Web.Email.Servers;

public enum MailServerKind
{
    /// <summary>A mailbox mail is taken in from.</summary>
    Imap,
    /// <summary>The server mail is sent through (at most one).</summary>
    Smtp,
    /// <summary>The drop folder .eml files are taken in from (at most one row; <see cref="MailServer.Folder"/> is its absolute path).</summary>
    DropFolder,
}

public enum MailSignIn
{
    /// <summary>User name and password (for SMTP: no sign-in at all when the user name is empty).</summary>
    Password,
    /// <summary>SASL XOAUTH2, the access token from a token endpoint (<see cref="OAuth2Options"/>).</summary>
    OAuth2,
}

/// <summary>The settings of a mail server as an admin gives them on /admin/mail, secrets apart.</summary>
public sealed record MailServerSettings(string? Name, string Host, int Port, MailSecurity Security, string? User, string? Folder, string? DoneFolder,
    bool Enabled, MailSignIn SignIn, string? TokenEndpoint, string? ClientId, string? Scope);

/// <summary>
/// A mail server kept in the database and edited by admins on /admin/mail (the settings file's mailboxes stay beside
/// them, read-only): an IMAP mailbox the desk takes mail from, or the SMTP server it sends through. Its secrets are stored
/// only as Data Protection payloads (<see cref="MailSecrets"/>); this class never sees them in clear. The pollers of every
/// desk re-read the servers when one changes (<c>DeskSignals.MailSources</c>), so nothing needs a restart.
/// </summary>
public sealed class MailServer
{
    private MailServer() { } // for EF Core

    public MailServer(MailServerKind kind, MailServerSettings settings, string by, DateTime at)
    {
        Kind = kind;
        Describe(settings, by, at);
    }

    /// <summary>
    /// The drop folder set on the page (<see cref="MailServerKind.DropFolder"/>): an absolute path on the desks' machines,
    /// on or off. Its name is the drop folder's source name, so there is only ever one (the unique name).
    /// </summary>
    public static MailServer DropFolder(string? path, bool enabled, string by, DateTime at)
    {
        var server = new MailServer { Kind = MailServerKind.DropFolder, Name = Intake.DropFolderIntake.Source };
        server.PointDropFolder(path, enabled, by, at);
        return server;
    }

    /// <summary>Points the drop folder at <paramref name="path"/> (absolute), on or off; refuses a path the desk could not use.</summary>
    public void PointDropFolder(string? path, bool enabled, string by, DateTime at)
    {
        if (Kind != MailServerKind.DropFolder) throw new DomainException("This is not the drop folder.");
        var folder = path?.Trim() ?? "";
        if (folder.Length == 0) throw new DomainException("Give the drop folder's path.");
        if (folder.Length > 200) throw new DomainException("The path is too long (at most {0} characters).", 200);
        if (!Path.IsPathFullyQualified(folder)) throw new DomainException("The drop folder's path must be absolute (from the root, such as {0}).", "/var/desk/inbox");
        Folder = folder;
        Enabled = enabled;
        Changed(by, at);
    }

    public int Id { get; private set; }
    public MailServerKind Kind { get; private set; }

    /// <summary>Unique among all mail servers and the settings file's mailboxes: the mailbox's lease, checkpoint and status go by it.</summary>
    public string Name { get; private set; } = "";
    public string Host { get; private set; } = "";
    public int Port { get; private set; }
    public MailSecurity Security { get; private set; }
    public string User { get; private set; } = "";

    /// <summary>IMAP: the folder read (INBOX by default).</summary>
    public string Folder { get; private set; } = "INBOX";

    /// <summary>IMAP: where taken-in mail is moved; none: it is flagged and stays.</summary>
    public string? DoneFolder { get; private set; }

    /// <summary>A disabled server is kept but not used (not polled; not sent through).</summary>
    public bool Enabled { get; private set; }

    public MailSignIn SignIn { get; private set; }

    /// <summary>The password, protected; null when none is set.</summary>
    public string? ProtectedPassword { get; private set; }

    public string? TokenEndpoint { get; private set; }
    public string? ClientId { get; private set; }
    public string? Scope { get; private set; }

    /// <summary>The OAuth2 client secret, protected.</summary>
    public string? ProtectedClientSecret { get; private set; }

    /// <summary>The OAuth2 refresh token, protected.</summary>
    public string? ProtectedRefreshToken { get; private set; }

    /// <summary>Bumped by every change: an admin saving over another's change is told, not silently undone.</summary>
    public int Version { get; private set; }

    public DateTime ChangedAt { get; private set; }
    public string ChangedBy { get; private set; } = "";

    public bool HasPassword => ProtectedPassword is not null;
    public bool HasClientSecret => ProtectedClientSecret is not null;
    public bool HasRefreshToken => ProtectedRefreshToken is not null;

    /// <summary>Sets everything but the secrets; refuses settings the desk could not use, changing nothing.</summary>
    public void Describe(MailServerSettings settings, string by, DateTime at)
    {
        var host = settings.Host?.Trim() ?? "";
        var user = settings.User?.Trim() ?? "";
        if (host.Length == 0) throw new DomainException("Give the server's host name.");
        if (host.Length > 253 || host.Any(char.IsWhiteSpace)) throw new DomainException("{0} is not a host name.", host);
        if (settings.Port is < 1 or > 65535) throw new DomainException("The port must be between 1 and 65535.");
        if (Kind == MailServerKind.Imap && user.Length == 0) throw new DomainException("Give the user name the mailbox signs in with.");
        if (settings.SignIn == MailSignIn.OAuth2)
        {
            if (user.Length == 0) throw new DomainException("OAuth2 needs the user name (the address it signs in as).");
            if (!Uri.TryCreate(settings.TokenEndpoint?.Trim(), UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("https" or "http"))
                throw new DomainException("The token endpoint must be an absolute http(s) address.");
            if (string.IsNullOrWhiteSpace(settings.ClientId)) throw new DomainException("OAuth2 needs the client ID.");
        }
        var name = string.IsNullOrWhiteSpace(settings.Name) ? $"{user}@{host}" : settings.Name.Trim();
        if (name.Length > 100) throw new DomainException("The name is too long (at most {0} characters).", 100);
        var folder = string.IsNullOrWhiteSpace(settings.Folder) ? "INBOX" : settings.Folder.Trim();

        Name = name;
        Host = host;
        Port = settings.Port;
        Security = settings.Security;
        User = user;
        Folder = folder;
        DoneFolder = string.IsNullOrWhiteSpace(settings.DoneFolder) ? null : settings.DoneFolder.Trim();
        Enabled = settings.Enabled;
        SignIn = settings.SignIn;
        var oauth = settings.SignIn == MailSignIn.OAuth2;
        TokenEndpoint = oauth ? settings.TokenEndpoint?.Trim() : null;
        ClientId = oauth ? settings.ClientId?.Trim() : null;
        Scope = oauth && !string.IsNullOrWhiteSpace(settings.Scope) ? settings.Scope.Trim() : null;
        // A way of signing in that is no longer used keeps no secret.
        if (oauth) ProtectedPassword = null;
        else ProtectedClientSecret = ProtectedRefreshToken = null;
        Changed(by, at);
    }

    /// <summary>Replaces the secrets given (already protected); a null leaves that secret as it is.</summary>
    public void ReplaceSecrets(string? protectedPassword, string? protectedClientSecret, string? protectedRefreshToken, string by, DateTime at)
    {
        if (protectedPassword is null && protectedClientSecret is null && protectedRefreshToken is null) return;
        if (SignIn == MailSignIn.Password) ProtectedPassword = protectedPassword ?? ProtectedPassword;
        else
        {
            ProtectedClientSecret = protectedClientSecret ?? ProtectedClientSecret;
            ProtectedRefreshToken = protectedRefreshToken ?? ProtectedRefreshToken;
        }
        Changed(by, at);
    }

    /// <summary>Refuses a server the desk could not sign in to (checked once its secrets are in).</summary>
    public void EnsureCanSignIn()
    {
        if (Kind == MailServerKind.Imap && SignIn == MailSignIn.Password && !HasPassword)
            throw new DomainException("Give the mailbox's password.");
        if (Kind == MailServerKind.Smtp && SignIn == MailSignIn.Password && User.Length > 0 && !HasPassword)
            throw new DomainException("Give the password for {0}, or leave the user name empty to send without signing in.", User);
        if (SignIn == MailSignIn.OAuth2 && !HasClientSecret && !HasRefreshToken)
            throw new DomainException("OAuth2 needs a refresh token (refresh-token grant) or a client secret (client-credentials grant).");
    }

    private void Changed(string by, DateTime at)
    {
        Version++;
        ChangedBy = by;
        ChangedAt = at;
    }
}

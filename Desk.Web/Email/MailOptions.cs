using System.ComponentModel.DataAnnotations;

namespace Desk.Web.Email;

public enum MailSecurity
{
    /// <summary>TLS on connect for the well-known TLS ports (993, 465), STARTTLS when the server offers it otherwise.</summary>
    Auto,
    None,
    StartTls,
    SslOnConnect,
}

/// <summary>
/// How the desk receives and sends mail. With no mailbox and no SMTP server configured (the embedded default), mail
/// comes from a drop folder of .eml files and goes to a pickup folder of .eml files.
/// </summary>
public sealed class MailOptions
{
    public const string Section = "Desk:Mail";

    /// <summary>The desk's address: the From of every mail it sends.</summary>
    [Required, EmailAddress]
    public string Address { get; set; } = "support@desk.local";

    /// <summary>The name shown with the address.</summary>
    [Required]
    public string DisplayName { get; set; } = "Desk";

    /// <summary>The desk's other addresses (aliases, other mailboxes): mail from any of them is never taken in as a customer's.</summary>
    public List<string> OtherAddresses { get; set; } = [];

    /// <summary>Where links in mails point: the address customers reach the desk at.</summary>
    [Required, Url]
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>.eml files put here are taken in (then moved to its processed/ folder); relative to the content root.</summary>
    [Required]
    public string DropFolder { get; set; } = "mail/inbox";

    /// <summary>
    /// A file in the drop folder is taken only once it has not been written to for this long (0: at once), so a file
    /// still being written is left for a later round instead of being taken half: write elsewhere and move the whole file
    /// in (a rename is atomic), and this is only the safety net.
    /// </summary>
    [Range(0, 3600)]
    public double DropFolderSettleSeconds { get; set; } = 1;

    /// <summary>With no SMTP server, outgoing mail is written here as .eml files; relative to the content root.</summary>
    [Required]
    public string PickupFolder { get; set; } = "mail/outbox";

    /// <summary>IMAP mailboxes to take mail from; none means the drop folder.</summary>
    public List<MailboxOptions> Mailboxes { get; set; } = [];

    /// <summary>The SMTP server to send through; none (no host) means the pickup folder.</summary>
    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>How often the drop folder is looked at, and mailboxes without IDLE are polled.</summary>
    [Range(1, 3600)]
    public int PollSeconds { get; set; } = 5;

    /// <summary>A mailbox whose last successful poll is older than this is reported stale.</summary>
    [Range(1, 1440)]
    public int StaleAfterMinutes { get; set; } = 10;

    /// <summary>Larger mails are quarantined, not parsed (they stay available to admins).</summary>
    [Range(1, 1024)]
    public int MaxMailMegabytes { get; set; } = 50;

    /// <summary>Larger attachments are not kept (the original mail is); a note on the ticket says so.</summary>
    [Range(1, 1024)]
    public int MaxAttachmentMegabytes { get; set; } = 25;

    /// <summary>At most this many acknowledgements to one address per hour: two robots can never mail each other forever.</summary>
    [Range(1, 1000)]
    public int AcknowledgementsPerAddressPerHour { get; set; } = 3;

    /// <summary>
    /// How long a batch taken by one desk's sender is left to it: a desk that dies while sending leaves its batch to the
    /// others after this long (and a mail it sent but could not mark sent goes out twice, with the same Message-ID).
    /// </summary>
    [Range(5, 3600)]
    public int SendClaimSeconds { get; set; } = 120;

    /// <summary>A mail that failed this many times is dead (visible to admins, who can send it again).</summary>
    [Range(1, 100)]
    public int MaxSendAttempts { get; set; } = 8;

    public IEnumerable<string> AllAddresses => OtherAddresses.Prepend(Address);
}

public sealed class MailboxOptions
{
    /// <summary>A name for people (the admin page, /healthz); defaults to user@host.</summary>
    public string? Name { get; set; }
    [Required]
    public string Host { get; set; } = "";
    [Range(1, 65535)]
    public int Port { get; set; } = 993;
    public MailSecurity Security { get; set; } = MailSecurity.Auto;
    [Required]
    public string User { get; set; } = "";
    /// <summary>Kept out of the repository: user secrets, an environment variable (Desk__Mail__Mailboxes__0__Password) or a vault.</summary>
    public string? Password { get; set; }
    /// <summary>A fixed OAuth 2.0 access token (SASL XOAUTH2) instead of a password: for trying things only, it expires within about an hour.</summary>
    public string? OAuth2AccessToken { get; set; }
    /// <summary>Sign in with SASL XOAUTH2 (as Microsoft 365 and Gmail require), the access token obtained and renewed from a token endpoint; wins over <see cref="OAuth2AccessToken"/> and <see cref="Password"/>.</summary>
    public OAuth2Options OAuth2 { get; set; } = new();
    public string Folder { get; set; } = "INBOX";
    /// <summary>Taken-in mail is moved here; without it, it is flagged (\Seen and $DeskDone) and stays.</summary>
    public string? DoneFolder { get; set; }
    /// <summary>Accept any server certificate (a test server on loopback); never in production.</summary>
    public bool TrustAnyCertificate { get; set; }

    public string DisplayName => string.IsNullOrWhiteSpace(Name) ? $"{User}@{Host}" : Name;
}

public sealed class SmtpOptions
{
    public string? Host { get; set; }
    [Range(1, 65535)]
    public int Port { get; set; } = 587;
    public MailSecurity Security { get; set; } = MailSecurity.Auto;
    public string? User { get; set; }
    public string? Password { get; set; }
    public string? OAuth2AccessToken { get; set; }
    /// <summary>As <see cref="MailboxOptions.OAuth2"/>: SASL XOAUTH2 as <see cref="User"/>, with access tokens from a token endpoint.</summary>
    public OAuth2Options OAuth2 { get; set; } = new();
    public bool TrustAnyCertificate { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);
}

/// <summary>
/// Where the desk gets OAuth 2.0 access tokens for signing in (<see cref="OAuth2Tokens"/>): with a
/// <see cref="RefreshToken"/> the refresh-token grant (a delegated mailbox, as Gmail and Microsoft 365 issue for a user's
/// consent), without one the client-credentials grant (an application's own permission, as Microsoft 365 grants to a
/// registered app). <see cref="ClientSecret"/> and <see cref="RefreshToken"/> are kept out of the repository: user secrets
/// or environment variables (Desk__Mail__Mailboxes__0__OAuth2__ClientSecret).
/// </summary>
public sealed class OAuth2Options
{
    /// <summary>The token endpoint, e.g. https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token or https://oauth2.googleapis.com/token.</summary>
    public string? TokenEndpoint { get; set; }
    public string? ClientId { get; set; }
    /// <summary>Sent in the request body (client_secret_post); may be empty for a public client with a refresh token.</summary>
    public string? ClientSecret { get; set; }
    /// <summary>When set, tokens come from the refresh-token grant; otherwise from the client-credentials grant.</summary>
    public string? RefreshToken { get; set; }
    /// <summary>Space-separated scopes, e.g. https://outlook.office365.com/.default or https://mail.google.com/.</summary>
    public string? Scope { get; set; }

    /// <summary>Any field set: the section is meant to be used (and must then be complete).</summary>
    public bool IsConfigured => new[] { TokenEndpoint, ClientId, ClientSecret, RefreshToken, Scope }.Any(v => !string.IsNullOrWhiteSpace(v));

    public bool UsesRefreshToken => !string.IsNullOrWhiteSpace(RefreshToken);

    /// <summary>What is missing or wrong, for a start-up message naming <paramref name="section"/>; null when usable.</summary>
    public string? Problem(string section)
    {
        if (!Uri.TryCreate(TokenEndpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("https" or "http"))
            return $"{section}:TokenEndpoint must be the token endpoint's absolute http(s) URL.";
        if (string.IsNullOrWhiteSpace(ClientId))
            return $"{section}:ClientId is not set.";
        if (!UsesRefreshToken && string.IsNullOrEmpty(ClientSecret))
            return $"{section} needs a RefreshToken (refresh-token grant) or a ClientSecret (client-credentials grant); keep them in user secrets or environment variables.";
        return null;
    }
}

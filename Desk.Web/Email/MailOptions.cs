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
    /// <summary>An OAuth 2.0 access token (SASL XOAUTH2, as Microsoft 365 and Gmail require) instead of a password.</summary>
    public string? OAuth2AccessToken { get; set; }
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
    public bool TrustAnyCertificate { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);
}

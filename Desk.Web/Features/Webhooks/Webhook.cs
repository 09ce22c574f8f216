using System.Security.Cryptography;
using Desk.Domain;
using Microsoft.AspNetCore.DataProtection;

namespace Desk.Web.Features.Webhooks;

/// <summary>What a hook may be told of; an admin ticks any of them per hook.</summary>
[Flags]
public enum WebhookEvents
{
    None = 0,
    TicketCreated = 1,
    StateChanged = 2,
    CustomerReplied = 4,
    Resolved = 8,
    SurveyAnswered = 16,
    SlaMissed = 32,
}

public static class WebhookEventNames
{
    /// <summary>Every single event, in the order the admin page lists them.</summary>
    public static IReadOnlyList<WebhookEvents> All { get; } =
    [
        WebhookEvents.TicketCreated, WebhookEvents.StateChanged, WebhookEvents.CustomerReplied, WebhookEvents.Resolved,
        WebhookEvents.SurveyAnswered, WebhookEvents.SlaMissed,
    ];

    /// <summary>The name on the wire (<c>Desk-Event</c> and the body's <c>event</c>).</summary>
    public static string Wire(WebhookEvents e) => e switch
    {
        WebhookEvents.TicketCreated => "ticket.created",
        WebhookEvents.StateChanged => "ticket.state_changed",
        WebhookEvents.CustomerReplied => "ticket.customer_replied",
        WebhookEvents.Resolved => "ticket.resolved",
        WebhookEvents.SurveyAnswered => "ticket.survey_answered",
        WebhookEvents.SlaMissed => "ticket.sla_missed",
        _ => throw new ArgumentOutOfRangeException(nameof(e), e, "One event at a time."),
    };

    /// <summary>What the admin page says (a localizer key).</summary>
    public static string Describe(WebhookEvents e) => e switch
    {
        WebhookEvents.TicketCreated => "A ticket was created",
        WebhookEvents.StateChanged => "A ticket's state changed",
        WebhookEvents.CustomerReplied => "The customer replied",
        WebhookEvents.Resolved => "A ticket was resolved",
        WebhookEvents.SurveyAnswered => "A survey was answered",
        WebhookEvents.SlaMissed => "An SLA was missed",
        _ => e.ToString(),
    };

    public static IEnumerable<WebhookEvents> Of(WebhookEvents events) => All.Where(e => events.HasFlag(e));
}

/// <summary>
/// A URL an admin registered to be told of ticket events (see <see cref="WebhookSender"/>). Its signing secret is shown
/// once, when it is created, and kept protected by the desk's Data Protection keys (shared by every desk through the
/// database), so any desk can sign and a copy of the table alone does not reveal it.
/// </summary>
public sealed class Webhook
{
    /// <summary>The Data Protection purpose of <see cref="ProtectedSecret"/>.</summary>
    public const string SecretPurpose = "Desk.Webhooks.Secret.v1";

    private Webhook() { } // for EF Core

    public long Id { get; private set; }
    public string Url { get; private set; } = "";
    public WebhookEvents Events { get; private set; }
    /// <summary>The signing secret, protected with <see cref="SecretPurpose"/>.</summary>
    public string ProtectedSecret { get; private set; } = "";
    /// <summary>The secret's first characters, so an admin can tell which one a receiver holds.</summary>
    public string SecretPrefix { get; private set; } = "";
    public DateTime CreatedAt { get; private set; }
    public string CreatedBy { get; private set; } = "";
    /// <summary>Since when every attempt failed (the first failure after the last success); null while it works.</summary>
    public DateTime? FailingSince { get; private set; }
    public DateTime? LastSuccessAt { get; private set; }
    /// <summary>Null while it is on; set when an admin turned it off or it failed for too long.</summary>
    public DateTime? DisabledAt { get; private set; }
    /// <summary>True when the desk turned it off because it kept failing (the page says so).</summary>
    public bool DisabledForFailing { get; private set; }
    public string? LastError { get; private set; }

    public bool IsEnabled => DisabledAt is null;

    /// <summary>A new hook and its secret (the only time the secret is seen in clear). Refuses a URL that is not http(s) or no events.</summary>
    public static (Webhook Hook, string Secret) Create(string? url, WebhookEvents events, string by, DateTime now, IDataProtector protector)
    {
        var checkedUrl = CheckUrl(url);
        if ((events & ~WebhookEvents.None) == WebhookEvents.None)
            throw new DomainException("Tick at least one event for the webhook.");
        var secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (new Webhook
        {
            Url = checkedUrl,
            Events = events,
            ProtectedSecret = protector.Protect(secret),
            SecretPrefix = secret[..10],
            CreatedAt = now,
            CreatedBy = by,
        }, secret);
    }

    private static string CheckUrl(string? url)
    {
        var trimmed = url?.Trim() ?? "";
        if (trimmed.Length is 0 or > 500 || !Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new DomainException("The webhook's address must be a full http:// or https:// URL (at most 500 characters).");
        return trimmed;
    }

    /// <summary>The signing secret in clear.</summary>
    public string Secret(IDataProtector protector) => protector.Unprotect(ProtectedSecret);

    /// <summary>A receiver took a delivery: the hook works again.</summary>
    public void Succeeded(DateTime now)
    {
        FailingSince = null;
        LastSuccessAt = now;
        LastError = null;
    }

    /// <summary>
    /// An attempt failed. After <paramref name="disableAfter"/> of nothing but failures the hook is turned off (true);
    /// its undelivered events wait for an admin to turn it on again.
    /// </summary>
    public bool Failed(DateTime now, string error, TimeSpan disableAfter)
    {
        FailingSince ??= now;
        LastError = error.Length <= 500 ? error : error[..500];
        if (!IsEnabled || now - FailingSince.Value < disableAfter) return false;
        DisabledAt = now;
        DisabledForFailing = true;
        return true;
    }

    /// <summary>An admin turns the hook off: nothing is sent; events are no longer recorded for it.</summary>
    public void Disable(DateTime now)
    {
        if (!IsEnabled) return;
        DisabledAt = now;
        DisabledForFailing = false;
    }

    /// <summary>An admin turns it on again: the events waiting for it are sent, oldest first; the failing clock starts afresh.</summary>
    public void Enable()
    {
        DisabledAt = null;
        DisabledForFailing = false;
        FailingSince = null;
    }
}

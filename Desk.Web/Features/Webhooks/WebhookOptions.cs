using System.ComponentModel.DataAnnotations;

namespace Desk.Web.Features.Webhooks;

/// <summary>The webhook settings (<c>Desk:Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    public const string Section = "Desk:Webhooks";

    /// <summary>Whether this desk sends deliveries (every desk on the database may; each claims its own).</summary>
    public bool SenderEnabled { get; set; } = true;

    /// <summary>A hook whose every attempt failed for this many days is turned off (the admin page says so).</summary>
    [Range(0.001, 365)]
    public double DisableAfterDays { get; set; } = 3;

    /// <summary>How long a receiver has to answer one delivery.</summary>
    [Range(1, 120)]
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>How long a claimed delivery is this sender's before another desk may take it (a sender that died mid-batch).</summary>
    [Range(5, 3600)]
    public int ClaimSeconds { get; set; } = 120;

    public TimeSpan DisableAfter => TimeSpan.FromDays(DisableAfterDays);
}

using System.ComponentModel.DataAnnotations;

namespace Desk.Web.Features.FollowUps;

/// <summary>After-care settings that are not per relationship level (those are the plans, edited at /admin/follow-ups).</summary>
public sealed class FollowUpOptions
{
    public const string Section = "Desk:FollowUp";

    /// <summary>Off in tests that run the scheduler by hand; on everywhere else.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the scheduler looks for surveys to send and tickets to close.</summary>
    [Range(1, 3600)]
    public int CheckIntervalSeconds { get; set; } = 30;

    /// <summary>How long a survey link works after it is sent.</summary>
    [Range(1, 365)]
    public int SurveyLinkDays { get; set; } = 14;

    /// <summary>The number customers are invited to call in survey mails (reactive level and above); empty: they are asked to reply with theirs.</summary>
    [MaxLength(50)]
    public string? CallBackPhone { get; set; }
}

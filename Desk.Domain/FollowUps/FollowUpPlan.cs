using Desk.Domain.Customers;

namespace Desk.Domain.FollowUps;

/// <summary>
/// What after-care a resolved complaint gets, by the customer's relationship level (Kotler): from a survey only
/// (basic) to an account review with the customer's owner (partnership). One row per level; admins edit them.
/// Day counts are from the resolution.
/// </summary>
public sealed class FollowUpPlan
{
    private FollowUpPlan() { } // for EF Core

    public RelationshipLevel Level { get; private set; }
    /// <summary>How long the ticket stays in follow-up: it closes by itself after this when nobody answered and no task is open.</summary>
    public int WindowDays { get; private set; }
    /// <summary>Hours after the resolution the survey goes out (0: at once).</summary>
    public int SurveyAfterHours { get; private set; }
    /// <summary>The survey mail invites the customer to call back (reactive and above).</summary>
    public bool InviteCallBack { get; private set; }
    /// <summary>A check-in call task this many days after the resolution; null: none.</summary>
    public int? CheckInAfterDays { get; private set; }
    /// <summary>A second, later check-in (proactive: at 30 days); null: none.</summary>
    public int? LaterCheckInAfterDays { get; private set; }
    /// <summary>An account review with the customer's owner (partnership); null: none.</summary>
    public int? AccountReviewAfterDays { get; private set; }

    public TimeSpan Window => TimeSpan.FromDays(WindowDays);
    public TimeSpan SurveyDelay => TimeSpan.FromHours(SurveyAfterHours);

    /// <summary>The defaults of DOMAIN.md: basic → survey only; reactive → survey and an invitation to call back;
    /// accountable → a check-in a few days later; proactive → also one at 30 days; partnership → an account review.</summary>
    public static FollowUpPlan Default(RelationshipLevel level) => level switch
    {
        RelationshipLevel.Basic => new() { Level = level, WindowDays = 14, SurveyAfterHours = 24 },
        RelationshipLevel.Reactive => new() { Level = level, WindowDays = 14, SurveyAfterHours = 24, InviteCallBack = true },
        RelationshipLevel.Accountable => new() { Level = level, WindowDays = 14, SurveyAfterHours = 24, InviteCallBack = true, CheckInAfterDays = 3 },
        RelationshipLevel.Proactive => new()
        {
            Level = level, WindowDays = 35, SurveyAfterHours = 24, InviteCallBack = true, CheckInAfterDays = 3, LaterCheckInAfterDays = 30,
        },
        RelationshipLevel.Partnership => new()
        {
            Level = level, WindowDays = 35, SurveyAfterHours = 24, InviteCallBack = true, CheckInAfterDays = 3, LaterCheckInAfterDays = 30,
            AccountReviewAfterDays = 7,
        },
        _ => throw new DomainException("{0} is not a relationship level.", level),
    };

    public static IReadOnlyList<FollowUpPlan> Defaults() => [.. Enum.GetValues<RelationshipLevel>().Select(Default)];

    /// <summary>An admin changes the plan. Every task must fall inside the window, so the ticket cannot close before it is due.</summary>
    public void Change(int windowDays, int surveyAfterHours, bool inviteCallBack, int? checkInAfterDays, int? laterCheckInAfterDays, int? accountReviewAfterDays)
    {
        if (windowDays is < 1 or > 365)
            throw new DomainException("The follow-up window must be between 1 and 365 days.");
        if (surveyAfterHours < 0 || surveyAfterHours > windowDays * 24)
            throw new DomainException("The survey must go out within the follow-up window (0 to {0} hours).", windowDays * 24);
        foreach (var days in new[] { checkInAfterDays, laterCheckInAfterDays, accountReviewAfterDays })
            if (days is { } d && (d < 0 || d > windowDays))
                throw new DomainException("A follow-up task must fall inside the follow-up window (0 to {0} days).", windowDays);
        if (checkInAfterDays is { } first && laterCheckInAfterDays is { } later && later <= first)
            throw new DomainException("The later check-in must come after the first one.");
        WindowDays = windowDays;
        SurveyAfterHours = surveyAfterHours;
        InviteCallBack = inviteCallBack;
        CheckInAfterDays = checkInAfterDays;
        LaterCheckInAfterDays = laterCheckInAfterDays;
        AccountReviewAfterDays = accountReviewAfterDays;
    }

    /// <summary>The tasks this plan makes for a complaint resolved at <paramref name="resolvedAt"/>, earliest first.</summary>
    public IReadOnlyList<PlannedTask> TasksFrom(DateTime resolvedAt)
    {
        var tasks = new List<PlannedTask>();
        if (CheckInAfterDays is { } checkIn) tasks.Add(new(FollowUpTaskKind.CheckIn, resolvedAt.AddDays(checkIn)));
        if (LaterCheckInAfterDays is { } later) tasks.Add(new(FollowUpTaskKind.LaterCheckIn, resolvedAt.AddDays(later)));
        if (AccountReviewAfterDays is { } review) tasks.Add(new(FollowUpTaskKind.AccountReview, resolvedAt.AddDays(review)));
        return [.. tasks.OrderBy(t => t.DueAt)];
    }
}

/// <summary>A task a plan asks for, before it is stored.</summary>
public sealed record PlannedTask(FollowUpTaskKind Kind, DateTime DueAt);

namespace Desk.Domain.FollowUps;

/// <summary>
/// A customer's answer to the follow-up survey. Satisfaction with the outcome and with how the complaint was handled are
/// asked apart (ISO 10002 8.3); the five SERVQUAL dimensions may be left out; intention to buy again is the "conscious"
/// face of loyalty, set beside what the customer later does. Scores are 1 (very poor) to 5 (very good).
/// </summary>
public sealed record SurveyAnswer(
    int OutcomeSatisfaction,
    int HandlingSatisfaction,
    int Intention,
    bool? AcceptsDecision,
    string? Comment,
    int? Reliability = null,
    int? Responsiveness = null,
    int? Assurance = null,
    int? Empathy = null,
    int? Tangibles = null)
{
    public const int LowScore = 2;
    public const int MaxCommentLength = 4_000;

    /// <summary>Satisfaction with the outcome or with the handling at <see cref="LowScore"/> or below: the ticket goes back to an agent.</summary>
    public bool IsLow => OutcomeSatisfaction <= LowScore || HandlingSatisfaction <= LowScore;

    /// <summary>The answer with its comment trimmed, or a refusal naming what is missing or out of range; nothing is stored before this passes.</summary>
    public SurveyAnswer Checked()
    {
        Score(OutcomeSatisfaction, "Satisfaction with the outcome");
        Score(HandlingSatisfaction, "Satisfaction with how the complaint was handled");
        Score(Intention, "Intention to buy again");
        foreach (var (value, what) in new[] { (Reliability, "Reliability"), (Responsiveness, "Responsiveness"), (Assurance, "Assurance"),
                     (Empathy, "Empathy"), (Tangibles, "Tangibles") })
            if (value is { } v) Score(v, what);
        var comment = string.IsNullOrWhiteSpace(Comment) ? null : Comment.Trim();
        if (comment is { Length: > MaxCommentLength })
            throw new DomainException("The text is too long ({0:N0} characters; at most {1:N0}).", comment.Length, MaxCommentLength);
        return this with { Comment = comment };
    }

    private static void Score(int value, string what)
    {
        if (value is < 1 or > 5) throw new DomainException("{0} needs a score from 1 to 5.", new Phrase(what));
    }
}

using System.Security.Cryptography;
using System.Text;

namespace Desk.Domain.FollowUps;

/// <summary>
/// The follow-up survey of one ticket: planned at the resolution, sent once through the outbox with a private link that
/// expires, answered at most once. The desk keeps only the SHA-256 hash of the link's token. Sending is recorded on this
/// row in the same transaction as the outbox mail, so a scheduler that restarts neither sends it twice nor skips it.
/// </summary>
public sealed class Survey
{
    private Survey() { } // for EF Core

    public Survey(long ticketId, long customerId, string language, DateTime sendAfter, DateTime now)
    {
        TicketId = ticketId;
        CustomerId = customerId;
        Language = language == "zh" ? "zh" : "en";
        SendAfter = sendAfter;
        CreatedAt = now;
    }

    public long Id { get; private set; }
    /// <summary>One survey per ticket (unique).</summary>
    public long TicketId { get; private set; }
    public long CustomerId { get; private set; }
    /// <summary>"en" or "zh": the language of the mail and, unless the reader picks another, of the page.</summary>
    public string Language { get; private set; } = "en";
    public DateTime CreatedAt { get; private set; }
    /// <summary>The scheduler sends the survey at or after this moment.</summary>
    public DateTime SendAfter { get; private set; }
    public DateTime? SentAt { get; private set; }
    public DateTime? ExpiresAt { get; private set; }
    /// <summary>Hex SHA-256 of the link's token; null until sent.</summary>
    public string? TokenHash { get; private set; }

    public DateTime? AnsweredAt { get; private set; }
    public int? OutcomeSatisfaction { get; private set; }
    public int? HandlingSatisfaction { get; private set; }
    public int? Intention { get; private set; }
    public bool? AcceptsDecision { get; private set; }
    public int? Reliability { get; private set; }
    public int? Responsiveness { get; private set; }
    public int? Assurance { get; private set; }
    public int? Empathy { get; private set; }
    public int? Tangibles { get; private set; }
    public string? Comment { get; private set; }

    public bool IsAnswered => AnsweredAt is not null;

    public bool IsOpenAt(DateTime now) => SentAt is not null && !IsAnswered && ExpiresAt is { } expires && now < expires;

    /// <summary>
    /// The ticket was resolved again after a reopen: an unanswered survey waits for the new resolution (and a new link, the old
    /// one stops working). An answered one stays as it is: one answer per ticket.
    /// </summary>
    public void Reschedule(DateTime sendAfter)
    {
        if (IsAnswered) return;
        SendAfter = sendAfter;
        SentAt = null;
        ExpiresAt = null;
        TokenHash = null;
    }

    /// <summary>Marks the survey sent and returns the token for the link (shown once, in the mail; never stored).</summary>
    public string Send(DateTime now, TimeSpan lifetime)
    {
        if (SentAt is not null) throw new DomainException("This survey was sent already, on {0:yyyy-MM-dd HH:mm} UTC.", SentAt.Value);
        if (lifetime <= TimeSpan.Zero) throw new DomainException("A survey link must stay valid for some time.");
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        TokenHash = Hash(token);
        SentAt = now;
        ExpiresAt = now + lifetime;
        return token;
    }

    /// <summary>
    /// Records the customer's answer. Refused, changing nothing, when the survey was answered already or its link has expired.
    /// </summary>
    public void Answer(SurveyAnswer answer, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (AnsweredAt is { } answered)
            throw new DomainException("This survey was answered already, on {0:yyyy-MM-dd}. Thank you: one answer per complaint is all we ask.", answered);
        if (!IsOpenAt(now))
            throw new DomainException("This survey closed on {0:yyyy-MM-dd}.", ExpiresAt ?? now);
        var a = answer.Checked();
        OutcomeSatisfaction = a.OutcomeSatisfaction;
        HandlingSatisfaction = a.HandlingSatisfaction;
        Intention = a.Intention;
        AcceptsDecision = a.AcceptsDecision;
        Reliability = a.Reliability;
        Responsiveness = a.Responsiveness;
        Assurance = a.Assurance;
        Empathy = a.Empathy;
        Tangibles = a.Tangibles;
        Comment = a.Comment;
        AnsweredAt = now;
    }

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Only tokens of the shape <see cref="Send"/> makes are looked up at all.</summary>
    public static bool LooksLikeToken(string? token) =>
        token is { Length: 43 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}

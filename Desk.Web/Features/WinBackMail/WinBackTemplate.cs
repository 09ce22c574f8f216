using System.Text.RegularExpressions;
using Desk.Domain;

namespace Desk.Web.Features.WinBackMail;

/// <summary>
/// The words of the win-back mail in one language ("en" or "zh"), as an admin wrote them, with placeholders the desk fills
/// in for each customer (<see cref="Placeholders"/>). One row per language, seeded with <see cref="Default"/>. A manager
/// sees the filled-in text before sending and may change it for that one mail.
/// </summary>
public sealed partial class WinBackTemplate
{
    private WinBackTemplate() { } // for EF Core

    public WinBackTemplate(string language, string subject, string body, string? brand, DateTime now, string? changedBy)
    {
        Language = language;
        Change(subject, body, brand, now, changedBy);
    }

    public const int SubjectMaxLength = 300;
    public const int BodyMaxLength = 10_000;
    public const int BrandMaxLength = 200;

    /// <summary>When the seeded defaults were written (a constant: seed data must not change between migrations).</summary>
    public static readonly DateTime SeededAt = new(2026, 12, 7, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>"en" or "zh": the customer's language (<see cref="Desk.Domain.Customers.Customer.Language"/>) this text is for.</summary>
    public string Language { get; private set; } = "en";
    public string Subject { get; private set; } = "";
    public string Body { get; private set; } = "";
    /// <summary>The brand the mail is signed with; null: signed by the person who sends it (their name and signature).</summary>
    public string? Brand { get; private set; }
    public DateTime UpdatedAt { get; private set; }
    /// <summary>The admin who last changed it; null for the seeded default.</summary>
    public string? UpdatedBy { get; private set; }

    /// <summary>The placeholders the desk fills in; anything else in braces is refused when saving.</summary>
    public static IReadOnlyList<string> Placeholders { get; } = ["CustomerName", "TicketNumber", "ComplaintSubject", "Signature"];

    /// <summary>Validates and keeps the words: both parts present and within their lengths, only known placeholders, and
    /// <c>{Signature}</c> in the body (a win-back mail says who it is from).</summary>
    public void Change(string subject, string body, string? brand, DateTime now, string? changedBy)
    {
        var s = (subject ?? "").Trim();
        var b = (body ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        var n = string.IsNullOrWhiteSpace(brand) ? null : brand.Trim();
        if (s.Length == 0) throw new DomainException("The subject is empty.");
        if (b.Length == 0) throw new DomainException("The text is empty.");
        if (s.Length > SubjectMaxLength) throw new DomainException("The subject is too long (at most {0} characters).", SubjectMaxLength);
        if (b.Length > BodyMaxLength) throw new DomainException("The text is too long (at most {0} characters).", BodyMaxLength);
        if (n is { Length: > BrandMaxLength }) throw new DomainException("The brand name is too long (at most {0} characters).", BrandMaxLength);
        foreach (Match m in Placeholder().Matches(s + "\n" + b))
            if (!Placeholders.Contains(m.Groups[1].Value))
                throw new DomainException("{0} is not a placeholder Desk knows; use {1}.", m.Value, string.Join(", ", Placeholders.Select(p => "{" + p + "}")));
        if (!b.Contains("{Signature}", StringComparison.Ordinal)) throw new DomainException("Put {0} in the text: the customer should see who writes to them.", "{Signature}");
        Subject = s;
        Body = b;
        Brand = n;
        UpdatedAt = now;
        UpdatedBy = changedBy;
    }

    /// <summary>The subject and body with every placeholder filled in.</summary>
    public (string Subject, string Body) Render(WinBackValues values) => (Fill(Subject, values), Fill(Body, values));

    private static string Fill(string text, WinBackValues v) => Placeholder().Replace(text, m => m.Groups[1].Value switch
    {
        "CustomerName" => v.CustomerName,
        "TicketNumber" => v.TicketNumber,
        "ComplaintSubject" => v.ComplaintSubject,
        "Signature" => v.Signature,
        _ => m.Value,
    });

    [GeneratedRegex(@"\{([A-Za-z]+)\}")]
    private static partial Regex Placeholder();

    /// <summary>
    /// The seeded words: an apology and an open door, no sales pitch — and no claim that anything was changed because of
    /// the complaint, which the desk cannot know (it records root causes, not the corrective actions taken on them).
    /// </summary>
    public static WinBackTemplate Default(string language) => language == "zh"
        ? new WinBackTemplate("zh", DefaultSubjectZh, DefaultBodyZh, null, SeededAt, null)
        : new WinBackTemplate("en", DefaultSubjectEn, DefaultBodyEn, null, SeededAt, null);

    internal const string DefaultSubjectEn = "We would like to see you again [{TicketNumber}]";

    internal const string DefaultBodyEn = """
        Dear {CustomerName},

        You wrote to us about "{ComplaintSubject}", and we are sorry again for the trouble it caused. You matter to us.

        If anything is still not right, simply reply to this mail and we will see to it personally. We would be glad to serve you again.

        {Signature}
        """;

    internal const string DefaultSubjectZh = "我们想念您 [{TicketNumber}]";

    internal const string DefaultBodyZh = """
        {CustomerName}，您好：

        之前您就“{ComplaintSubject}”联系过我们，给您带来了不便，我们再次表示歉意。我们很重视您。

        如果还有任何不满意的地方，请直接回复本邮件告诉我们——我们会亲自跟进。期待再次为您服务。

        {Signature}
        """;
}

/// <summary>What the placeholders stand for in one mail.</summary>
public sealed record WinBackValues(string CustomerName, string TicketNumber, string ComplaintSubject, string Signature);

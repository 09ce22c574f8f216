using System.Security.Cryptography;
using System.Text;

namespace Desk.Web.Features.Public;

/// <summary>
/// A customer's private link to one ticket. The token is shown to the customer once (and mailed later);
/// the desk keeps only its SHA-256 hash, so a leaked database does not open anyone's ticket.
/// </summary>
public sealed class StatusLink
{
    private StatusLink() { } // for EF Core

    public long Id { get; private set; }
    public long TicketId { get; private set; }
    /// <summary>Hex SHA-256 of the token.</summary>
    public string TokenHash { get; private set; } = "";
    public DateTime CreatedAt { get; private set; }
    public DateTime ExpiresAt { get; private set; }

    /// <summary>
    /// A new link with 256 random bits, URL-safe (or, for a form post that carried a submission token, the token derived
    /// from it: see <see cref="TokenForSubmission"/>); returns the token to show, never stored.
    /// </summary>
    public static (StatusLink Link, string Token) Create(long ticketId, DateTime now, TimeSpan lifetime, string? submission = null)
    {
        var token = submission is null ? NewToken() : TokenForSubmission(submission);
        return (new StatusLink { TicketId = ticketId, TokenHash = Hash(token), CreatedAt = now, ExpiresAt = now + lifetime }, token);
    }

    /// <summary>256 random bits, URL-safe: a status token, or the one-time submission token the complaint form carries.</summary>
    public static string NewToken() => Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// The status token of the ticket a complaint form's submission token opens: a keyed hash of it, so the form posted
    /// twice (a double click, a retry after a proxy's 502, two desks at once) names the same link, whose unique hash lets
    /// only one ticket have it; and only who holds the submission token (the customer's browser) can work it out.
    /// </summary>
    public static string TokenForSubmission(string submission) =>
        Base64UrlEncode(HMACSHA256.HashData(Encoding.UTF8.GetBytes(submission), "desk status link"u8));

    public bool IsValidAt(DateTime now) => now < ExpiresAt;

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Only tokens of the shape <see cref="Create"/> makes are looked up at all.</summary>
    public static bool LooksLikeToken(string? token) =>
        token is { Length: 43 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

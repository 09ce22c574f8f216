using System.Globalization;

namespace Desk.Domain.Tickets;

/// <summary>
/// Ticket numbers as customers see them: <c>D-</c> and the id, zero-padded to six digits
/// (<c>D-000123</c>, <c>D-1234567</c>). Derived from the id, so a number never changes.
/// </summary>
public static class TicketNumber
{
    public const string Prefix = "D-";

    public static string Format(long id) => Prefix + id.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>Reads "D-000123", "d-123" or "123"; false for anything else.</summary>
    public static bool TryParse(string? text, out long id)
    {
        id = 0;
        var s = text?.Trim();
        if (string.IsNullOrEmpty(s)) return false;
        if (s.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) s = s[Prefix.Length..];
        return s.Length is > 0 and <= 18 && s.All(char.IsAsciiDigit)
            && long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;
    }
}

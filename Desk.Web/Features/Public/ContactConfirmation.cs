namespace Desk.Web.Features.Public;

/// <summary>
/// The link that proves a web complaint filed under an address the desk already knew came from that address's owner:
/// mailed to the address only (never shown to whoever filled in the form), kept as its SHA-256 hash, used once.
/// </summary>
public sealed class ContactConfirmation
{
    private ContactConfirmation() { } // for EF Core

    public long Id { get; private set; }
    public long TicketId { get; private set; }
    /// <summary>Hex SHA-256 of the token.</summary>
    public string TokenHash { get; private set; } = "";
    public DateTime CreatedAt { get; private set; }
    public DateTime ExpiresAt { get; private set; }

    /// <summary>A new confirmation with 256 random bits; returns the token to mail, never stored.</summary>
    public static (ContactConfirmation Confirmation, string Token) Create(long ticketId, DateTime now, TimeSpan lifetime)
    {
        var token = StatusLink.NewToken();
        return (new ContactConfirmation { TicketId = ticketId, TokenHash = StatusLink.Hash(token), CreatedAt = now, ExpiresAt = now + lifetime }, token);
    }

    public bool IsValidAt(DateTime now) => now < ExpiresAt;
}

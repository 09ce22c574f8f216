using System.Security.Cryptography;
using System.Text;
using Desk.Domain;

namespace Desk.Web.Features.Api;

/// <summary>
/// A key a program (the shop) sends to use the desk's API. The key itself is shown once, when it is created; the desk
/// keeps only its SHA-256 (the key is 256 random bits, so a plain hash cannot be searched back) and its first
/// characters, so that admins can tell keys apart. A revoked key stays listed, with who revoked it and when.
/// </summary>
public sealed class ApiKey
{
    public const string SecretPrefix = "desk_";
    public const int ShownPrefixLength = 12; // "desk_" and 7 characters of the random part

    private ApiKey() { } // for EF Core

    public long Id { get; private set; }
    /// <summary>What the key is for ("shop export"), so that an admin knows what stops working when it is revoked.</summary>
    public string Name { get; private set; } = "";
    public string Prefix { get; private set; } = "";
    /// <summary>Lower-case hex SHA-256 of the whole key.</summary>
    public string Hash { get; private set; } = "";
    public DateTime CreatedAt { get; private set; }
    public string CreatedBy { get; private set; } = "";
    public DateTime? RevokedAt { get; private set; }
    public string? RevokedBy { get; private set; }
    /// <summary>When the key was last used, to the hour: written at most once an hour, not on every call.</summary>
    public DateTime? LastUsedAt { get; private set; }

    public bool IsActive => RevokedAt is null;

    /// <summary>A new key and its secret, which the caller shows once and never stores.</summary>
    public static (ApiKey Key, string Secret) Create(string? name, string createdBy, DateTime now)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new DomainException("An API key needs a name that says what it is for.");
        if (name.Trim().Length > 100) throw new DomainException("The name is too long (at most 100 characters).");
        var secret = SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var key = new ApiKey
        {
            Name = name.Trim(), Prefix = secret[..ShownPrefixLength], Hash = HashOf(secret), CreatedAt = now, CreatedBy = createdBy,
        };
        return (key, secret);
    }

    public static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public void Revoke(string by, DateTime now)
    {
        if (!IsActive) return; // revoking twice changes nothing
        RevokedAt = now;
        RevokedBy = by;
    }

    /// <summary>Notes a use; true when that changed the stored time (at most once an hour).</summary>
    public bool Used(DateTime now)
    {
        if (LastUsedAt is { } last && now - last < TimeSpan.FromHours(1)) return false;
        LastUsedAt = now;
        return true;
    }
}

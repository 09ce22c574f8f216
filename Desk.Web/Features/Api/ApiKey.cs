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

    /// <summary>
    /// What the key may do (<see cref="ApiScopes"/>), space-separated, in <see cref="ApiScopes.All"/>'s order. Fixed when
    /// the key is created: a program that needs more gets a new key, so a leaked key never grows.
    /// </summary>
    public string Scopes { get; private set; } = "";

    public bool IsActive => RevokedAt is null;

    public IReadOnlyList<string> ScopeList => Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A new key and its secret, which the caller shows once and never stores.</summary>
    public static (ApiKey Key, string Secret) Create(string? name, IEnumerable<string>? scopes, string createdBy, DateTime now)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new DomainException("An API key needs a name that says what it is for.");
        if (name.Trim().Length > 100) throw new DomainException("The name is too long (at most 100 characters).");
        var chosen = (scopes ?? []).SelectMany(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Distinct(StringComparer.Ordinal).ToList();
        if (chosen.FirstOrDefault(s => !ApiScopes.All.Contains(s)) is { } unknown)
            throw new DomainException("There is no scope {0}.", unknown);
        if (chosen.Count == 0) throw new DomainException("Choose at least one thing the key may do.");
        var secret = SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var key = new ApiKey
        {
            Name = name.Trim(), Scopes = string.Join(' ', ApiScopes.All.Where(chosen.Contains)), Prefix = secret[..ShownPrefixLength], Hash = HashOf(secret), CreatedAt = now, CreatedBy = createdBy,
        };
        return (key, secret);
    }

    public bool Allows(string scope) => ScopeList.Contains(scope);

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

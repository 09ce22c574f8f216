using System.Security.Cryptography;
using System.Text;

namespace Desk.Web.Features.Webhooks;

/// <summary>
/// The <c>Desk-Signature</c> header, as Stripe and GitHub sign theirs: <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256&gt;</c>
/// over <c>"&lt;t&gt;.&lt;body&gt;"</c> with the hook's secret (its UTF-8 bytes, <c>whsec_</c> included) as the key. The
/// time inside the signed text lets a receiver refuse an old delivery replayed to it.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "Desk-Signature";

    public static string Sign(string secret, long unixSeconds, string body) =>
        $"t={unixSeconds},v1={Hex(secret, unixSeconds, body)}";

    /// <summary>Whether <paramref name="header"/> signs <paramref name="body"/> with <paramref name="secret"/> (the receiver's check; used by tests).</summary>
    public static bool Verify(string secret, string header, string body, out long unixSeconds)
    {
        unixSeconds = 0;
        string? t = null, v1 = null;
        foreach (var part in header.Split(','))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0) continue;
            var (key, value) = (part[..eq].Trim(), part[(eq + 1)..].Trim());
            if (key == "t") t = value;
            else if (key == "v1") v1 = value;
        }
        if (t is null || v1 is null || !long.TryParse(t, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out unixSeconds)) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hex(secret, unixSeconds, body)), Encoding.ASCII.GetBytes(v1.ToLowerInvariant()));
    }

    private static string Hex(string secret, long unixSeconds, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret),
            Encoding.UTF8.GetBytes(unixSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + "." + body)));
}

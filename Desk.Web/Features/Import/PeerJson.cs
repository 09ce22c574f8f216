using System.Globalization;
using System.Text.Json;
using Desk.Web.Email.Intake;

namespace Desk.Web.Features.Import;

/// <summary>Lenient reading of the peers' JSON: ids and numbers as strings or numbers, times in ISO 8601 or MySQL's form.</summary>
internal static class PeerJson
{
    public static async Task<JsonDocument> ParseAsync(Stream file, string peer, CancellationToken ct)
    {
        try
        {
            return await JsonDocument.ParseAsync(file, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 128 }, ct);
        }
        catch (JsonException)
        {
            throw new PeerExportException($"This is not a {peer} export Desk can read: the file is not JSON.");
        }
    }

    /// <summary>The property as text (a string, a number or a boolean as written); null when absent, null or empty.</summary>
    public static string? Text(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? AsText(v) : null;

    public static string? AsText(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString() is { Length: > 0 } s ? s : null,
        JsonValueKind.Number => v.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    public static JsonElement? Child(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    /// <summary>The items of an array property; none when absent or not an array.</summary>
    public static IEnumerable<JsonElement> Items(this JsonElement e, string name) =>
        e.Child(name) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];

    public static bool Flag(this JsonElement e, string name) =>
        e.Text(name) is { } s && (s.Equals("true", StringComparison.OrdinalIgnoreCase) || s == "1");

    /// <summary>A time as UTC: ISO 8601 with or without an offset (none: UTC), or MySQL's "2026-03-02 10:15:00" (UTC).</summary>
    public static DateTime? Time(this JsonElement e, string name) =>
        e.Text(name) is { } s && DateTime.TryParse(s, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at) && at.Year > 1970
            ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : null;

    /// <summary>HTML as readable plain text; plain text as it is.</summary>
    public static string PlainText(string? body, bool html) =>
        string.IsNullOrWhiteSpace(body) ? "" : (html ? HtmlText.ToPlainText(body) : body).Trim();

    /// <summary>An attachment's bytes from base64, a data: URL, or MySQL's 0x… hex; null when not given or unreadable.</summary>
    public static byte[]? Bytes(string? data)
    {
        if (string.IsNullOrEmpty(data)) return null;
        try
        {
            if (data.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
                return data.IndexOf(";base64,", StringComparison.OrdinalIgnoreCase) is var i and > 0 ? Convert.FromBase64String(data[(i + 8)..]) : null;
            if (data.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) return Convert.FromHexString(data.AsSpan(2));
            return Convert.FromBase64String(data);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>"Ann Lee &lt;ann@example.org&gt;" → ("Ann Lee", "ann@example.org"); a bare address → (null, address).</summary>
    public static (string? Name, string? Email) Address(string? from)
    {
        if (string.IsNullOrWhiteSpace(from)) return (null, null);
        var open = from.LastIndexOf('<');
        var close = from.LastIndexOf('>');
        if (open >= 0 && close > open)
            return (from[..open].Trim().Trim('"') is { Length: > 0 } n ? n : null, from[(open + 1)..close].Trim());
        return from.Contains('@') ? (null, from.Trim()) : (from.Trim(), null);
    }

    public static string? Join(params string?[] parts) =>
        string.Join(" ", parts.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p!.Trim())) is { Length: > 0 } s ? s : null;
}

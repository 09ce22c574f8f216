using System.Text;

namespace Desk.Web.Features.Attachments;

/// <summary>
/// A file a customer sent with a message, or an agent with a reply or a note. Kept in the database, in the same transaction as the message,
/// and served as a download with the type the desk decided, not the sender's; only a checked raster picture (PNG, JPEG, GIF,
/// WebP) is also shown inline, as a thumbnail (see <see cref="AttachmentUploads.Picture"/>).
/// </summary>
public sealed class Attachment
{
    private Attachment() { } // for EF Core

    public Attachment(long ticketId, long conversationEntryId, string fileName, string contentType, byte[] content, DateTime now, string? contentId = null)
    {
        ContentId = contentId is { Length: > 0 and <= 300 } ? contentId : null;
        TicketId = ticketId;
        ConversationEntryId = conversationEntryId;
        FileName = fileName;
        ContentType = contentType;
        Content = content;
        Size = content.Length;
        AddedAt = now;
    }

    /// <summary>A file an agent sent with a reply or a note not saved yet: linked by the entry, whose id the save gives it.</summary>
    public Attachment(long ticketId, Desk.Domain.Tickets.ConversationEntry entry, UploadedFile file, DateTime now)
        : this(ticketId, 0, file.FileName, file.ContentType, file.Content, now)
    {
        Entry = entry;
    }

    public long Id { get; private set; }
    public long TicketId { get; private set; }
    public long ConversationEntryId { get; private set; }
    public Desk.Domain.Tickets.ConversationEntry? Entry { get; private set; }
    public string FileName { get; private set; } = "";
    public string ContentType { get; private set; } = "";
    public long Size { get; private set; }
    public byte[] Content { get; private set; } = [];
    public DateTime AddedAt { get; private set; }
    /// <summary>For a picture inside a mail's HTML (cid:…), the Content-ID it is referred to by; null otherwise.</summary>
    public string? ContentId { get; private set; }
}

/// <summary>What a customer may attach, and the checks a file must pass to be kept.</summary>
public static class AttachmentRules
{
    public const int MaxFiles = 5;
    public const long MaxBytes = 10 * 1024 * 1024;

    // Extension → stored type, and the first bytes the file must start with (null: text, checked for binary bytes).
    private static readonly Dictionary<string, (string Type, byte[]? Magic)> Allowed = new(StringComparer.OrdinalIgnoreCase)
    {
        [".png"] = ("image/png", [0x89, 0x50, 0x4E, 0x47]),
        [".jpg"] = ("image/jpeg", [0xFF, 0xD8, 0xFF]),
        [".jpeg"] = ("image/jpeg", [0xFF, 0xD8, 0xFF]),
        [".gif"] = ("image/gif", "GIF8"u8.ToArray()),
        [".webp"] = ("image/webp", "RIFF"u8.ToArray()),
        [".pdf"] = ("application/pdf", "%PDF"u8.ToArray()),
        [".txt"] = ("text/plain", null),
    };

    public static string Accept => string.Join(",", Allowed.Keys);

    /// <summary>Whether a stored type is one of the raster pictures shown inline (never SVG).</summary>
    public static bool IsPictureType(string contentType) => contentType is "image/png" or "image/jpeg" or "image/gif" or "image/webp";

    /// <summary>A raster picture whose bytes start as its type's do (WebP: RIFF….WEBP): safe to show inline.</summary>
    public static bool IsShownPicture(string contentType, ReadOnlySpan<byte> content) => contentType switch
    {
        "image/png" => content.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
        "image/jpeg" => content.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]),
        "image/gif" => content.StartsWith("GIF87a"u8) || content.StartsWith("GIF89a"u8),
        "image/webp" => content.Length >= 12 && content.StartsWith("RIFF"u8) && content[8..12].SequenceEqual("WEBP"u8),
        _ => false,
    };

    /// <summary>The stored type, or why the file is refused (in words for the customer).</summary>
    public static (string? Type, string? Refusal) Check(string fileName, ReadOnlySpan<byte> content)
    {
        var extension = Path.GetExtension(fileName);
        if (!Allowed.TryGetValue(extension, out var rule))
            return (null, $"\"{fileName}\": only pictures (PNG, JPEG, GIF, WebP), PDF and text files can be attached.");
        if (content.Length == 0) return (null, $"\"{fileName}\" is empty.");
        if (content.Length > MaxBytes) return (null, $"\"{fileName}\" is larger than {MaxBytes / 1024 / 1024} MB.");
        var matches = rule.Magic is { } magic ? content.StartsWith(magic) : !content.Contains((byte)0);
        return matches ? (rule.Type, null) : (null, $"\"{fileName}\" is not really a {extension.TrimStart('.').ToUpperInvariant()} file.");
    }

    /// <summary>The name without folders, control characters, bidi controls or quotes, at most 150 characters; never empty.</summary>
    public static string SafeName(string? fileName)
    {
        var name = Path.GetFileName((fileName ?? "").Replace('\\', '/'));
        var clean = new StringBuilder();
        foreach (var c in name) if (!char.IsControl(c) && !IsBidiControl(c) && c is not ('"' or '/' or '\\')) clean.Append(c);
        var result = clean.ToString().Trim();
        if (result.Length > 150) result = result[..100] + "…" + result[^40..];
        return result.Length == 0 ? "attachment" : result;
    }

    /// <summary>
    /// The name as shown and downloaded: without bidi controls, also for files kept before intake removed them.
    /// "rlo\u202Egnp.txt" would show as "rlotxt.png", a text file passing for a picture.
    /// </summary>
    public static string ShownName(string fileName) => fileName.Any(IsBidiControl) ? string.Concat(fileName.Where(c => !IsBidiControl(c))) : fileName;

    /// <summary>The characters that reorder text: marks (U+200E/F, U+061C), embeddings and overrides (U+202A–202E), isolates (U+2066–2069).</summary>
    public static bool IsBidiControl(char c) => c is '\u200E' or '\u200F' or '\u061C' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}

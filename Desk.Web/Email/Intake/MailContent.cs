using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using AngleSharp;
using AngleSharp.Dom;
using Ganss.Xss;
using MimeKit;

namespace Desk.Web.Email.Intake;

/// <summary>A file that came with a mail: its name as the sender gave it (plain data, never markup), its bytes after the
/// transfer encoding is undone, and its Content-ID when the HTML body shows it inline.</summary>
/// <param name="Inline">True when the mail's HTML body shows this part by its Content-ID (an embedded picture).</param>
/// <param name="ContentId">The part's Content-ID; for a picture the HTML shows by Content-Location and that has none, one
/// made up for it (<c>location-N@desk.invalid</c>), which the stored HTML's <c>cid:</c> URL names.</param>
public sealed record MailAttachment(string FileName, string ContentType, byte[] Content, string? ContentId, bool Inline);

/// <summary>What the desk keeps of a mail's content.</summary>
/// <param name="Text">The message's text for display and search: text/plain preferred; from the HTML when there is no
/// text part, converted to readable plain text (paragraphs, line breaks and list items kept, no tags, entities decoded).</param>
/// <param name="Html">The HTML body sanitised (null when the mail has no HTML); pictures sent with the mail keep their
/// <c>cid:</c> URLs (those shown by Content-Location are given one) until <see cref="MailContent.ResolveInlineImages"/>
/// points them at the desk.</param>
/// <param name="Notes">English sentences for the agent about anything not kept as sent.</param>
public sealed record MailBody(string Text, string? Html, IReadOnlyList<MailAttachment> Attachments, IReadOnlyList<string> Notes);

/// <summary>The bytes are not a mail at all; the message says why in plain English.</summary>
public sealed class MailParseException(string reason) : Exception(reason);

/// <summary>
/// Turns a raw incoming mail into what the desk stores and shows: the text, safe HTML and the attachments.
/// </summary>
/// <remarks>
/// Which parts are the body and which are attachments follows the JMAP rules (RFC 8621 §4.1.4), the rules Stalwart and
/// Fastmail use: text/plain is preferred over text/html inside multipart/alternative, only the first part of a
/// multipart/related is body, and a text part with a file name after the first part is an attachment. Unlike JMAP, every
/// picture is also an attachment, so the desk can serve the ones the HTML shows by <c>cid:</c>.
/// Apart from <see cref="Parse"/> refusing bytes that are not a mail, nothing here throws on odd input: a part that
/// cannot be read becomes a note and stays in the original mail the desk keeps.
/// </remarks>
public static partial class MailContent
{
    private static int _encodingsRegistered;

    /// <summary>Registers CodePagesEncodingProvider once: GB2312, GBK, GB18030, Big5, ISO-2022-JP, Shift_JIS, … live in
    /// the shared framework but are not available to <see cref="Encoding.GetEncoding(string)"/> until registered.</summary>
    public static void RegisterEncodings()
    {
        if (Interlocked.Exchange(ref _encodingsRegistered, 1) == 0)
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    /// <summary>
    /// Parses raw bytes as a mail. Bare-CR line endings (old Mac clients) are turned into LF first.
    /// </summary>
    /// <exception cref="MailParseException">The bytes are not a mail at all: empty, binary, or without mail headers.</exception>
    public static MimeMessage Parse(byte[] raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        RegisterEncodings();
        if (raw.Length == 0)
            throw new MailParseException("The file is empty.");
        if (raw.AsSpan().IndexOfAnyExcept(" \t\r\n"u8) < 0)
            throw new MailParseException("The file holds only blank lines, no mail headers.");
        if (raw.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]))
            throw new MailParseException("The file is an Outlook item (.msg), not an Internet mail; it can be opened in Outlook.");
        if (BinaryReason(raw) is { } binary)
            throw new MailParseException(binary);

        var repairs = new List<string>();
        var bytes = HeaderRepair.HeaderBlock(NormaliseBareCarriageReturns(raw), repairs);
        var message = Load(ParserOptions.Default, bytes);
        if (RawHeaderCharset(message) is { } charset)
        {
            // Raw 8-bit Chinese or Japanese in some header (a file name, a forwarded mail's subject): read again with
            // that charset as MimeKit's fallback for 8-bit header bytes, so every header and file name reads right.
            var options = ParserOptions.Default.Clone();
            options.CharsetEncoding = charset;
            message = Load(options, bytes);
        }

        // MimeKit moves the Content-* headers of the top level onto the body, so both count.
        var headers = message.Headers.Concat(message.Body?.Headers ?? []).ToList();
        if (headers.Count == 0)
            throw new MailParseException("The file does not start with mail headers (From, To, Subject, …).");
        if (!headers.Any(h => MailHeaders.Contains(h.Field)))
            throw new MailParseException("The file has none of the headers every mail has (From, To, Date, Subject, Message-ID, Received, MIME-Version, Content-Type).");
        ReadRawHeaders(message);
        HeaderRepair.From(message, repairs);
        if (repairs.Count > 0)
            Repairs.AddOrUpdate(message, repairs);
        return message;
    }

    /// <summary>What <see cref="Parse"/> repaired in a message, for <see cref="Extract"/>'s notes (the note reaches the
    /// ticket). Weak: an entry lives as long as its message.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<MimeMessage, List<string>> Repairs = new();

    /// <summary>Takes the text, safe HTML and attachments out of a parsed mail. Never throws on odd content.</summary>
    /// <param name="maxAttachmentBytes">An attachment larger than this is left out with a note (the original mail keeps it).</param>
    public static MailBody Extract(MimeMessage message, long maxAttachmentBytes = 25 * 1024 * 1024)
    {
        ArgumentNullException.ThrowIfNull(message);
        RegisterEncodings();
        return new Extraction(maxAttachmentBytes).Run(message);
    }

    /// <summary>
    /// Points the <c>cid:</c> picture sources of sanitised HTML at the URLs the desk serves those attachments at.
    /// <paramref name="urlForContentId"/> gets the bare Content-ID (no angle brackets) and returns a relative or http(s)
    /// URL, or null when the mail has no such part: the picture is then replaced by its alt text, or removed.
    /// </summary>
    public static string ResolveInlineImages(string safeHtml, Func<string, string?> urlForContentId)
    {
        ArgumentNullException.ThrowIfNull(safeHtml);
        ArgumentNullException.ThrowIfNull(urlForContentId);
        if (!safeHtml.Contains("cid:", StringComparison.OrdinalIgnoreCase))
            return safeHtml;

        var document = Sanitizer.Parse(safeHtml);
        foreach (var image in document.Body!.QuerySelectorAll("img").ToList())
        {
            if (Sanitizer.ContentIdOf(image.GetAttribute("src")) is not { } contentId)
                continue;
            var url = urlForContentId(contentId);
            if (url is not null && Uri.TryCreate(url, UriKind.RelativeOrAbsolute, out var uri)
                && (!uri.IsAbsoluteUri || uri.Scheme is "http" or "https"))
                image.SetAttribute("src", url);
            else
                Sanitizer.ReplaceByAltText(image);
        }
        return document.Body.ChildNodes.ToHtml(HtmlFormatter.Instance);
    }

    /// <summary>
    /// Makes customer HTML safe to show inside a desk page: no scripts, event handlers, forms, frames, objects,
    /// style sheets or positioning; links only to http(s) and mailto (opened in a new tab, no referrer); pictures only
    /// from the mail itself (<c>cid:</c>), because a remote picture is a tracking pixel that tells the sender an agent
    /// opened the mail; a dropped picture leaves its alt text.
    /// </summary>
    public static string SanitizeHtml(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        return Sanitizer.Sanitize(html);
    }

    // ---- Parse helpers ---------------------------------------------------------------------------------------

    internal static readonly HashSet<string> MailHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "From", "Sender", "Reply-To", "To", "Cc", "Bcc", "Subject", "Date", "Message-ID", "In-Reply-To", "References",
        "Received", "Return-Path", "Delivered-To", "MIME-Version", "Content-Type", "Content-Transfer-Encoding",
    };

    /// <summary>Why the bytes are binary junk rather than a mail, or null. Only the header block is judged: mail headers
    /// are text, while a body may legitimately be 8-bit. ESC is allowed (raw ISO-2022-JP headers use it).</summary>
    private static string? BinaryReason(byte[] raw)
    {
        var head = raw.AsSpan(0, Math.Min(raw.Length, 4096));
        // The first blank line, LF or CRLF: a CRLF mail whose body has a bare "\n\n" further on must not have its
        // body judged as headers (text with NUL characters in it was refused as binary that way).
        var lf = head.IndexOf("\n\n"u8);
        var crlf = head.IndexOf("\r\n\r\n"u8);
        var end = lf < 0 ? crlf : crlf < 0 ? lf : Math.Min(lf, crlf);
        if (end >= 0) head = head[..end];
        var control = 0;
        foreach (var b in head)
        {
            if (b == 0)
                return "The file is binary data, not a mail: its first lines hold NUL bytes.";
            if (b < 0x20 && b is not (byte)'\t' and not (byte)'\r' and not (byte)'\n' and not 0x1B and not 0x0C)
                control++;
        }
        return control > 0 && control * 50 > head.Length
            ? "The file is binary data, not a mail: its first lines hold control characters that never appear in mail headers."
            : null;
    }

    /// <summary>
    /// The subject as one line. MimeKit's <see cref="MimeMessage.Subject"/> deletes the CR LF an encoded word may carry
    /// ("Refund request=0D=0ABcc: …" reads "Refund requestBcc: …"); decoded here from the raw header, they become a
    /// space with every other control character (<see cref="Desk.Domain.OneLine"/>). Raw 8-bit subjects were read
    /// again already (<see cref="ReadRawHeaders"/>) and are taken as they are.
    /// </summary>
    public static string SubjectOf(MimeMessage message)
    {
        var header = message.Headers.FirstOrDefault(h => h.Id == HeaderId.Subject);
        if (header?.RawValue is not { Length: > 0 } raw || !System.Text.Ascii.IsValid(raw))
            return Desk.Domain.OneLine.Of(message.Subject ?? "");
        return Desk.Domain.OneLine.Of(MimeKit.Utils.Rfc2047.DecodeText(raw));
    }

    private static MimeMessage Load(ParserOptions options, byte[] bytes)
    {
        try
        {
            return MimeMessage.Load(options, new MemoryStream(bytes, writable: false));
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or IOException or OverflowException)
        {
            throw new MailParseException($"The file could not be read as a mail: {e.Message}");
        }
    }

    /// <summary>
    /// The double-byte charset (GB18030, Shift_JIS, Big5) that the raw 8-bit bytes of all the mail's headers point to
    /// together — its own, its parts' (file names) and those of the mails forwarded inside it — or null when there are
    /// none or they read as Windows-1252. MimeKit reads such bytes as UTF-8, else Latin-1.
    /// </summary>
    private static Encoding? RawHeaderCharset(MimeMessage message)
    {
        var raw = new List<byte>();
        void Collect(HeaderList headers)
        {
            foreach (var header in headers)
                if (header.RawValue is { Length: > 0 } value && !System.Text.Ascii.IsValid(value) && !Utf8.IsValid(value))
                    raw.AddRange(value.Append((byte)'\n'));
        }
        void Visit(MimeEntity? entity, int depth)
        {
            if (entity is null || depth > 20) return;
            Collect(entity.Headers);
            if (entity is Multipart multipart)
                foreach (var child in multipart) Visit(child, depth + 1);
            else if (entity is MessagePart { Message: { } inner })
            {
                Collect(inner.Headers);
                Visit(inner.Body, depth + 1);
            }
        }
        Collect(message.Headers);
        Visit(message.Body, 0);
        if (raw.Count == 0)
            return null;
        var guess = Charsets.Guess(raw.ToArray());
        return Charsets.IsDoubleByte(guess) ? guess : null;
    }

    /// <summary>
    /// A header's text read from its raw bytes, whole, in the charset they point to when they are 8-bit and not UTF-8
    /// (MimeKit reads such bytes in pieces, and as Latin-1); otherwise MimeKit's decoding. One line, folded.
    /// </summary>
    internal static string HeaderText(Header header)
    {
        if (header.RawValue is not { Length: > 0 } raw || System.Text.Ascii.IsValid(raw) || Utf8.IsValid(raw))
            return Desk.Domain.OneLine.Of(header.Value ?? "");
        return Desk.Domain.OneLine.Of(Charsets.Guess(raw).GetString(raw));
    }

    /// <summary>The headers some Chinese clients write in raw 8-bit bytes instead of encoded words.</summary>
    private static readonly HeaderId[] RawTextHeaders =
        [HeaderId.Subject, HeaderId.From, HeaderId.Sender, HeaderId.ReplyTo, HeaderId.To, HeaderId.Cc, HeaderId.Bcc];

    /// <summary>
    /// Some Chinese clients put the subject and the display names in raw GBK bytes instead of encoded words. MimeKit
    /// reads raw 8-bit headers as UTF-8, else as Latin-1, which turns GBK into mojibake; and it decodes a raw display
    /// name in pieces split at ASCII bytes, which GBK uses as second bytes (镕 is E9 46, "F"), so even a right charset
    /// would not mend the names. Such headers are read again from their raw bytes, whole, in the one charset the
    /// mail's raw header bytes point to together (GB18030, Big5, else Windows-1252), the way text parts are: a name
    /// alone is often too short to tell.
    /// </summary>
    private static void ReadRawHeaders(MimeMessage message)
    {
        var raw = message.Headers
            .Where(h => RawTextHeaders.Contains(h.Id) && h.RawValue is { Length: > 0 } value && !System.Text.Ascii.IsValid(value) && !Utf8.IsValid(value))
            .GroupBy(h => h.Id).Select(g => g.First()).ToList();
        if (raw.Count == 0)
            return;
        var encoding = Charsets.Guess(raw.SelectMany(h => h.RawValue.Append((byte)'\n')).ToArray());
        foreach (var header in raw)
        {
            var text = Regex.Replace(encoding.GetString(header.RawValue), @"\r?\n[ \t]", " ", RegexOptions.None, TimeSpan.FromSeconds(1)).Trim();
            if (header.Id == HeaderId.Subject)
            {
                message.Subject = text;
                continue;
            }
            if (!InternetAddressList.TryParse(text, out var addresses))
                continue; // MimeKit's reading stays: right addresses, garbled names
            var list = header.Id switch
            {
                HeaderId.From => message.From,
                HeaderId.ReplyTo => message.ReplyTo,
                HeaderId.To => message.To,
                HeaderId.Cc => message.Cc,
                HeaderId.Bcc => message.Bcc,
                _ => null,
            };
            if (list is null)
            {
                if (addresses.Mailboxes.FirstOrDefault() is { } sender) message.Sender = sender;
                continue;
            }
            list.Clear();
            list.AddRange(addresses);
        }
    }

    /// <summary>Old Mac mail ends lines with CR alone, which MIME parsers do not see as line ends. When bare CRs
    /// outnumber LFs, every bare CR becomes LF (CRLF pairs are kept).</summary>
    private static byte[] NormaliseBareCarriageReturns(byte[] raw)
    {
        int bare = 0, lineFeeds = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '\n') lineFeeds++;
            else if (raw[i] == '\r' && (i + 1 == raw.Length || raw[i + 1] != '\n')) bare++;
        }
        if (bare <= lineFeeds)
            return raw;
        var copy = (byte[])raw.Clone();
        for (var i = 0; i < copy.Length; i++)
            if (copy[i] == '\r' && (i + 1 == copy.Length || copy[i + 1] != '\n'))
                copy[i] = (byte)'\n';
        return copy;
    }

    // ---- Small helpers -------------------------------------------------------------------------------------------

    private static bool IsInlineMediaType(string type) =>
        type.StartsWith("image/", StringComparison.Ordinal) || type.StartsWith("audio/", StringComparison.Ordinal) || type.StartsWith("video/", StringComparison.Ordinal);

    private static bool IsPicture(MimePart part) => part.ContentType.MediaType.Equals("image", StringComparison.OrdinalIgnoreCase);

    private static bool IsAttachmentDisposition(MimeEntity part) =>
        part.ContentDisposition?.Disposition?.Equals(ContentDisposition.Attachment, StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>MimeKit's file name (Content-Disposition filename, else Content-Type name; RFC 2231 and encoded words
    /// decoded), with control characters and surrounding blanks removed. Null when there is none.</summary>
    private static string? FileNameOf(MimeEntity entity)
    {
        string? name;
        try
        {
            name = entity is MimePart part ? part.FileName : entity.ContentDisposition?.FileName ?? entity.ContentType.Name;
        }
        catch (Exception)
        {
            return null;
        }
        return CleanFileName(name);
    }

    internal static string? CleanFileName(string? name)
    {
        if (name is null) return null;
        var clean = new string(name.Where(c => !char.IsControl(c)).ToArray()).Trim();
        return clean.Length == 0 ? null : Truncate(clean, 255);
    }

    private static string Truncate(string s, int length) => s.Length <= length ? s : s[..length];

    private static string? ContentIdOf(MimeEntity entity) => string.IsNullOrWhiteSpace(entity.ContentId) ? null : entity.ContentId.Trim();

    private static string ExtensionFor(string mimeType) => mimeType switch
    {
        "message/rfc822" or "message/global" => ".eml",
        "text/plain" => ".txt",
        "application/octet-stream" => ".bin",
        _ => MimeTypes.TryGetExtension(mimeType, out var extension) ? extension : "",
    };

    private static string Size(long bytes) => bytes switch
    {
        >= 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024.0:0.#} MB"),
        >= 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };

    [GeneratedRegex(@"^begin [0-7]{3,4} (?<name>[^\r\n]+)\r?\n(?<body>(?:[^\r\n]*\r?\n){1,}?)end[ \t]*(?:\r?\n|$)", RegexOptions.Multiline, matchTimeoutMilliseconds: 2000)]
    private static partial Regex UuencodedBlock();

    /// <summary>A line that is exactly "-- " (the signature delimiter), with its line break.</summary>
    [GeneratedRegex(@"(?:^|\r?\n)-- \r?(?:\n|$)", RegexOptions.None, matchTimeoutMilliseconds: 2000)]
    private static partial Regex SignatureDelimiterLine();
}

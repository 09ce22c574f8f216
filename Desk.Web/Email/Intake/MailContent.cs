using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Ganss.Xss;
using MimeKit;
using MimeKit.Encodings;
using MimeKit.Text;
using MimeKit.Tnef;

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

        MimeMessage message;
        try
        {
            message = MimeMessage.Load(ParserOptions.Default, new MemoryStream(NormaliseBareCarriageReturns(raw), writable: false));
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or IOException or OverflowException)
        {
            throw new MailParseException($"The file could not be read as a mail: {e.Message}");
        }

        // MimeKit moves the Content-* headers of the top level onto the body, so both count.
        var headers = message.Headers.Concat(message.Body?.Headers ?? []).ToList();
        if (headers.Count == 0)
            throw new MailParseException("The file does not start with mail headers (From, To, Subject, …).");
        if (!headers.Any(h => MailHeaders.Contains(h.Field)))
            throw new MailParseException("The file has none of the headers every mail has (From, To, Date, Subject, Message-ID, Received, MIME-Version, Content-Type).");
        ReadRawHeaders(message);
        return message;
    }

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

    private static readonly HashSet<string> MailHeaders = new(StringComparer.OrdinalIgnoreCase)
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

    // ---- Extraction ------------------------------------------------------------------------------------------

    /// <summary>One run of <see cref="Extract"/>: the JMAP walk, then text, HTML and attachments from its three lists.</summary>
    private sealed class Extraction(long maxAttachmentBytes)
    {
        private readonly List<MimeEntity> _textBody = [];
        private readonly List<MimeEntity> _htmlBody = [];
        private readonly List<MimeEntity> _attachments = [];
        private readonly List<MailAttachment> _files = [];
        private readonly List<string> _notes = [];
        private readonly List<string> _extraText = [];
        private readonly Dictionary<TextPart, string?> _texts = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<MimeEntity, string> _locationIds = new(ReferenceEqualityComparer.Instance);
        private MimeMessage? _message;

        public MailBody Run(MimeMessage message)
        {
            _message = message;
            try
            {
                if (message.Body is { } body)
                    Walk([body], "mixed", false, _htmlBody, _textBody, _attachments);
            }
            catch (Exception e)
            {
                _notes.Add($"The mail's structure could not be read ({e.Message}); it is kept only in the original.");
            }

            var text = new List<string>();
            var html = new List<string>();
            var hasHtml = false;
            try
            {
                UnpackTnef();
            }
            catch (Exception e)
            {
                _notes.Add($"An Outlook winmail.dat could not be unpacked ({e.Message}); it is kept only in the original.");
            }

            // Each part on its own: one that cannot be read or converted becomes a note, the others still show.
            // Empty parts (a client's blank text alternative, broken structure) add nothing.
            foreach (var part in _textBody.OfType<TextPart>())
                if (Convert(part, content => part.IsHtml ? HtmlText.ToPlainText(content) : content) is { } converted && !string.IsNullOrWhiteSpace(converted))
                    text.Add(converted);
            foreach (var entity in _htmlBody)
            {
                if (entity is TextPart { IsHtml: true } htmlPart)
                {
                    var tooDeep = false;
                    var locations = PicturesByLocation(htmlPart);
                    if (Convert(htmlPart, content => Sanitizer.Sanitize(content, out tooDeep, locations)) is not { Length: > 0 } safe)
                        continue;
                    if (tooDeep)
                        _notes.Add($"The HTML body nests more than {HtmlNesting.MaxDepth.ToString("N0", CultureInfo.InvariantCulture)} levels deep (far beyond any real mail), so it is shown as plain text; the original mail is kept.");
                    html.Add(safe);
                    hasHtml = true;
                }
                else if (entity is TextPart plain && Convert(plain, content => string.IsNullOrWhiteSpace(content) ? "" : Sanitizer.FromPlainText(content)) is { Length: > 0 } plainHtml)
                    html.Add(plainHtml);
                else if (entity is MimePart { ContentId: { Length: > 0 } id } picture && IsPicture(picture))
                    html.Add($"<img src=\"cid:{WebUtility.HtmlEncode(Uri.EscapeDataString(id))}\" alt=\"{WebUtility.HtmlEncode(picture.FileName ?? "")}\">");
            }

            // Pictures placed between body parts (Apple Mail) are attachments too, so the desk can serve them.
            var files = _attachments.Concat(_textBody.Concat(_htmlBody).Where(e => e is not TextPart)).Distinct();
            foreach (var entity in files.ToList())
                AddAttachment(entity);

            text.AddRange(_extraText);
            var plainText = Tidy(string.Join("\n", text.Select(TakeUuencodedFiles).ToList()));
            _files.AddRange(_uuencoded);
            var safeHtml = hasHtml ? string.Join("\n", html) : null;
            if (plainText.Length == 0 && safeHtml is not null)
                plainText = Tidy(HtmlText.ToPlainText(safeHtml));

            var shown = safeHtml is null ? [] : Sanitizer.ContentIdsShown(safeHtml);
            var attachments = _files.Select(f => f.ContentId is { } id && shown.Contains(id) ? f with { Inline = true } : f).ToList();
            return new MailBody(plainText, safeHtml, attachments, _notes.Distinct().ToList());
        }

        /// <summary>
        /// The pictures an HTML part may show by Content-Location (RFC 2557: Apple Mail, Outlook's "web page" mails and
        /// saved pages refer to their pictures by URL rather than cid:) — the other parts of the multipart/related it
        /// sits in — keyed by the URL as written and resolved against the base; each maps to the picture's Content-ID,
        /// or to one made up for it, so the picture is then shown and served like a cid: one. Null when there are none.
        /// </summary>
        private Func<string, string?>? PicturesByLocation(TextPart html)
        {
            if (_message is null || !_message.BodyParts.Any(p => p.Headers.Contains(HeaderId.ContentLocation)))
                return null;
            try
            {
                var iterator = new MimeIterator(_message);
                MultipartRelated? related = null;
                while (iterator.MoveNext())
                    if (ReferenceEquals(iterator.Current, html))
                    {
                        related = iterator.Parent as MultipartRelated;
                        break;
                    }
                if (related is null)
                    return null;

                var map = new Dictionary<string, string>(StringComparer.Ordinal);
                var relatedBase = AbsoluteOrNull(related.ContentBase) ?? AbsoluteOrNull(related.ContentLocation);
                foreach (var part in related.OfType<MimePart>())
                {
                    if (ReferenceEquals(part, html) || part.Headers[HeaderId.ContentLocation]?.Trim() is not { Length: > 0 } written)
                        continue;
                    var id = ContentIdOf(part) ?? (_locationIds.TryGetValue(part, out var made) ? made
                        : _locationIds[part] = $"location-{_locationIds.Count + 1}@desk.invalid");
                    map.TryAdd(written, id);
                    if (Resolve(part.ContentLocation, AbsoluteOrNull(part.ContentBase) ?? relatedBase) is { } absolute)
                        map.TryAdd(absolute, id);
                }
                if (map.Count == 0)
                    return null;
                var htmlBase = AbsoluteOrNull(html.ContentBase) ?? AbsoluteOrNull(html.ContentLocation) ?? relatedBase;
                // A src is looked up as written, then resolved against the HTML part's base.
                return src => map.TryGetValue(src.Trim(), out var id) ? id
                    : Uri.TryCreate(src.Trim(), UriKind.RelativeOrAbsolute, out var uri) && Resolve(uri, htmlBase) is { } absolute
                      && map.TryGetValue(absolute, out id) ? id : null;
            }
            catch (Exception e) when (e is FormatException or UriFormatException or ArgumentException or InvalidOperationException)
            {
                return null; // an unreadable location header: the pictures stay attachments
            }
        }

        private static Uri? AbsoluteOrNull(Uri? uri) => uri is { IsAbsoluteUri: true } ? uri : null;

        private static string? Resolve(Uri? location, Uri? baseUri) =>
            location is null ? null
            : location.IsAbsoluteUri ? location.AbsoluteUri
            : baseUri is not null && Uri.TryCreate(baseUri, location, out var absolute) ? absolute.AbsoluteUri
            : null;

        /// <summary>RFC 8621 §4.1.4 parseStructure: sorts the leaves into the text body, the HTML body and attachments.</summary>
        private void Walk(IReadOnlyList<MimeEntity> parts, string multipartType, bool inAlternative,
            List<MimeEntity>? htmlBody, List<MimeEntity>? textBody, List<MimeEntity> attachments, int depth = 0)
        {
            var textLength = textBody?.Count ?? -1;
            var htmlLength = htmlBody?.Count ?? -1;
            for (var i = 0; i < parts.Count; i++)
            {
                var part = parts[i];
                var type = part.ContentType.MimeType.ToLowerInvariant();
                var isInlineMedia = IsInlineMediaType(type);
                var isInline = !IsAttachmentDisposition(part)
                    && (type is "text/plain" or "text/html" || isInlineMedia)
                    && (i == 0 || (multipartType != "related" && (isInlineMedia || FileNameOf(part) is null)));

                if (part is Multipart multipart)
                {
                    if (depth > 100) continue; // MimeKit bounds depth too; this keeps the walk's stack small regardless
                    var subtype = part.ContentType.MediaSubtype.ToLowerInvariant();
                    var children = multipart.Count > 0 ? multipart.ToList() : Recover(multipart);
                    Walk(children, subtype, inAlternative || subtype == "alternative", htmlBody, textBody, attachments, depth + 1);
                }
                else if (isInline && part is MimePart)
                {
                    if (multipartType == "alternative")
                    {
                        switch (type)
                        {
                            case "text/plain": textBody?.Add(part); break;
                            case "text/html": htmlBody?.Add(part); break;
                            default: attachments.Add(part); break;
                        }
                        continue;
                    }
                    if (inAlternative)
                    {
                        if (type == "text/plain") htmlBody = null;
                        if (type == "text/html") textBody = null;
                    }
                    textBody?.Add(part);
                    htmlBody?.Add(part);
                    if ((textBody is null || htmlBody is null) && isInlineMedia)
                        attachments.Add(part);
                }
                else
                {
                    attachments.Add(part);
                }
            }

            if (multipartType == "alternative" && textBody is not null && htmlBody is not null)
            {
                if (textLength == textBody.Count && htmlLength != htmlBody.Count)
                    textBody.AddRange(htmlBody.Skip(htmlLength));
                if (htmlLength == htmlBody.Count && textLength != textBody.Count)
                    htmlBody.AddRange(textBody.Skip(textLength));
            }
        }

        /// <summary>
        /// A multipart in which MimeKit found no parts: its boundary parameter is missing or does not match (a script
        /// that wrote "multipart/mixed boundary=…" without the semicolon, say), so everything sits in the preamble.
        /// When the preamble starts with a delimiter line, that names the boundary and the parts are read again with it;
        /// otherwise the preamble is the text.
        /// </summary>
        private List<MimeEntity> Recover(Multipart multipart)
        {
            var preamble = multipart.Preamble;
            if (string.IsNullOrWhiteSpace(preamble))
                return [];
            _notes.Add($"The mail's {multipart.ContentType.MimeType} section has a missing or wrong boundary, so its parts were read as well as they could be; the original mail is kept.");
            var firstLine = preamble.TrimStart('\r', '\n').Split('\n', 2)[0].TrimEnd('\r', ' ', '\t');
            if (firstLine.Length > 2 && firstLine.StartsWith("--", StringComparison.Ordinal) && firstLine.Length <= 72)
            {
                try
                {
                    var boundary = firstLine[2..];
                    var header = $"Content-Type: {multipart.ContentType.MimeType}; boundary=\"{boundary.Replace("\"", "", StringComparison.Ordinal)}\"\r\n\r\n";
                    var bytes = Encoding.UTF8.GetBytes(header + preamble + "\r\n" + (multipart.Epilogue ?? ""));
                    if (MimeEntity.Load(ParserOptions.Default, new MemoryStream(bytes)) is Multipart { Count: > 0 } recovered)
                        return recovered.ToList();
                }
                catch (Exception e) when (e is FormatException or ArgumentException)
                {
                    // fall through: show the preamble as text
                }
            }
            return [new TextPart("plain") { Text = preamble }];
        }

        /// <summary>winmail.dat: its files become attachments; its body is used when the mail has none of its own. One
        /// that holds nothing readable stays an attachment, with a note.</summary>
        private void UnpackTnef()
        {
            var hasBody = _textBody.Concat(_htmlBody).OfType<TextPart>().Any();
            foreach (var tnef in _attachments.OfType<TnefPart>().ToList())
            {
                MimeMessage unpacked;
                try
                {
                    unpacked = tnef.ConvertToMessage();
                }
                catch (Exception e)
                {
                    _notes.Add($"\"{FileNameOf(tnef) ?? "winmail.dat"}\" (Outlook's TNEF) could not be unpacked ({e.Message}); it is kept as it came.");
                    continue;
                }
                List<MimeEntity> text = [], html = [], files = [];
                if (unpacked.Body is not null)
                    Walk([unpacked.Body], "mixed", false, html, text, files);
                if (files.Count == 0 && !text.Concat(html).OfType<TextPart>().Any(p => ReadText(p) is { } t && !string.IsNullOrWhiteSpace(t)))
                {
                    // Left out silently, the customer's attachment would vanish with nothing to say it came.
                    _notes.Add($"\"{FileNameOf(tnef) ?? "winmail.dat"}\" (Outlook's TNEF) held nothing Desk could read; it is kept as it came.");
                    continue;
                }
                _attachments.Remove(tnef);
                if (!hasBody && (text.OfType<TextPart>().Any() || html.OfType<TextPart>().Any()))
                {
                    _textBody.AddRange(text);
                    _htmlBody.AddRange(html);
                    hasBody = true;
                }
                else
                {
                    files.AddRange(text.Concat(html).Where(e => e is not TextPart));
                }

                // Outlook often sends the body only as compressed RTF; its text is better than nothing.
                foreach (var rtf in files.OfType<TextPart>().Where(p => p.ContentType.IsMimeType("text", "rtf") || p.ContentType.IsMimeType("application", "rtf")))
                {
                    if (hasBody) break;
                    if (ReadBytes(rtf) is { } bytes && RtfText.ToPlainText(bytes) is { Length: > 0 } rtfText)
                    {
                        _extraText.Add(rtfText);
                        hasBody = true;
                    }
                }
                foreach (var file in files)
                {
                    // The RTF body has no name of its own; tnef(1) calls it message.rtf too.
                    if (file is TextPart { FileName: null } rtfBody && rtfBody.ContentType.IsMimeType("text", "rtf"))
                        rtfBody.FileName = "message.rtf";
                    _attachments.Add(file);
                }
            }
        }

        private readonly List<MailAttachment> _uuencoded = [];

        /// <summary>Old clients paste files into the text as uuencoded "begin 644 name … end" blocks; those become attachments.</summary>
        private string TakeUuencodedFiles(string text)
        {
            if (!text.Contains("begin ", StringComparison.Ordinal))
                return text;
            try
            {
                return UuencodedBlock().Replace(text, TakeUuencodedFile);
            }
            catch (RegexMatchTimeoutException)
            {
                return text;
            }
        }

        private string TakeUuencodedFile(Match match)
        {
            var name = match.Groups["name"].Value.Trim();
            var payload = Encoding.ASCII.GetBytes(match.Groups["body"].Value.Replace("\r", "", StringComparison.Ordinal));
            var decoder = new UUDecoder(true);
            var output = new byte[decoder.EstimateOutputLength(payload.Length)];
            int length;
            try
            {
                length = decoder.Decode(payload, 0, payload.Length, output);
            }
            catch (Exception)
            {
                return match.Value;
            }
            if (length == 0)
                return match.Value;
            if (length > maxAttachmentBytes)
            {
                _notes.Add(TooLarge(name, length));
                return "";
            }
            _uuencoded.Add(new MailAttachment(name.Length > 0 ? name : $"attachment-{_files.Count + _uuencoded.Count + 1}",
                MimeTypes.GetMimeType(name), output[..length], null, false));
            return "";
        }

        private void AddAttachment(MimeEntity entity)
        {
            var index = _files.Count + 1;
            try
            {
                switch (entity)
                {
                    case MessagePart { Message: { } inner } messagePart:
                    {
                        using var buffer = new MemoryStream();
                        inner.WriteTo(buffer);
                        var subject = CleanFileName(inner.Subject);
                        var name = FileNameOf(messagePart) ?? (subject is null ? $"attachment-{index}.eml" : $"{Truncate(subject, 100)}.eml");
                        Keep(new MailAttachment(name, "message/rfc822", buffer.ToArray(), IdOf(entity), false));
                        break;
                    }
                    case MimePart part:
                    {
                        var type = part.ContentType.MimeType.ToLowerInvariant();
                        var name = FileNameOf(part) ?? UuencodedName(part) ?? $"attachment-{index}{ExtensionFor(type)}";
                        if (part.Content is null)
                        {
                            Keep(new MailAttachment(name, type, [], IdOf(part), false));
                            break;
                        }
                        var bytes = ReadBytes(part);
                        if (bytes is null)
                            _notes.Add($"\"{name}\" could not be decoded and is kept only in the original.");
                        else
                            Keep(new MailAttachment(name, type, bytes, IdOf(part), false));
                        break;
                    }
                    default:
                        _notes.Add($"A part ({entity.ContentType.MimeType}) could not be read and is kept only in the original.");
                        break;
                }
            }
            catch (Exception e)
            {
                _notes.Add($"A part could not be decoded ({entity.ContentType.MimeType}: {e.Message}) and is kept only in the original.");
            }
        }

        /// <summary>The part's Content-ID, or the one made up for a picture the HTML shows by Content-Location.</summary>
        private string? IdOf(MimeEntity entity) => ContentIdOf(entity) ?? _locationIds.GetValueOrDefault(entity);

        private void Keep(MailAttachment file)
        {
            if (file.Content.LongLength > maxAttachmentBytes)
                _notes.Add(TooLarge(file.FileName, file.Content.LongLength));
            else
                _files.Add(file);
        }

        private string TooLarge(string name, long size) =>
            $"\"{name}\" ({Size(size)}) is larger than the {Size(maxAttachmentBytes)} limit and was not kept; the original mail is.";

        private byte[]? ReadBytes(MimePart part)
        {
            try
            {
                using var buffer = new MemoryStream();
                part.Content?.DecodeTo(buffer);
                return buffer.ToArray();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _notes.Add($"A part could not be decoded ({part.ContentType.MimeType}: {e.Message}) and is kept only in the original.");
                return null;
            }
        }

        /// <summary>A text part's text, converted; null (with a note) when it cannot be read or converted.</summary>
        private string? Convert(TextPart part, Func<string, string> convert)
        {
            try
            {
                return ReadText(part) is { } content ? convert(content) : null;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _notes.Add($"A text part ({part.ContentType.MimeType}) could not be read ({e.Message}) and was left out; the original mail is kept.");
                return null;
            }
        }

        /// <summary>A text part's decoded text (read once: a part can be in both the text and the HTML body), or null
        /// with a note when its bytes cannot be decoded.</summary>
        private string? ReadText(TextPart part)
        {
            if (!_texts.TryGetValue(part, out var text))
                _texts[part] = text = DecodeText(part);
            return text;
        }

        private string? DecodeText(TextPart part)
        {
            var bytes = ReadBytes(part);
            if (bytes is null)
                return null;
            var text = Charsets.Decode(bytes, part.ContentType.Charset, part.IsHtml);
            if (!part.IsHtml && part.ContentType.Parameters["format"] is { } format && format.Equals("flowed", StringComparison.OrdinalIgnoreCase))
            {
                var deleteSpace = part.ContentType.Parameters["delsp"] is { } delsp && delsp.Equals("yes", StringComparison.OrdinalIgnoreCase);
                text = new FlowedToText { DeleteSpace = deleteSpace }.Convert(text);
            }
            return text;
        }

        private static string Tidy(string text)
        {
            text = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Replace("\0", "", StringComparison.Ordinal);
            var start = 0;
            while (true)
            {
                var newline = text.IndexOf('\n', start);
                if (newline < 0 || !string.IsNullOrWhiteSpace(text[start..newline])) break;
                start = newline + 1;
            }
            return text[start..].TrimEnd();
        }
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

    private static string? CleanFileName(string? name)
    {
        if (name is null) return null;
        var clean = new string(name.Where(c => !char.IsControl(c)).ToArray()).Trim();
        return clean.Length == 0 ? null : Truncate(clean, 255);
    }

    private static string Truncate(string s, int length) => s.Length <= length ? s : s[..length];

    private static string? ContentIdOf(MimeEntity entity) => string.IsNullOrWhiteSpace(entity.ContentId) ? null : entity.ContentId.Trim();

    /// <summary>The name on the "begin 644 name" line of an x-uuencode part that has no file name in its headers.</summary>
    private static string? UuencodedName(MimePart part)
    {
        if (part.ContentTransferEncoding != ContentEncoding.UUEncode || part.Content?.Stream is not { CanSeek: true } stream)
            return null;
        try
        {
            stream.Position = 0;
            var head = new byte[1024];
            var read = stream.Read(head, 0, head.Length);
            stream.Position = 0;
            var match = Regex.Match(Encoding.ASCII.GetString(head, 0, read), @"^begin [0-7]{3,4} (?<name>[^\r\n]+)", RegexOptions.Multiline, TimeSpan.FromSeconds(1));
            return match.Success ? CleanFileName(match.Groups["name"].Value) : null;
        }
        catch (Exception)
        {
            return null;
        }
    }

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
}

/// <summary>
/// Chooses how to read a text part's bytes. The label is trusted unless real mail shows it lies in a known way:
/// gb2312/GBK labels are read as GB18030 (a superset; mail labelled gb2312 often holds GBK characters), text labelled
/// us-ascii/latin-1 or not at all that is valid UTF-8 is UTF-8, so is valid UTF-8 with a few characters' worth of
/// non-ASCII under any legacy label (gb2312, windows-1251, …), and HTML without a label uses its meta charset.
/// </summary>
file static class Charsets
{
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Encoding?> Resolved = new(StringComparer.Ordinal);

    public static string Decode(byte[] bytes, string? label, bool isHtml)
    {
        ReadOnlySpan<byte> span = bytes;
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            return Utf8.GetString(span[3..]);
        if (span.Length >= 2 && span[0] == 0xFF && span[1] == 0xFE)
            return Encoding.Unicode.GetString(span[2..]);
        if (span.Length >= 2 && span[0] == 0xFE && span[1] == 0xFF)
            return Encoding.BigEndianUnicode.GetString(span[2..]);
        return Choose(span, label, isHtml).GetString(span);
    }

    public static Encoding Choose(ReadOnlySpan<byte> bytes, string? label, bool isHtml)
    {
        var name = Normalise(label);
        if (isHtml && name is null or "us-ascii" && MetaCharset(bytes) is { } meta)
            name = Normalise(meta);

        if (System.Text.Ascii.IsValid(bytes))
        {
            if (name is not null && name != "us-ascii" && Resolve(name) is { } labelled) return labelled;
            return bytes.IndexOf((byte)0x1B) >= 0 && Resolve("iso-2022-jp") is { } jis ? jis : Utf8;
        }

        var utf8 = Utf8Validity(bytes);
        if (utf8 && name is not null && IsLegacyLabel(name) && LongEnoughToTrust(bytes))
            return Utf8;
        return name switch
        {
            null or "us-ascii" => utf8 ? Utf8 : Guess(bytes),
            "windows-1252" => utf8 ? Utf8 : LooksLikeGb2312(bytes) ? Gb18030 : Resolve("windows-1252")!,
            "utf-8" => utf8 || !LooksLikeGb2312(bytes) ? Utf8 : Gb18030,
            "gb18030" => Gb18030,
            _ => Resolve(name) ?? (utf8 ? Utf8 : Guess(bytes)),
        };
    }

    private static Encoding Gb18030 => Resolve("gb18030")!;

    /// <summary>A label for a legacy 8-bit or double-byte charset (gb2312, big5, windows-1251, koi8-r, …): webmail
    /// and scripts put such labels on text that is really UTF-8. Unicode labels and the 7-bit ISO-2022 family are not
    /// legacy in this sense (their bytes are never mistaken for UTF-8 by accident).</summary>
    private static bool IsLegacyLabel(string name) =>
        !name.StartsWith("utf-", StringComparison.Ordinal) && !name.StartsWith("ucs-", StringComparison.Ordinal)
        && !name.StartsWith("unicode", StringComparison.Ordinal) && !name.StartsWith("iso-2022", StringComparison.Ordinal);

    /// <summary>
    /// Whether valid UTF-8 has enough non-ASCII bytes that it cannot be legacy text by accident. Legacy double-byte
    /// text is rarely valid UTF-8: two GB2312 characters (4 bytes) pass by chance about once in fifty, four (8 bytes)
    /// about once in three thousand; single-byte Cyrillic or Latin text almost never does, since its letters do not
    /// come in UTF-8's lead-and-continuation pattern. Below 8 bytes the label is believed.
    /// </summary>
    private static bool LongEnoughToTrust(ReadOnlySpan<byte> bytes)
    {
        var high = 0;
        foreach (var b in bytes)
            if (b >= 0x80 && ++high >= 8)
                return true;
        return false;
    }

    private static bool Utf8Validity(ReadOnlySpan<byte> bytes) => System.Text.Unicode.Utf8.IsValid(bytes);

    /// <summary>No usable label: GB2312-looking double bytes are Chinese (GB18030), clean Big5 pairs are Big5, the rest
    /// is read as Windows-1252 (the superset of Latin-1 that Windows mail uses).</summary>
    public static Encoding Guess(ReadOnlySpan<byte> bytes) =>
        LooksLikeGb2312(bytes) ? Gb18030 : LooksLikeBig5(bytes) && Resolve("big5") is { } big5 ? big5 : Resolve("windows-1252")!;

    /// <summary>
    /// Whether 8-bit bytes read as Chinese in GB2312 (allowing a few GBK-only characters): every high byte pairs up,
    /// the pairs fall in the hanzi rows (B0–F7) or the common punctuation rows (A1–A3), never in rows GB2312 leaves
    /// empty. Latin-1 text almost never has two accented letters in a row in those ranges; Big5 text lands in the
    /// empty rows or has low trail bytes.
    /// </summary>
    public static bool LooksLikeGb2312(ReadOnlySpan<byte> bytes)
    {
        int hanzi = 0, odd = 0, gbkOnly = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            var lead = bytes[i];
            if (lead < 0x80) continue;
            if (i + 1 >= bytes.Length || lead == 0x80 || lead == 0xFF) return false;
            var trail = bytes[++i];
            if (trail is >= 0xA1 and <= 0xFE)
            {
                if (lead is >= 0xB0 and <= 0xF7) hanzi++;
                else if (lead is >= 0xA4 and <= 0xA9) odd++;
                else if (lead is >= 0xAA and <= 0xAF or >= 0xF8) return false;
            }
            else if (trail is >= 0x40 and <= 0xFE and not 0x7F) gbkOnly++;
            else return false;
        }
        return hanzi >= 2 && odd * 4 <= hanzi && gbkOnly * 10 <= hanzi;
    }

    private static bool LooksLikeBig5(ReadOnlySpan<byte> bytes)
    {
        var pairs = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            var lead = bytes[i];
            if (lead < 0x80) continue;
            if (lead is < 0xA1 or > 0xF9 || i + 1 >= bytes.Length) return false;
            var trail = bytes[++i];
            if (trail is not (>= 0x40 and <= 0x7E or >= 0xA1 and <= 0xFE)) return false;
            pairs++;
        }
        return pairs >= 2;
    }

    private static string? MetaCharset(ReadOnlySpan<byte> bytes)
    {
        var head = Encoding.Latin1.GetString(bytes[..Math.Min(bytes.Length, 8192)]);
        var match = Regex.Match(head, @"<meta\b[^>]*?charset\s*=\s*[""']?\s*([A-Za-z0-9_:.\-]+)", RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));
        return match.Success ? match.Groups[1].Value : null;
    }

    /// <summary>Lower-cases a label and folds the aliases mail clients use onto one name; null for "no real charset".</summary>
    public static string? Normalise(string? label)
    {
        var name = label?.Trim().Trim('"', '\'').Trim().ToLowerInvariant();
        return name switch
        {
            null or "" or "unknown" or "unknown-8bit" or "x-unknown" or "x-user-defined" or "default" or "8bit" or "binary" or "none" => null,
            "ascii" or "us" or "us-ascii" or "ansi_x3.4-1968" or "iso646-us" or "iso-646-us" or "646" or "cp367" => "us-ascii",
            "iso-8859-1" or "iso8859-1" or "iso_8859-1" or "iso_8859-1:1987" or "latin1" or "latin-1" or "l1" or "iso-ir-100" or "cp819"
                or "windows-1252" or "cp1252" or "x-cp1252" or "cp-1252" => "windows-1252",
            "utf8" or "utf-8" or "unicode-1-1-utf-8" or "x-unicode20utf8" or "utf_8" => "utf-8",
            "gb2312" or "gbk" or "x-gbk" or "cp936" or "ms936" or "windows-936" or "euc-cn" or "x-euc-cn" or "csgb2312" or "gb_2312-80"
                or "gb_2312" or "chinese" or "iso-ir-58" or "csiso58gb231280" or "gb18030" or "gb-18030" or "gb2312-80" => "gb18030",
            "big5" or "big-5" or "big5-hkscs" or "cn-big5" or "x-x-big5" or "csbig5" or "cp950" or "ms950" or "windows-950" or "x-big5" => "big5",
            "x-sjis" or "sjis" or "shift-jis" or "shift_jis" or "ms_kanji" or "cp932" or "windows-31j" or "csshiftjis" or "x-ms-cp932" => "shift_jis",
            "ks_c_5601-1987" or "ks_c_5601" or "ks_c_5601-1989" or "euc-kr" or "cp949" or "windows-949" or "ksc5601" or "ksc_5601" => "ks_c_5601-1987",
            "iso-2022-jp" or "iso-2022-jp-1" or "iso-2022-jp-2" or "iso-2022-jp-3" or "csiso2022jp" => "iso-2022-jp",
            "iso-8859-8-i" => "iso-8859-8",
            "utf7" or "utf-7" or "unicode-1-1-utf-7" or "csunicode11utf7" or "x-unicode20utf7" => "utf-7",
            _ => name,
        };
    }

    public static Encoding? Resolve(string name) => Resolved.GetOrAdd(name, static n =>
    {
        try
        {
            return n switch
            {
                "utf-8" => Utf8,
                "gb18030" => Encoding.GetEncoding(54936),
                // .NET refuses GetEncoding("utf-7") since UTF-7 is unsafe for new data, but Outlook 2000 sent mail in it.
#pragma warning disable SYSLIB0001
                "utf-7" => new UTF7Encoding(allowOptionals: true),
#pragma warning restore SYSLIB0001
                _ => Encoding.GetEncoding(n),
            };
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return null;
        }
    });
}

/// <summary>HTML to readable plain text: paragraphs, line breaks and list items kept, no tags, entities decoded.</summary>
file static class HtmlText
{
    private static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "head", "title", "template", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet",
        "svg", "math", "select", "xml", "meta", "link", "base", "img", "input", "button", "audio", "video", "canvas", "map",
    };

    private static readonly HashSet<string> Paragraphs = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table", "blockquote", "pre", "hr", "figure",
    };

    private static readonly HashSet<string> Lines = new(StringComparer.OrdinalIgnoreCase)
    {
        "div", "li", "tr", "dt", "dd", "address", "center", "section", "article", "header", "footer", "nav", "aside", "main",
        "form", "fieldset", "legend", "caption", "thead", "tbody", "tfoot", "figcaption", "details", "summary", "body",
    };

    public static string ToPlainText(string html)
    {
        if (HtmlNesting.TooDeep(html))
            return HtmlNesting.RoughText(html);
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        return HtmlNesting.TooDeep(document) ? HtmlNesting.RoughText(html) : ToPlainText(document.Body ?? (INode)document);
    }

    /// <summary>Walks the tree without recursion, so a deeply nested mail cannot exhaust the stack.</summary>
    private static string ToPlainText(INode root)
    {
        var output = new PlainTextWriter();
        var stack = new Stack<(INode Node, bool Leaving)>();
        stack.Push((root, false));
        var preformatted = 0;
        while (stack.Count > 0)
        {
            var (node, leaving) = stack.Pop();
            if (node is IText text)
            {
                output.Write(text.Data, preformatted > 0);
                continue;
            }
            if (node is not IElement element)
            {
                if (node is IDocument or IDocumentFragment)
                    foreach (var child in node.ChildNodes.Reverse()) stack.Push((child, false));
                continue;
            }

            var name = element.LocalName;
            if (leaving)
            {
                if (name == "pre") preformatted--;
                if (Paragraphs.Contains(name)) output.Break(2);
                else if (Lines.Contains(name)) output.Break(1);
                else if (name is "td" or "th") output.Space();
                continue;
            }
            if (Skipped.Contains(name))
                continue;
            switch (name)
            {
                case "br":
                    output.LineBreak();
                    continue;
                case "hr":
                    output.Break(2);
                    continue;
                case "li":
                    output.Break(1);
                    output.Write(ListMarker(element), preformatted: true);
                    break;
                case "td" or "th":
                    output.Space();
                    break;
                default:
                    if (Paragraphs.Contains(name)) output.Break(2);
                    else if (Lines.Contains(name)) output.Break(1);
                    break;
            }
            if (name == "pre") preformatted++;
            stack.Push((element, true));
            foreach (var child in element.ChildNodes.Reverse())
                stack.Push((child, false));
        }
        return output.ToString();
    }

    private static string ListMarker(IElement item)
    {
        if (item.ParentElement is not { LocalName: "ol" } list)
            return "• ";
        var start = int.TryParse(list.GetAttribute("start"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : 1;
        var position = 0;
        for (var sibling = item.PreviousElementSibling; sibling is not null; sibling = sibling.PreviousElementSibling)
            if (sibling.LocalName == "li") position++;
        return string.Create(CultureInfo.InvariantCulture, $"{start + position}. ");
    }

    private sealed class PlainTextWriter
    {
        private readonly StringBuilder _text = new();
        private int _pendingBreaks;
        private bool _pendingSpace;
        private int _newlinesAtEnd = 1; // the start counts as a fresh line

        public void Break(int lines) => _pendingBreaks = Math.Max(_pendingBreaks, lines);

        public void Space() => _pendingSpace = true;

        public void LineBreak()
        {
            FlushBreaks();
            _text.Append('\n');
            _newlinesAtEnd++;
            _pendingSpace = false;
        }

        public void Write(string data, bool preformatted)
        {
            if (preformatted)
            {
                if (data.Length == 0) return;
                Start();
                var normalised = data.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
                _text.Append(normalised);
                var trailing = normalised.Length - normalised.TrimEnd('\n').Length;
                _newlinesAtEnd = trailing == normalised.Length ? _newlinesAtEnd + trailing : trailing;
                return;
            }
            var words = data.Split([' ', '\t', '\n', '\r', '\f'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                if (data.Length > 0) _pendingSpace = true;
                return;
            }
            if (char.IsWhiteSpace(data[0]) && data[0] != '\u00A0') _pendingSpace = true;
            Start();
            _text.Append(string.Join(' ', words));
            _newlinesAtEnd = 0;
            _pendingSpace = char.IsWhiteSpace(data[^1]) && data[^1] != '\u00A0';
        }

        private void Start()
        {
            if (FlushBreaks()) return;
            if (_pendingSpace && _newlinesAtEnd == 0) _text.Append(' ');
            _pendingSpace = false;
        }

        private bool FlushBreaks()
        {
            var needed = _text.Length == 0 ? 0 : _pendingBreaks - _newlinesAtEnd;
            _pendingBreaks = 0;
            if (needed <= 0) return false;
            while (_text.Length > 0 && _text[^1] == ' ') _text.Length--;
            _text.Append('\n', needed);
            _newlinesAtEnd += needed;
            _pendingSpace = false;
            return true;
        }

        public override string ToString()
        {
            var lines = _text.ToString().Replace('\u00A0', ' ').Split('\n').Select(l => l.TrimEnd());
            var result = new StringBuilder();
            var blank = 0;
            foreach (var line in lines)
            {
                if (line.Length == 0)
                {
                    if (++blank > 1 || result.Length == 0) continue;
                }
                else blank = 0;
                result.Append(line).Append('\n');
            }
            return result.ToString().Trim('\n');
        }
    }
}

/// <summary>The one configured HtmlSanitizer (thread-safe for sanitising) and the desk's rules around it.</summary>
file static class Sanitizer
{
    public const string LinkRel = "noopener noreferrer nofollow";

    /// <summary>Removed with everything inside them before sanitising: their content is code, styling or controls,
    /// never the customer's words. Other disallowed tags are unwrapped (their text kept).</summary>
    private const string RemovedWithContent =
        "script, style, title, head, template, noscript, iframe, frame, frameset, object, embed, applet, svg, math, select, "
        + "textarea, input, button, audio, video, source, track, canvas, noembed, noframes, param, link, meta, base, portal, xml, map, dialog";

    private static readonly HtmlSanitizer Instance = Create();

    private static HtmlSanitizer Create()
    {
        var sanitizer = new HtmlSanitizer { KeepChildNodes = true };
        sanitizer.AllowedSchemes.Clear();
        foreach (var scheme in new[] { "http", "https", "mailto", "cid" })
            sanitizer.AllowedSchemes.Add(scheme);
        foreach (var tag in new[] { "form", "input", "button", "select", "option", "optgroup", "textarea", "label", "fieldset", "legend",
                     "datalist", "output", "keygen", "audio", "video", "source", "track", "map", "area", "style", "link", "meta", "base",
                     "iframe", "frame", "object", "embed", "svg", "math", "dialog", "menu", "menuitem", "picture" })
            sanitizer.AllowedTags.Remove(tag);
        // id/name clobber the page's DOM; class picks up the desk's own styles (a fake button or alert).
        foreach (var attribute in new[] { "id", "name", "class", "srcset", "sizes", "background", "target", "rel", "action", "formaction",
                     "method", "ping", "usemap", "ismap", "poster", "autofocus", "tabindex", "accesskey", "contenteditable", "draggable",
                     "form", "longdesc", "cite" })
            sanitizer.AllowedAttributes.Remove(attribute);
        // Positioning lets a mail lay itself over the desk's own controls.
        foreach (var property in new[] { "position", "z-index", "top", "right", "bottom", "left", "inset", "float", "cursor",
                     "pointer-events", "content", "behavior", "-moz-binding", "clip", "clip-path", "transform", "filter" })
            sanitizer.AllowedCssProperties.Remove(property);
        sanitizer.AllowedAtRules.Clear();
        sanitizer.FilterUrl += (_, e) => e.SanitizedUrl = Allowed(e.Tag, e.OriginalUrl, e.SanitizedUrl);
        return sanitizer;
    }

    /// <summary>Links (an a/area element's own href) may go to http(s) and mailto; pictures (an img element's own src)
    /// may only come from the mail (cid:). Every other URL — remote pictures, CSS backgrounds, relative URLs that
    /// would point at the desk itself — is dropped.</summary>
    private static string? Allowed(IElement element, string original, string? sanitized)
    {
        if (sanitized is null || !Uri.TryCreate(sanitized.Trim(), UriKind.Absolute, out var uri))
            return null;
        var own = original.Trim();
        return element.LocalName switch
        {
            "a" when uri.Scheme is "http" or "https" or "mailto" && string.Equals(element.GetAttribute("href")?.Trim(), own, StringComparison.Ordinal) => sanitized,
            "img" when uri.Scheme == "cid" && string.Equals(element.GetAttribute("src")?.Trim(), own, StringComparison.Ordinal) => sanitized,
            _ => null,
        };
    }

    public static string Sanitize(string html) => Sanitize(html, out _);

    /// <param name="tooDeep">True when the HTML nests too deep to parse or walk, and the result is its rough text.</param>
    /// <param name="contentIdForLocation">The Content-ID of the mail's picture a src names by Content-Location, or
    /// null; such pictures are pointed at cid: before sanitising, so they are kept like cid: ones.</param>
    public static string Sanitize(string html, out bool tooDeep, Func<string, string?>? contentIdForLocation = null)
    {
        tooDeep = HtmlNesting.TooDeep(html);
        if (tooDeep)
            return FromPlainText(HtmlNesting.RoughText(html));
        var document = Instance.HtmlParserFactory().ParseDocument(html);
        if (HtmlNesting.TooDeep(document))
        {
            tooDeep = true;
            return FromPlainText(HtmlNesting.RoughText(html));
        }
        foreach (var element in document.QuerySelectorAll(RemovedWithContent).ToList())
            element.Remove();
        if (contentIdForLocation is not null)
            foreach (var image in document.QuerySelectorAll("img[src]"))
                if (ContentIdOf(image.GetAttribute("src")) is null && contentIdForLocation(image.GetAttribute("src")!) is { } id)
                    image.SetAttribute("src", "cid:" + Uri.EscapeDataString(id));
        var body = document.Body;
        if (body is null)
            return "";
        Instance.SanitizeDom(document, body);
        foreach (var element in body.QuerySelectorAll("a, img").ToList())
        {
            if (element.LocalName == "img")
            {
                if (ContentIdOf(element.GetAttribute("src")) is null)
                    ReplaceByAltText(element);
            }
            else if (element.HasAttribute("href"))
            {
                element.SetAttribute("rel", LinkRel);
                element.SetAttribute("target", "_blank");
            }
        }
        return body.ChildNodes.ToHtml(Instance.OutputFormatter).Trim();
    }

    public static string FromPlainText(string text) =>
        "<div style=\"white-space: pre-wrap\">" + WebUtility.HtmlEncode(text.Replace("\r\n", "\n", StringComparison.Ordinal)) + "</div>";

    public static IHtmlDocument Parse(string safeHtml) => new AngleSharp.Html.Parser.HtmlParser().ParseDocument(safeHtml);

    /// <summary>The Content-ID a cid: URL names (RFC 2392: percent-encoded, no angle brackets), or null.</summary>
    public static string? ContentIdOf(string? src)
    {
        if (src is null || !src.TrimStart().StartsWith("cid:", StringComparison.OrdinalIgnoreCase))
            return null;
        string id;
        try
        {
            id = Uri.UnescapeDataString(src.Trim()[4..]);
        }
        catch (UriFormatException)
        {
            id = src.Trim()[4..];
        }
        id = id.Trim().TrimStart('<').TrimEnd('>');
        return id.Length == 0 ? null : id;
    }

    public static HashSet<string> ContentIdsShown(string safeHtml)
    {
        var shown = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var image in Parse(safeHtml).QuerySelectorAll("img"))
            if (ContentIdOf(image.GetAttribute("src")) is { } id)
                shown.Add(id);
        return shown;
    }

    public static void ReplaceByAltText(IElement image)
    {
        var alt = image.GetAttribute("alt")?.Trim();
        if (!string.IsNullOrEmpty(alt) && image.Owner is { } owner)
            image.Replace(owner.CreateTextNode(alt));
        else
            image.Remove();
    }
}

/// <summary>
/// The text of an RTF body (Outlook sends some bodies only as compressed RTF inside winmail.dat): paragraphs and
/// line breaks kept, \'hh bytes read in the document's code page, \uN characters, hidden destinations skipped.
/// Meant for display and search, not for layout.
/// </summary>
file static class RtfText
{
    private static readonly HashSet<string> SkippedDestinations = new(StringComparer.Ordinal)
    {
        "fonttbl", "colortbl", "stylesheet", "info", "pict", "header", "headerl", "headerr", "headerf", "footer", "footerl",
        "footerr", "footerf", "themedata", "colorschememapping", "latentstyles", "datastore", "xmlnstbl", "listtable",
        "listoverridetable", "rsidtbl", "generator", "object", "fldinst", "mmathpr", "pgdsctbl", "filetbl", "revtbl", "bkmkstart", "bkmkend",
    };

    public static string ToPlainText(byte[] rtf)
    {
        var text = new StringBuilder();
        var pending = new List<byte>();
        var codePage = Encoding.GetEncoding(1252);
        var skipDepth = -1;
        var depth = 0;
        var unicodeSkip = 1;
        var toSkip = 0;
        void Flush()
        {
            if (pending.Count == 0) return;
            text.Append(codePage.GetString(pending.ToArray()));
            pending.Clear();
        }

        for (var i = 0; i < rtf.Length; i++)
        {
            var c = (char)rtf[i];
            if (c == '{') { depth++; continue; }
            if (c == '}') { if (depth == skipDepth) skipDepth = -1; depth--; continue; }
            if (c is '\r' or '\n') continue;
            var skipping = skipDepth >= 0 && depth >= skipDepth;
            if (c != '\\')
            {
                if (toSkip > 0) { toSkip--; continue; }
                if (!skipping) { Flush(); text.Append(c); }
                continue;
            }
            if (i + 1 >= rtf.Length) break;
            var next = (char)rtf[i + 1];
            if (next == '\'' && i + 3 < rtf.Length)
            {
                i += 3;
                if (toSkip > 0) { toSkip--; continue; }
                if (!skipping && byte.TryParse(Encoding.ASCII.GetString(rtf, i - 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
                    pending.Add(b);
                continue;
            }
            if (!char.IsAsciiLetter(next))
            {
                i++;
                if (next == '*') { if (skipDepth < 0) skipDepth = depth; continue; }
                if (skipping) continue;
                Flush();
                if (next is '\\' or '{' or '}') text.Append(next);
                else if (next == '~') text.Append(' ');
                else if (next == '_') text.Append('-');
                continue;
            }

            var start = i + 1;
            var end = start;
            while (end < rtf.Length && char.IsAsciiLetter((char)rtf[end])) end++;
            var word = Encoding.ASCII.GetString(rtf, start, end - start);
            var numberStart = end;
            if (end < rtf.Length && rtf[end] == '-') end++;
            while (end < rtf.Length && char.IsAsciiDigit((char)rtf[end])) end++;
            int? parameter = end > numberStart && int.TryParse(Encoding.ASCII.GetString(rtf, numberStart, end - numberStart), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var p) ? p : null;
            if (end < rtf.Length && rtf[end] == ' ') end++;
            i = end - 1;

            if (SkippedDestinations.Contains(word)) { if (skipDepth < 0) skipDepth = depth; continue; }
            if (word == "ansicpg" && parameter is { } cp)
            {
                try { Flush(); codePage = Encoding.GetEncoding(cp); } catch (Exception e) when (e is ArgumentException or NotSupportedException) { }
                continue;
            }
            if (word == "uc" && parameter is { } n) { unicodeSkip = Math.Max(0, n); continue; }
            if (skipping) continue;
            switch (word)
            {
                case "par" or "line" or "row":
                    Flush(); text.Append('\n'); break;
                case "tab" or "cell":
                    Flush(); text.Append('\t'); break;
                case "u" when parameter is { } code:
                    Flush(); text.Append((char)(code < 0 ? code + 65536 : code)); toSkip = unicodeSkip; break;
            }
        }
        Flush();
        return string.Join('\n', text.ToString().Split('\n').Select(l => l.TrimEnd())).Trim();
    }
}

/// <summary>
/// A cheap look at how deep HTML nests, before any parser sees it. HTML parsers (AngleSharp included) take time
/// that grows with the square of the nesting depth: 40,000 nested divs, a 240 KB mail, took 18 seconds to parse, so
/// a mail could stall the poller. Real mail stays far below <see cref="MaxDepth"/>; deeper HTML is shown as rough
/// text instead.
/// </summary>
file static class HtmlNesting
{
    public const int MaxDepth = 1_000;

    /// <summary>Elements that never nest in practice (void) or that close themselves when a sibling opens.</summary>
    private static readonly HashSet<string> Flat = new(StringComparer.OrdinalIgnoreCase)
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
        "p", "li", "td", "th", "tr", "dt", "dd", "option", "optgroup", "thead", "tbody", "tfoot", "colgroup", "caption",
        "rb", "rt", "rp", "o:p",
    };

    /// <summary>Formatting elements: a parser that meets their end tag while a block opened inside them is still open
    /// ends them but leaves the block open (the HTML standard's adoption agency), so "&lt;b&gt;&lt;div&gt;&lt;/b&gt;" nests.</summary>
    private static readonly HashSet<string> Formatting = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
    };

    /// <summary>
    /// Whether the tags nest deeper than <see cref="MaxDepth"/>, by one pass over the tags that keeps the open
    /// elements the way a parser would: an end tag closes its element and everything opened inside it, an end tag with
    /// no open element of its name closes nothing ("&lt;div&gt;&lt;/span&gt;" a hundred thousand times is that deep),
    /// and a formatting element's end tag leaves the blocks opened inside it open. Linear in the length of the HTML:
    /// the open elements never number more than <see cref="MaxDepth"/>.
    /// </summary>
    public static bool TooDeep(string html)
    {
        if (html.Length < MaxDepth * 3)
            return false;
        var open = new List<string>();
        var counts = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var i = html.IndexOf('<');
        while (i >= 0 && i + 1 < html.Length)
        {
            if (string.CompareOrdinal(html, i, "<!--", 0, 4) == 0)
            {
                var endOfComment = html.IndexOf("-->", i + 4, StringComparison.Ordinal);
                if (endOfComment < 0) break;
                i = html.IndexOf('<', endOfComment + 3);
                continue;
            }
            var closing = html[i + 1] == '/';
            var start = closing ? i + 2 : i + 1;
            var end = start;
            while (end < html.Length && (char.IsAsciiLetterOrDigit(html[end]) || html[end] is ':' or '-')) end++;
            var close = html.IndexOf('>', end);
            if (close < 0) break;
            if (end > start && char.IsAsciiLetter(html[start]) && html[start..end] is var name && !Flat.Contains(name))
            {
                if (!closing)
                {
                    if (html[close - 1] != '/')
                    {
                        open.Add(name);
                        counts[name] = counts.GetValueOrDefault(name) + 1;
                        if (open.Count > MaxDepth) return true;
                    }
                }
                else if (counts.GetValueOrDefault(name) > 0)
                {
                    var at = open.FindLastIndex(n => n.Equals(name, StringComparison.OrdinalIgnoreCase));
                    var blockInside = Formatting.Contains(name) && open.Skip(at + 1).Any(n => !Formatting.Contains(n));
                    var removeTo = blockInside ? at + 1 : open.Count;
                    for (var k = at; k < removeTo; k++) counts[open[k]]--;
                    open.RemoveRange(at, removeTo - at);
                }
            }
            i = html.IndexOf('<', close);
        }
        return false;
    }

    /// <summary>Whether a parsed tree nests deeper than twice <see cref="MaxDepth"/>: the check after parsing, for HTML
    /// whose depth <see cref="TooDeep(string)"/> underestimated, before anything walks the tree recursively.</summary>
    public static bool TooDeep(INode root)
    {
        var stack = new Stack<(INode Node, int Depth)>();
        stack.Push((root, 0));
        while (stack.Count > 0)
        {
            var (node, depth) = stack.Pop();
            if (depth > MaxDepth * 2) return true;
            foreach (var child in node.ChildNodes)
                if (child is IElement) stack.Push((child, depth + 1));
        }
        return false;
    }

    /// <summary>Elements whose content is not text (a parser reads it raw): dropped with their content.</summary>
    private static readonly string[] RawText = ["script", "style", "head", "title", "textarea", "xmp", "noscript"];

    private static readonly HashSet<string> LineEnds = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote", "pre",
    };

    /// <summary>The text of HTML without parsing it, in one pass: scripts and styles dropped, tags removed (line breaks
    /// and block ends become new lines), entities decoded, blanks collapsed. Linear, whatever the HTML holds.</summary>
    public static string RoughText(string html)
    {
        var text = new StringBuilder(html.Length);
        var i = 0;
        while (i < html.Length)
        {
            var lt = html.IndexOf('<', i);
            var gt = lt < 0 ? -1 : html.IndexOf('>', lt);
            if (gt < 0)
            {
                text.Append(html, i, html.Length - i);
                break;
            }
            text.Append(html, i, lt - i);
            var closing = lt + 1 < gt && html[lt + 1] == '/';
            var start = closing ? lt + 2 : lt + 1;
            var end = start;
            while (end < gt && char.IsAsciiLetterOrDigit(html[end])) end++;
            var name = html[start..end];
            i = gt + 1;
            if (!closing && Array.Exists(RawText, r => r.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                var endTag = html.IndexOf("</" + name, i, StringComparison.OrdinalIgnoreCase);
                var after = endTag < 0 ? -1 : html.IndexOf('>', endTag);
                i = after < 0 ? html.Length : after + 1;
                text.Append(' ');
            }
            else if (name.Equals("br", StringComparison.OrdinalIgnoreCase) || closing && LineEnds.Contains(name))
                text.Append('\n');
        }

        var result = new StringBuilder(text.Length);
        var blank = false;
        foreach (var raw in WebUtility.HtmlDecode(text.ToString()).Split('\n'))
        {
            var line = string.Join(' ', raw.Split([' ', '\t', '\r', '\f', '\u00A0'], StringSplitOptions.RemoveEmptyEntries));
            if (line.Length == 0)
            {
                blank = result.Length > 0;
                continue;
            }
            if (blank) result.Append('\n');
            result.Append(line).Append('\n');
            blank = false;
        }
        return result.ToString().TrimEnd('\n');
    }
}

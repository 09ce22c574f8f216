using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Encodings;
using MimeKit.Text;
using MimeKit.Tnef;

namespace Desk.Web.Email.Intake;

public static partial class MailContent
{
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
            if (Repairs.TryGetValue(message, out var repairs))
                _notes.AddRange(repairs);
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
            return [new TextPart("plain") { Text = DecodePreamble(multipart, preamble) }];
        }

        /// <summary>
        /// The text of a multipart that has no parts, undoing the Content-Transfer-Encoding that a script put at its top
        /// (not allowed on a multipart, but readable): quoted-printable or base64, read in the charset its Content-Type
        /// names, else as text without a label is.
        /// </summary>
        private static string DecodePreamble(Multipart multipart, string preamble)
        {
            var encoding = multipart.Headers[HeaderId.ContentTransferEncoding]?.Trim().ToLowerInvariant();
            IMimeDecoder? decoder = encoding switch
            {
                "quoted-printable" => new QuotedPrintableDecoder(),
                "base64" => new Base64Decoder(),
                _ => null,
            };
            if (decoder is null || !System.Text.Ascii.IsValid(preamble))
                return preamble;
            var input = Encoding.ASCII.GetBytes(preamble);
            var output = new byte[decoder.EstimateOutputLength(input.Length)];
            var length = decoder.Decode(input, 0, input.Length, output);
            return Charsets.Decode(output[..length], multipart.ContentType.Charset, isHtml: false);
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
                        // A forwarded mail's subject may be raw 8-bit GBK or Shift_JIS, like a top-level one.
                        var subject = CleanFileName(inner.Headers.FirstOrDefault(h => h.Id == HeaderId.Subject) is { } header
                            ? HeaderText(header) : inner.Subject);
                        var name = FileNameOf(messagePart) ?? (subject is null ? $"attachment-{index}.eml" : $"{Truncate(subject, 100)}.eml");
                        Keep(new MailAttachment(name, "message/rfc822", buffer.ToArray(), IdOf(entity), false));
                        break;
                    }
                    case MimePart part:
                    {
                        var type = part.ContentType.MimeType.ToLowerInvariant();
                        var name = FileNameOf(part) ?? Uuencoding.NameOf(part) ?? $"attachment-{index}{ExtensionFor(type)}";
                        if (part.Content is null)
                        {
                            Keep(new MailAttachment(name, type, [], IdOf(part), false));
                            break;
                        }
                        var bytes = ReadBytes(part);
                        if (bytes is { Length: 0 } && part.ContentTransferEncoding == ContentEncoding.UUEncode)
                            bytes = Uuencoding.DecodeWithoutBegin(part) ?? bytes;
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
                text = Unflow(text, deleteSpace);
            }
            return text;
        }

        /// <summary>
        /// Undoes format=flowed (RFC 3676). The signature delimiter "-- " ends in a space but is not flowed (§4.3);
        /// MimeKit's converter joins it to the next line ("-- Ana Souza"), and then no signature can be found. So the
        /// text is converted in pieces between such lines, which stay lines of their own.
        /// </summary>
        private static string Unflow(string text, bool deleteSpace)
        {
            var pieces = SignatureDelimiterLine().Split(text);
            return string.Join("\n-- \n", pieces.Select(piece => new FlowedToText { DeleteSpace = deleteSpace }.Convert(piece).TrimEnd('\r', '\n')));
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
}

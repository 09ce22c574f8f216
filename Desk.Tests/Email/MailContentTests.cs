using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Desk.Tests.Support;
using Desk.Web.Email.Intake;
using MimeKit;
using Xunit.Abstractions;
using static Desk.Tests.Support.MailSamples;

namespace Desk.Tests.Email;

/// <summary>
/// <see cref="MailContent"/>: what the desk keeps of a raw mail (text, safe HTML, attachments), against public corpora
/// and hand-made mail: its structure and attachments, and what <see cref="MailContent.Parse"/> refuses. Charsets, HTML
/// safety, nesting and winmail.dat have their own classes beside this one.
/// </summary>
public sealed class MailContentTests(ITestOutputHelper output)
{
    static MailContentTests() => MailContent.RegisterEncodings();

    // ---- Stalwart mail-parser: each .eml with the JSON parse tree stalwart produces ----------------------------

    /// <summary>
    /// Where Desk and stalwart read a message differently, on purpose or because MimeKit and stalwart split broken
    /// structure differently. The skipped checks are named; for these files the test then checks instead that every
    /// text stalwart found (body or attachment) is somewhere in what Desk keeps, unless the reason says why not.
    /// The maildir folder of that corpus holds no messages (its two files are two-byte placeholders), so only
    /// resources/eml is used.
    /// </summary>
    private static readonly Dictionary<string, (Check Skipped, string Reason)> StalwartExceptions = new(StringComparer.Ordinal)
    {
        ["legacy/017.eml"] = (Check.Attachments, UuencodedParts),
        ["legacy/048.eml"] = (Check.Attachments, UuencodedParts),
        ["legacy/049.eml"] = (Check.Text | Check.Attachments,
            "Desk unpacks the uuencoded 'begin 666 name' blocks inside the text into three PNG attachments; stalwart leaves them in the text."),
        ["thirdparty/002.eml"] = (Check.Attachments | Check.NoKeptCheck,
            "The third text part's base64 is invalid ('?garbage'): stalwart files it undecoded as an attachment, MimeKit decodes what it can and Desk shows that with the text."),
        ["thirdparty/015.eml"] = (Check.Attachments,
            "Three forwarded messages: stalwart lists only the first as an attachment (the other two sit inside it for stalwart); MimeKit ends each at the outer boundary and Desk keeps three .eml files."),
        ["malformed/001.eml"] = (Check.All, BrokenBoundaries),
        ["malformed/002.eml"] = (Check.All, BrokenBoundaries + " Here no boundary line matches: Desk shows the preamble as the text, stalwart files it as an attachment."),
        ["malformed/003.eml"] = (Check.All, BrokenBoundaries),
        ["malformed/004.eml"] = (Check.All, BrokenBoundaries + " Here no boundary line matches: Desk shows the preamble as the text, stalwart files it as an attachment."),
        ["malformed/006.eml"] = (Check.All, BrokenBoundaries),
        ["malformed/007.eml"] = (Check.All, BrokenBoundaries),
        ["malformed/008.eml"] = (Check.All, BrokenBoundaries),
        ["malformed/009.eml"] = (Check.All, BrokenBoundaries),
        ["malformed/011.eml"] = (Check.All, BrokenBoundaries),
        ["malformed/012.eml"] = (Check.All, BrokenBoundaries),
        ["malformed/016.eml"] = (Check.All, BrokenBoundaries),
        ["malformed/020.eml"] = (Check.All | Check.NoKeptCheck, BrokenAlternative),
        ["malformed/021.eml"] = (Check.All | Check.NoKeptCheck, BrokenAlternative),
    };

    private const string UuencodedParts =
        "stalwart keeps x-uuencode parts encoded (its sizes are those of the uuencoded text); Desk decodes them to the files.";

    private const string BrokenBoundaries =
        "Dovecot's broken-boundary cases (a boundary that is a prefix of another, repeated, or missing): MimeKit and stalwart nest the parts differently.";

    private const string BrokenAlternative =
        "The multipart/alternative's header block runs into its text part (no blank line). Stalwart makes the whole alternative one text "
        + "holding the raw MIME lines; MimeKit reads the text/plain headers as the alternative's own and its text as the preamble, so Desk "
        + "shows the HTML alternative (the text 'Plain Text' / 'áóúäöüß' is only in the original). Nothing comparable is left.";

    [Flags]
    private enum Check
    {
        None = 0,
        Text = 1,
        Html = 2,
        Attachments = 4,
        All = Text | Html | Attachments,
        NoKeptCheck = 8,
    }

    public static TheoryData<string> StalwartMessages() =>
        CorpusFiles(Path.Combine("stalwart-mail-parser", "resources", "eml"), f => f.EndsWith(".eml", StringComparison.Ordinal));

    [CorpusTheory]
    [MemberData(nameof(StalwartMessages))]
    public void Extract_StalwartMessage_MatchesItsParseTree(string file)
    {
        var path = Corpora.Path("stalwart-mail-parser", "resources", "eml", file);
        var expected = StalwartTree.Load(Path.ChangeExtension(path, ".json"));
        var body = MailContent.Extract(MailContent.Parse(File.ReadAllBytes(path)));
        var skipped = StalwartExceptions.TryGetValue(file, out var exception) ? exception.Skipped : Check.None;

        if (!skipped.HasFlag(Check.Text))
        {
            var text = Collapse(body.Text);
            foreach (var part in expected.TextParts.Select(Collapse).Where(p => p.Length > 0))
                Assert.True(Contains(text, part), $"{file}: the text lacks stalwart's text part:\n{part}\n---- Desk's text:\n{text}");
        }
        if (!skipped.HasFlag(Check.Html))
            Assert.True(expected.HasHtml == (body.Html is not null), $"{file}: stalwart {(expected.HasHtml ? "has" : "has no")} HTML body; Desk's Html is {(body.Html is null ? "null" : "set")}.");
        if (!skipped.HasFlag(Check.Attachments))
        {
            var described = string.Join(", ", body.Attachments.Select(a => $"{a.FileName} ({a.Content.Length})"));
            Assert.True(expected.Attachments.Count == body.Attachments.Count,
                $"{file}: stalwart has {expected.Attachments.Count} attachments ({string.Join(", ", expected.Attachments.Select(a => $"{a.Name} ({a.Size})"))}); Desk has {described}.");
            foreach (var attachment in expected.Attachments.Where(a => a.Name is not null))
            {
                var match = body.Attachments.FirstOrDefault(a => SameName(attachment.Name!, a.FileName) && SameSize(attachment.Size, a));
                Assert.True(match is not null, $"{file}: no attachment named {attachment.Name} of {attachment.Size?.ToString() ?? "any"} bytes among {described}.");
            }
        }
        if (skipped != Check.None && !skipped.HasFlag(Check.NoKeptCheck))
        {
            // What Desk reads differently must still keep what stalwart found: every text part stalwart saw (body or
            // attachment) is in Desk's text, its HTML or one of its attachments.
            var kept = Collapse(string.Join("\n", [body.Text, body.Html ?? "", .. body.Attachments.Select(a => Encoding.UTF8.GetString(a.Content))]));
            // Line by line, leaving out MIME syntax that stalwart kept inside a text when it missed a boundary.
            var lines = expected.AllTexts.SelectMany(t => UuencodedBlock.Replace(t, "").Split('\n')).Select(Collapse)
                .Where(l => l.Length > 0 && !l.StartsWith("--", StringComparison.Ordinal) && !l.StartsWith("Content-", StringComparison.OrdinalIgnoreCase));
            foreach (var line in lines)
                Assert.True(Contains(kept, line) || Contains(kept, Collapse(HtmlDecodeAndStrip(line))), $"{file}: Desk lost stalwart's text:\n{line}");
            output.WriteLine($"Read differently from stalwart ({skipped}): {exception.Reason}");
        }
    }

    private static readonly Regex UuencodedBlock = new(@"^begin [0-7]{3,4} .*?^end$", RegexOptions.Multiline | RegexOptions.Singleline);

    /// <summary>Whitespace runs (line breaks of flowed text, CRs stalwart keeps) fold to one space; NULs go, as Desk drops them.</summary>
    private static string Collapse(string text) => Regex.Replace(text.Replace("\0", "", StringComparison.Ordinal), @"\s+", " ").Trim();

    private static string HtmlDecodeAndStrip(string html) => System.Net.WebUtility.HtmlDecode(Regex.Replace(html, "<[^>]*>", " "));

    /// <summary>Stalwart shows bytes it could not decode as U+FFFD; Desk guesses their charset, so U+FFFD matches any one character.</summary>
    private static bool Contains(string text, string part) =>
        part.Contains('\uFFFD', StringComparison.Ordinal)
            ? Regex.IsMatch(text, string.Join(".", part.Split('\uFFFD').Select(Regex.Escape)))
            : text.Contains(part, StringComparison.Ordinal);

    /// <summary>Stalwart drops the CRs of parts sent without a transfer encoding, and re-serialised .eml files are not
    /// byte-for-byte their source, so those compare without CRs and message/* not by size at all.</summary>
    private static bool SameSize(int? expected, MailAttachment actual) =>
        expected is null || actual.ContentType.StartsWith("message/", StringComparison.Ordinal)
        || actual.Content.Length == expected || actual.Content.Count(b => b != '\r') == expected;

    /// <summary>Names stalwart could not decode carry U+FFFD; that character matches any one character.</summary>
    private static bool SameName(string expected, string actual) =>
        expected.Contains('\uFFFD', StringComparison.Ordinal)
            ? Regex.IsMatch(actual, "^" + string.Join(".", expected.Split('\uFFFD').Select(Regex.Escape)) + "$")
            : string.Equals(expected, actual, StringComparison.Ordinal);

    private static string Normalise(string text) =>
        string.Join("\n", text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n').Select(l => l.TrimEnd()))
            .Trim();

    /// <summary>What stalwart's JSON says a message holds: the text of its text-body parts, whether an HTML part is
    /// in its HTML body, and its attachments' names and sizes (bytes for binary parts; text parts are compared by name
    /// only, their size depends on the charset).</summary>
    private sealed record StalwartTree(IReadOnlyList<string> TextParts, IReadOnlyList<string> AllTexts, bool HasHtml, IReadOnlyList<(string? Name, int? Size)> Attachments)
    {
        public static StalwartTree Load(string jsonPath)
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(jsonPath));
            var root = json.RootElement;
            var parts = root.GetProperty("parts");
            var texts = new List<string>();
            foreach (var index in root.GetProperty("text_body").EnumerateArray())
                if (parts[index.GetInt32()].GetProperty("body").TryGetProperty("Text", out var text))
                    texts.Add(text.GetString() ?? "");
            var allTexts = parts.EnumerateArray()
                .Select(p => p.GetProperty("body"))
                .Select(b => b.TryGetProperty("Text", out var t) ? t.GetString() : b.TryGetProperty("Html", out var h) ? h.GetString() : null)
                .OfType<string>().ToList();
            var hasHtml = root.GetProperty("html_body").EnumerateArray().Any(i => parts[i.GetInt32()].GetProperty("body").TryGetProperty("Html", out _));
            var attachments = root.GetProperty("attachments").EnumerateArray().Select(i =>
            {
                var part = parts[i.GetInt32()];
                var body = part.GetProperty("body");
                int? size = body.TryGetProperty("Binary", out var binary) ? binary.GetArrayLength()
                    : body.TryGetProperty("InlineBinary", out var inline) ? inline.GetArrayLength() : null;
                return (NameOf(part), size);
            }).ToList();
            return new StalwartTree(texts, allTexts, hasHtml, attachments);
        }

        private static string? NameOf(JsonElement part)
        {
            string? fromType = null, fromDisposition = null;
            foreach (var header in part.GetProperty("headers").EnumerateArray())
            {
                // Unknown headers are named {"other": "X-Mailer"}; a header stalwart could not read has the value "Empty".
                var name = header.GetProperty("name") is { ValueKind: JsonValueKind.String } known ? known.GetString() : null;
                if (name is not ("content_type" or "content_disposition")) continue;
                if (header.GetProperty("value") is not { ValueKind: JsonValueKind.Object } value || !value.TryGetProperty("ContentType", out var type)) continue;
                if (type.GetProperty("attributes") is not { ValueKind: JsonValueKind.Array } attributes) continue;
                foreach (var attribute in attributes.EnumerateArray())
                {
                    var key = attribute.GetProperty("name").GetString();
                    if (name == "content_disposition" && key == "filename") fromDisposition = attribute.GetProperty("value").GetString();
                    if (name == "content_type" && key == "name") fromType = attribute.GetProperty("value").GetString();
                }
            }
            return fromDisposition ?? fromType;
        }
    }

    // ---- Robustness: broken and odd real-world mail -----------------------------------------------------------

    public static TheoryData<string> OddMessages()
    {
        var data = new TheoryData<string>();
        foreach (var file in CorpusFiles(Path.Combine("ruby-mail-gem", "spec", "fixtures"), LooksLikeMail))
            data.Add(Path.Combine("ruby-mail-gem", "spec", "fixtures", file));
        foreach (var file in CorpusFiles(Path.Combine("spamscope-mail-parser", "tests"), f => !Path.GetFileName(f).StartsWith('.')))
            data.Add(Path.Combine("spamscope-mail-parser", "tests", file));
        return data;
    }

    /// <summary>Mail in the ruby fixtures is .eml or has no extension; the rest are attachments' originals and git files.</summary>
    private static bool LooksLikeMail(string file) =>
        !Path.GetFileName(file).StartsWith('.') && Path.GetExtension(file) is ".eml" or "";

    [CorpusTheory]
    [MemberData(nameof(OddMessages))]
    public void Extract_OddRealWorldMessage_NeverThrowsAndShowsNoActiveContent(string file)
    {
        var raw = File.ReadAllBytes(Corpora.Path(file));
        MimeMessage message;
        try
        {
            message = MailContent.Parse(raw);
        }
        catch (MailParseException e)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
            output.WriteLine($"refused: {e.Message}");
            return;
        }
        var body = MailContent.Extract(message);
        Assert.NotNull(body.Text);
        AssertInert(body.Html);
        output.WriteLine($"{body.Text.Length} characters of text, HTML {(body.Html is null ? "none" : body.Html.Length + " characters")}, "
            + $"{body.Attachments.Count} attachments, notes: {string.Join(" ", body.Notes)}");
    }

    // ---- Structure and attachments -----------------------------------------------------------------------------------

    [Fact]
    public void Extract_RelatedHtmlWithCidPicture_KeepsThePictureAsInlineAttachment()
    {
        var builder = new BodyBuilder { TextBody = "See the photo.", HtmlBody = "<p>See the photo:</p><img src=\"cid:kettle@customer\" alt=\"kettle\">" };
        var picture = builder.LinkedResources.Add("kettle.jpg", [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3], ContentType.Parse("image/jpeg"));
        picture.ContentId = "kettle@customer";
        builder.Attachments.Add("receipt.pdf", "%PDF-1.4 receipt"u8.ToArray(), ContentType.Parse("application/pdf"));
        var message = Message(builder.ToMessageBody());

        var body = MailContent.Extract(MailContent.Parse(Bytes(message)));

        Assert.Equal("See the photo.", body.Text);
        Assert.Contains("<img src=\"cid:kettle@customer\" alt=\"kettle\">", body.Html, StringComparison.Ordinal);
        var kettle = Assert.Single(body.Attachments, a => a.FileName == "kettle.jpg");
        Assert.True(kettle.Inline);
        Assert.Equal("kettle@customer", kettle.ContentId);
        Assert.Equal("image/jpeg", kettle.ContentType);
        Assert.Equal([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3], kettle.Content);
        var receipt = Assert.Single(body.Attachments, a => a.FileName == "receipt.pdf");
        Assert.False(receipt.Inline);
        Assert.Equal("%PDF-1.4 receipt"u8.ToArray(), receipt.Content);
    }

    [Fact]
    public void Extract_TextPartThatCannotBeDecoded_BecomesANoteAndTheRestStays()
    {
        var mixed = new Multipart("mixed")
        {
            new TextPart("plain") { Text = "The kettle leaks." },
            new TextPart("plain") { Content = new MimeContent(new UnreadableStream()) },
            new TextPart("html") { Text = "<p>Order 1234.</p>" },
        };

        var body = MailContent.Extract(Message(mixed));

        Assert.Equal("The kettle leaks.\nOrder 1234.", body.Text);
        Assert.Contains("Order 1234.", body.Html, StringComparison.Ordinal);
        Assert.Single(body.Notes, n => n.Contains("text/plain", StringComparison.Ordinal) && n.Contains("disk gone", StringComparison.Ordinal));
    }

    /// <summary>A stream whose bytes cannot be read, as when a message's backing store fails mid-read.</summary>
    private sealed class UnreadableStream() : MemoryStream([1, 2, 3])
    {
        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("disk gone");

        public override int Read(Span<byte> buffer) => throw new IOException("disk gone");
    }

    [Fact]
    public void Extract_PictureShownByContentLocation_IsKeptAndResolvedLikeACidPicture()
    {
        // Apple Mail and Outlook's web-page mails name pictures by Content-Location instead of cid:.
        var raw = Mail("Content-Type: multipart/related; boundary=b", Encoding.ASCII.GetBytes(
            "--b\r\nContent-Type: text/html\r\n\r\n<p>Photo: <img src=\"kettle.jpg\" alt=\"kettle\"> <img src=\"http://tracker.example/p.gif\" alt=\"pixel\"></p>\r\n"
            + "--b\r\nContent-Type: image/jpeg\r\nContent-Location: kettle.jpg\r\nContent-Transfer-Encoding: base64\r\n\r\n/9j/4AEC\r\n--b--\r\n"));

        var body = MailContent.Extract(MailContent.Parse(raw));

        var kettle = Assert.Single(body.Attachments);
        Assert.True(kettle.Inline);
        Assert.Equal("location-1@desk.invalid", kettle.ContentId);
        Assert.Equal([0xFF, 0xD8, 0xFF, 0xE0, 0x01, 0x02], kettle.Content);
        var resolved = MailContent.ResolveInlineImages(body.Html!, id => id == kettle.ContentId ? "/tickets/7/attachments/12" : null);
        Assert.Equal("<p>Photo: <img src=\"/tickets/7/attachments/12\" alt=\"kettle\"> pixel</p>", resolved);
    }

    [Fact]
    public void Extract_PictureShownByAbsoluteUrlUnderContentBase_UsesItsOwnContentId()
    {
        var raw = Mail("Content-Type: multipart/related; boundary=b\r\nContent-Base: http://shop.example/mail/", Encoding.ASCII.GetBytes(
            "--b\r\nContent-Type: text/html\r\n\r\n<img src=\"http://shop.example/mail/images/receipt.png\" alt=\"receipt\">\r\n"
            + "--b\r\nContent-Type: image/png\r\nContent-ID: <receipt@shop>\r\nContent-Location: images/receipt.png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw==\r\n--b--\r\n"));

        var body = MailContent.Extract(MailContent.Parse(raw));

        Assert.Equal("<img src=\"cid:receipt%40shop\" alt=\"receipt\">", body.Html);
        var receipt = Assert.Single(body.Attachments);
        Assert.Equal(("receipt@shop", true), (receipt.ContentId, receipt.Inline));
    }

    [Fact]
    public void Extract_AttachmentOverTheLimit_BecomesANote()
    {
        var builder = new BodyBuilder { TextBody = "Scan attached." };
        builder.Attachments.Add("scan.tif", new byte[3 * 1024 * 1024 + 300 * 1024], ContentType.Parse("image/tiff"));
        builder.Attachments.Add("small.txt", "ok"u8.ToArray(), ContentType.Parse("text/plain"));

        var body = MailContent.Extract(MailContent.Parse(Bytes(Message(builder.ToMessageBody()))), maxAttachmentBytes: 2 * 1024 * 1024);

        Assert.Equal(["small.txt"], body.Attachments.Select(a => a.FileName));
        Assert.Equal(["\"scan.tif\" (3.3 MB) is larger than the 2 MB limit and was not kept; the original mail is."], body.Notes);
    }

    [Fact]
    public void Extract_FileNameWithMarkup_ComesThroughAsPlainData()
    {
        const string name = "<script>alert(1)</script><img src=x onerror=alert(2)>.pdf";
        var raw = Mail("Content-Type: multipart/mixed; boundary=\"b\"", Encoding.ASCII.GetBytes(
            "--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
            + "--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"<script>alert(1)</script><img src=x onerror=alert(2)>.pdf\"\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\nAQID\r\n--b--\r\n"));

        var body = MailContent.Extract(MailContent.Parse(raw));

        Assert.Equal(name, Assert.Single(body.Attachments).FileName);
    }

    [Fact]
    public void Extract_EncodedChineseFileNames_AreDecoded()
    {
        var raw = Mail("Content-Type: multipart/mixed; boundary=\"b\"", Encoding.ASCII.GetBytes(
            "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nsee files\r\n"
            + "--b\r\nContent-Type: application/pdf; name=\"=?gb2312?B?" + Convert.ToBase64String(Gbk.GetBytes("发票.pdf")) + "?=\"\r\nContent-Transfer-Encoding: base64\r\n\r\nAQID\r\n"
            + "--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename*=UTF-8''%E7%85%A7%E7%89%87.jpg\r\nContent-Transfer-Encoding: base64\r\n\r\nAQID\r\n"
            + "--b--\r\n"));

        var body = MailContent.Extract(MailContent.Parse(raw));

        Assert.Equal(["发票.pdf", "照片.jpg"], body.Attachments.Select(a => a.FileName));
    }

    [Fact]
    public void Extract_AttachmentWithoutName_IsNamedByPositionAndType()
    {
        var raw = Mail("Content-Type: multipart/mixed; boundary=\"b\"", Encoding.ASCII.GetBytes(
            "--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
            + "--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment\r\nContent-Transfer-Encoding: base64\r\n\r\nAQID\r\n"
            + "--b--\r\n"));

        var body = MailContent.Extract(MailContent.Parse(raw));

        Assert.Equal("attachment-1.pdf", Assert.Single(body.Attachments).FileName);
    }

    [Fact]
    public void Extract_ForwardedMessage_IsAnEmlAttachmentNotPartOfTheText()
    {
        var inner = Message(new TextPart("plain") { Text = "The forwarded words." });
        inner.Subject = "Order 123";
        var outer = Message(new Multipart("mixed") { new TextPart("plain") { Text = "See below." }, new MessagePart { Message = inner } });

        var body = MailContent.Extract(MailContent.Parse(Bytes(outer)));

        Assert.Equal("See below.", body.Text);
        var eml = Assert.Single(body.Attachments);
        Assert.Equal("Order 123.eml", eml.FileName);
        Assert.Equal("message/rfc822", eml.ContentType);
        Assert.Contains("The forwarded words.", Encoding.UTF8.GetString(eml.Content), StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_UuencodedBlockInText_BecomesAnAttachment()
    {
        var block = "begin 644 note.txt\r\n" + "+:&5L;&\\@=V]R;&0`\r\n`\r\nend\r\n";
        var raw = Mail("Content-Type: text/plain; charset=us-ascii", Encoding.ASCII.GetBytes("Please see the file.\r\n\r\n" + block + "\r\nThanks."));

        var body = MailContent.Extract(MailContent.Parse(raw));

        var file = Assert.Single(body.Attachments);
        Assert.Equal("note.txt", file.FileName);
        Assert.Equal("hello world"u8.ToArray(), file.Content);
        Assert.DoesNotContain("begin 644", body.Text, StringComparison.Ordinal);
        Assert.Contains("Thanks.", body.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_XUuencodePart_IsDecoded()
    {
        var raw = Mail("Content-Type: multipart/mixed; boundary=\"b\"", Encoding.ASCII.GetBytes(
            "--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
            + "--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\nbegin 644 note.txt\r\n+:&5L;&\\@=V]R;&0`\r\n`\r\nend\r\n"
            + "--b--\r\n"));

        var body = MailContent.Extract(MailContent.Parse(raw));

        var file = Assert.Single(body.Attachments);
        Assert.Equal("note.txt", file.FileName);
        Assert.Equal("hello world"u8.ToArray(), file.Content);
    }

    [Fact]
    public void Extract_XUuencodePartWithoutABeginLine_IsDecodedNotEmpty()
    {
        var raw = Mail("Content-Type: multipart/mixed; boundary=\"b\"", Encoding.ASCII.GetBytes(
            "--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
            + "--b\r\nContent-Type: application/octet-stream; name=note.txt\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\n+:&5L;&\\@=V]R;&0`\r\n`\r\nend\r\n"
            + "--b--\r\n"));

        var body = MailContent.Extract(MailContent.Parse(raw));

        var file = Assert.Single(body.Attachments);
        Assert.Equal("note.txt", file.FileName);
        Assert.Equal("hello world"u8.ToArray(), file.Content);
    }

    [Theory]
    [InlineData("quoted-printable", "Caf=C3=A9 au lait: the cup arrived =\r\nbroken.=0D=0APlease refund.")]
    [InlineData("base64", "Q2Fmw6kgYXUgbGFpdDogdGhlIGN1cCBhcnJpdmVkIGJyb2tlbi4NClBsZWFzZSByZWZ1bmQu")]
    public void Extract_MultipartWithoutBoundaryLinesAndAnEncodingAtTheTop_ShowsTheDecodedText(string encoding, string content)
    {
        var raw = Mail($"Content-Type: multipart/mixed; boundary=\"never-used\"; charset=utf-8\r\nContent-Transfer-Encoding: {encoding}",
            Encoding.ASCII.GetBytes(content + "\r\n"));

        var body = MailContent.Extract(MailContent.Parse(raw));

        Assert.Equal("Café au lait: the cup arrived broken.\nPlease refund.", body.Text.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    // ---- Parse --------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Parse_NotAMail_ThrowsMailParseExceptionWithAReason(int sample)
    {
        var random = new Random(sample);
        var bytes = sample switch
        {
            0 => [],
            1 => "\r\n\r\n  \r\n"u8.ToArray(),
            2 => Enumerable.Range(0, 4096).Select(_ => (byte)random.Next(256)).ToArray(),
            3 => "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"u8.ToArray(),
            _ => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0], // an Outlook .msg
        };

        var e = Assert.Throws<MailParseException>(() => MailContent.Parse(bytes));

        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    [Theory]
    [InlineData("text/plain; charset=utf-8", "Hello\0 there,\n\nthe kettle\0 leaks.", "Hello there,\n\nthe kettle leaks.")]
    [InlineData("text/html; charset=utf-8", "<p>Hello\0 there,</p>\n\n<p>the kettle\0 leaks.</p>", "Hello there,\n\nthe kettle leaks.")]
    public void Extract_NulCharactersInTheBody_AreDropped(string contentType, string content, string expected)
    {
        // CRLF headers, and a body with NUL characters and a bare LF blank line within the first 4 KB.
        var raw = Mail($"Content-Type: {contentType}\r\nContent-Transfer-Encoding: 8bit", Encoding.UTF8.GetBytes(content));

        var body = MailContent.Extract(MailContent.Parse(raw));

        Assert.Equal(expected, body.Text);
        Assert.DoesNotContain('\0', body.Html ?? "");
    }

    [Fact]
    public void Parse_MailWithAUtf8ByteOrderMarkInFront_ReadsItsHeaders()
    {
        var raw = Mail("Content-Type: text/plain; charset=utf-8", "Hello"u8.ToArray());

        var message = MailContent.Parse([0xEF, 0xBB, 0xBF, .. raw]);

        Assert.Equal("customer@example.com", message.From.Mailboxes.Single().Address);
        Assert.Equal("Test", message.Subject);
        Assert.Equal("Hello", MailContent.Extract(message).Text);
    }

    [Fact]
    public void Parse_OldMacLineEndings_ReadsHeadersAndBody()
    {
        var raw = Encoding.ASCII.GetBytes("From: a@example.com\rTo: desk@example.com\rSubject: Mac mail\rContent-Type: text/plain\r\rline one\rline two\r");

        var message = MailContent.Parse(raw);

        Assert.Equal("Mac mail", message.Subject);
        Assert.Equal("line one\nline two", MailContent.Extract(message).Text);
    }
}

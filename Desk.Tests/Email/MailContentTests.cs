using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Desk.Tests.Support;
using Desk.Web.Email.Intake;
using MimeKit;
using Xunit.Abstractions;

namespace Desk.Tests.Email;

/// <summary>
/// <see cref="MailContent"/>: what the desk keeps of a raw mail (text, safe HTML, attachments), against three public
/// corpora and hand-made mail in the charsets our customers write in.
/// </summary>
public sealed class MailContentTests(ITestOutputHelper output)
{
    private static readonly Encoding Gbk;

    static MailContentTests()
    {
        MailContent.RegisterEncodings();
        Gbk = Encoding.GetEncoding(936);
    }

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

    // ---- TNEF (winmail.dat) ------------------------------------------------------------------------------------

    public static TheoryData<string> TnefSamples() =>
        CorpusFiles(Path.Combine("mimekit", "UnitTests", "TestData", "tnef"), f => f.EndsWith(".tnef", StringComparison.Ordinal)
            && File.Exists(Corpora.Path("mimekit", "UnitTests", "TestData", "tnef", Path.ChangeExtension(f, ".list"))));

    /// <summary>
    /// Each X.tnef comes with X.list, the names tnef(1) extracts (body.rtf/body.html being the body, not files), and
    /// often a folder X/ holding the extracted files (message.* being the body). The TNEF is sent as winmail.dat in a
    /// mail with no other body, as Outlook does.
    /// </summary>
    [CorpusTheory]
    [MemberData(nameof(TnefSamples))]
    public void Extract_WinmailDat_UnpacksTheExpectedAttachments(string file)
    {
        var folder = Corpora.Path("mimekit", "UnitTests", "TestData", "tnef");
        var tnef = File.ReadAllBytes(Path.Combine(folder, file));
        var message = new MimeMessage { Subject = "TNEF" };
        message.From.Add(MailboxAddress.Parse("customer@example.com"));
        message.Body = new Multipart("mixed")
        {
            new MimePart("application", "ms-tnef")
            {
                FileName = "winmail.dat", ContentTransferEncoding = ContentEncoding.Base64, Content = new MimeContent(new MemoryStream(tnef)),
            },
        };

        var body = MailContent.Extract(MailContent.Parse(Bytes(message)));

        var names = body.Attachments.Select(a => a.FileName).ToList();
        output.WriteLine($"attachments: {string.Join(" | ", names)}; notes: {string.Join(" ", body.Notes)}");
        var list = File.ReadAllLines(Path.Combine(folder, Path.ChangeExtension(file, ".list"))).Where(l => l.Length > 0).ToList();
        if (list.Count == 0)
        {
            // tnef(1) finds nothing in it either: kept as it came, and the agent is told.
            Assert.Equal(tnef, Assert.Single(body.Attachments, a => a.FileName == "winmail.dat").Content);
            Assert.Contains(body.Notes, n => n.Contains("nothing Desk could read", StringComparison.Ordinal));
            return;
        }
        Assert.DoesNotContain("winmail.dat", names);
        foreach (var expected in list)
        {
            if (expected is "body.rtf" or "body.html")
                continue;
            Assert.Contains(expected, names);
        }
        var extracted = Path.Combine(folder, Path.GetFileNameWithoutExtension(file));
        if (!Directory.Exists(extracted))
            return;
        foreach (var expectedFile in Directory.GetFiles(extracted))
        {
            var name = Path.GetFileName(expectedFile);
            if (name.StartsWith("message.", StringComparison.Ordinal))
            {
                Assert.False(string.IsNullOrWhiteSpace(body.Text), $"{file}: the TNEF body ({name}) gave no text.");
                if (name == "message.html") Assert.NotNull(body.Html);
                continue;
            }
            // git stored the text files of these folders with LF line ends; the TNEF holds them with CRLF.
            var content = File.ReadAllBytes(expectedFile);
            Assert.True(body.Attachments.Any(a => a.Content.AsSpan().SequenceEqual(content) || a.Content.Where(b => b != '\r').SequenceEqual(content)),
                $"{file}: no attachment has the bytes of {name}.");
        }
    }

    [Theory]
    [InlineData("See attached.")]
    [InlineData(null)]
    public void Extract_WinmailDatHoldingNothingReadable_IsKeptAsItCameWithANote(string? text)
    {
        // A TNEF stream with its signature and key and nothing else: it unpacks to an empty message.
        byte[] tnef = [0x78, 0x9F, 0x3E, 0x22, 0x00, 0x00, 0x01];
        var mixed = new Multipart("mixed");
        if (text is not null) mixed.Add(new TextPart("plain") { Text = text });
        mixed.Add(new MimePart("application", "ms-tnef") { FileName = "winmail.dat", ContentTransferEncoding = ContentEncoding.Base64, Content = new MimeContent(new MemoryStream(tnef)) });

        var body = MailContent.Extract(MailContent.Parse(Bytes(Message(mixed))));

        var kept = Assert.Single(body.Attachments);
        Assert.Equal("winmail.dat", kept.FileName);
        Assert.Equal(tnef, kept.Content);
        Assert.Contains(body.Notes, n => n.Contains("\"winmail.dat\"", StringComparison.Ordinal) && n.Contains("nothing Desk could read", StringComparison.Ordinal));
        Assert.Equal(text ?? "", body.Text);
    }

    // ---- Charsets ------------------------------------------------------------------------------------------------

    [Fact]
    public void Extract_Gb2312LabelHoldingGbkCharacter_DecodesAsGb18030()
    {
        // 镕 (E9 46 in GBK) is not in GB2312: its trail byte 0x46 is below GB2312's A1–FE. Clients label such text gb2312 anyway.
        const string text = "总理朱镕基说：质量第一。董祎";
        var raw = Mail("Content-Type: text/plain; charset=gb2312\r\nContent-Transfer-Encoding: base64", Base64(Gbk.GetBytes(text)));

        var body = MailContent.Extract(MailContent.Parse(raw));

        Assert.Equal(text, body.Text);
    }

    [Fact]
    public void Parse_Gb2312EncodedWordSubjectHoldingGbkCharacter_DecodesRight()
    {
        var raw = Mail($"Subject: =?gb2312?B?{Convert.ToBase64String(Gbk.GetBytes("朱镕基的投诉"))}?=\r\nContent-Type: text/plain", "x"u8.ToArray(), subject: null);

        Assert.Equal("朱镕基的投诉", MailContent.Parse(raw).Subject);
    }

    [Fact]
    public void Parse_RawGbkSubject_DecodesAsChinese()
    {
        byte[] raw = [.. "Subject: "u8, .. Gbk.GetBytes("我的订单没有到货"), .. "\r\nContent-Type: text/plain\r\n"u8];

        Assert.Equal("我的订单没有到货", MailContent.Parse(Mail(Encoding.Latin1.GetString(raw).TrimEnd(), "x"u8.ToArray(), subject: null)).Subject);
    }

    [Fact]
    public void Parse_RawGbkSubjectAndSenderName_AreReadAsChinese()
    {
        // 镕 is E9 46 in GBK: MimeKit splits a raw name at the ASCII "F" and reads the halves as Latin-1.
        byte[] raw =
        [
            .. "From: "u8, .. Gbk.GetBytes("朱镕基"), .. " <zhu@example.com>\r\nTo: "u8, .. Gbk.GetBytes("客服中心"), .. " <desk@example.com>, other@example.com\r\n"u8,
            .. "Cc: \""u8, .. Gbk.GetBytes("王小明"), .. "\"\r\n <wang@example.com>\r\nSubject: "u8, .. Gbk.GetBytes("投诉：电视机屏幕破损"), .. "\r\n"u8,
            .. "Content-Type: text/plain; charset=gbk\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"u8, .. Gbk.GetBytes("屏幕有裂痕。"),
        ];

        var message = MailContent.Parse(raw);

        Assert.Equal("投诉：电视机屏幕破损", message.Subject);
        var from = message.From.Mailboxes.Single();
        Assert.Equal(("朱镕基", "zhu@example.com"), (from.Name, from.Address));
        Assert.Equal(["客服中心 <desk@example.com>", "other@example.com"], message.To.Mailboxes.Select(m => string.IsNullOrEmpty(m.Name) ? m.Address : $"{m.Name} <{m.Address}>"));
        Assert.Equal("王小明", message.Cc.Mailboxes.Single().Name);
        Assert.Equal("屏幕有裂痕。", MailContent.Extract(message).Text);
    }

    [Fact]
    public void Parse_RawLatin1SubjectAndName_StayLatin1()
    {
        var raw = Encoding.Latin1.GetBytes("From: Jürgen Müller <jm@example.com>\r\nSubject: Grüße aus Köln\r\n\r\nHallo");

        var message = MailContent.Parse(raw);

        Assert.Equal("Grüße aus Köln", message.Subject);
        Assert.Equal("Jürgen Müller", message.From.Mailboxes.Single().Name);
    }

    [Fact]
    public void Extract_Gb18030TextAndSubject_DecodeRight()
    {
        const string text = "投诉：货物𠮷损坏，请退款 €25。"; // 𠮷 is a four-byte GB18030 sequence
        var gb18030 = Encoding.GetEncoding("gb18030");
        var raw = Mail($"Subject: =?gb18030?B?{Convert.ToBase64String(gb18030.GetBytes("退款申请𠮷"))}?=\r\nContent-Type: text/plain; charset=GB18030\r\nContent-Transfer-Encoding: base64",
            Base64(gb18030.GetBytes(text)), subject: null);

        var message = MailContent.Parse(raw);
        var body = MailContent.Extract(message);

        Assert.Equal("退款申请𠮷", message.Subject);
        Assert.Equal(text, body.Text);
    }

    [Fact]
    public void Extract_Big5TextAndSubject_DecodeRight()
    {
        const string text = "繁體中文的投訴：產品壞了。";
        var big5 = Encoding.GetEncoding("big5");
        var raw = Mail($"Subject: =?big5?B?{Convert.ToBase64String(big5.GetBytes("繁體主題"))}?=\r\nContent-Type: text/plain; charset=big5\r\nContent-Transfer-Encoding: 8bit",
            big5.GetBytes(text), subject: null);

        var message = MailContent.Parse(raw);
        var body = MailContent.Extract(message);

        Assert.Equal("繁體主題", message.Subject);
        Assert.Equal(text, body.Text);
    }

    [Fact]
    public void Extract_Iso2022JpTextAndSubject_DecodeRight()
    {
        const string text = "日本語のテキストです。商品が壊れていました。";
        var jis = Encoding.GetEncoding("iso-2022-jp");
        var raw = Mail($"Subject: =?ISO-2022-JP?B?{Convert.ToBase64String(jis.GetBytes("日本語の件名"))}?=\r\nContent-Type: text/plain; charset=ISO-2022-JP\r\nContent-Transfer-Encoding: 7bit",
            jis.GetBytes(text), subject: null);

        var message = MailContent.Parse(raw);
        var body = MailContent.Extract(message);

        Assert.Equal("日本語の件名", message.Subject);
        Assert.Equal(text, body.Text);
    }

    [Fact]
    public void Extract_UnlabelledIso2022Jp_IsRecognisedByItsEscapes()
    {
        const string text = "日本語";
        var raw = Mail("Content-Type: text/plain", Encoding.GetEncoding("iso-2022-jp").GetBytes(text));

        Assert.Equal(text, MailContent.Extract(MailContent.Parse(raw)).Text);
    }

    [Theory]
    [InlineData("text/plain; charset=us-ascii")]
    [InlineData("text/plain; charset=iso-8859-1")]
    [InlineData("text/plain")]
    public void Extract_Utf8BytesUnderWrongOrMissingLabel_DecodeAsUtf8(string contentType)
    {
        const string text = "Grüße — 你好";
        var raw = Mail($"Content-Type: {contentType}\r\nContent-Transfer-Encoding: 8bit", Encoding.UTF8.GetBytes(text));

        Assert.Equal(text, MailContent.Extract(MailContent.Parse(raw)).Text);
    }

    [Theory]
    [InlineData("gb2312")]
    [InlineData("gbk")]
    [InlineData("big5")]
    [InlineData("windows-1251")]
    [InlineData("koi8-r")]
    [InlineData("shift_jis")]
    [InlineData("euc-kr")]
    public void Extract_Utf8BytesUnderLegacyLabel_DecodeAsUtf8(string charset)
    {
        // Webmail and scripts that label everything with the local charset: the bytes are UTF-8 all the same.
        const string text = "您好，电视机屏幕破损 — Здравствуйте";
        var raw = Mail($"Content-Type: text/plain; charset={charset}\r\nContent-Transfer-Encoding: 8bit", Encoding.UTF8.GetBytes(text));

        Assert.Equal(text, MailContent.Extract(MailContent.Parse(raw)).Text);
    }

    [Theory]
    [InlineData("windows-1251", 1251, "Здравствуйте, телевизор разбит.")]
    [InlineData("koi8-r", 20866, "Здравствуйте, телевизор разбит.")]
    [InlineData("big5", 950, "您好，電視機螢幕破損。")]
    [InlineData("gbk", 936, "您好，电视机屏幕破损。")]
    public void Extract_LegacyTextUnderItsOwnLabel_KeepsThatCharset(string charset, int codePage, string text)
    {
        var raw = Mail($"Content-Type: text/plain; charset={charset}\r\nContent-Transfer-Encoding: 8bit", Encoding.GetEncoding(codePage).GetBytes(text));

        Assert.Equal(text, MailContent.Extract(MailContent.Parse(raw)).Text);
    }

    [Fact]
    public void Extract_Latin1TextLabelledLatin1_StaysLatin1()
    {
        const string text = "Très cher, le café était froid. Grüße";
        var raw = Mail("Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit", Encoding.Latin1.GetBytes(text));

        Assert.Equal(text, MailContent.Extract(MailContent.Parse(raw)).Text);
    }

    [Fact]
    public void Extract_UnlabelledGbkText_IsRecognisedAsChinese()
    {
        const string text = "您好，我的订单还没有到。";
        var raw = Mail("Content-Type: text/plain\r\nContent-Transfer-Encoding: 8bit", Gbk.GetBytes(text));

        Assert.Equal(text, MailContent.Extract(MailContent.Parse(raw)).Text);
    }

    [Fact]
    public void Extract_Gb2312LabelledHtmlOnlyMail_BecomesReadablePlainText()
    {
        const string html = "<html><head><title>标题</title><style>p{color:red}</style></head><body>"
            + "<p>您好：</p><p>我买的<b>电饭煲</b>坏了&nbsp;&amp;&nbsp;无法开机。<br>订单号：12345</p>"
            + "<ul><li>第一点</li><li>第二点</li></ul><ol><li>一</li><li>二</li></ol><div>谢谢&lt;客户&gt;</div></body></html>";
        var raw = Mail("Content-Type: text/html; charset=gb2312\r\nContent-Transfer-Encoding: base64", Base64(Gbk.GetBytes(html)));

        var body = MailContent.Extract(MailContent.Parse(raw));

        Assert.Equal("您好：\n\n我买的电饭煲坏了 & 无法开机。\n订单号：12345\n\n• 第一点\n• 第二点\n\n1. 一\n2. 二\n\n谢谢<客户>", body.Text);
        Assert.NotNull(body.Html);
        Assert.Contains("电饭煲", body.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("标题", body.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_HtmlWithMetaCharsetAndNoMimeLabel_UsesTheMetaCharset()
    {
        const string html = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=big5\"></head><body><p>請退款</p></body></html>";
        var raw = Mail("Content-Type: text/html\r\nContent-Transfer-Encoding: 8bit", Encoding.GetEncoding("big5").GetBytes(html));

        var body = MailContent.Extract(MailContent.Parse(raw));

        Assert.Equal("請退款", body.Text);
        Assert.Contains("請退款", body.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_FormatFlowed_IsUnwrapped()
    {
        var raw = Mail("Content-Type: text/plain; charset=utf-8; format=flowed", "This line was \r\nwrapped by the client.\r\n\r\nNew paragraph."u8.ToArray());

        Assert.Equal("This line was wrapped by the client.\n\nNew paragraph.", MailContent.Extract(MailContent.Parse(raw)).Text);
    }

    // ---- HTML safety -----------------------------------------------------------------------------------------------

    private const string HostileHtml =
        "<p onclick=\"steal()\">Hello <b>agent</b></p>"
        + "<script>alert(1)</script>"
        + "<img src=\"x\" onerror=\"alert(2)\" alt=\"broken\">"
        + "<a href=\"javascript:alert(3)\">click</a> "
        + "<a href=\"https://example.com/order?id=1\">order</a> "
        + "<a href=\"mailto:shop@example.com\">mail us</a> "
        + "<a href=\"/admin/users/1/delete\">relative</a>"
        + "<iframe src=\"https://evil.example/\"></iframe>"
        + "<img src=\"https://tracker.example/pixel.gif?u=42\" alt=\"Shop logo\" width=\"1\" height=\"1\">"
        + "<img src=\"cid:photo1@desk\" alt=\"my broken kettle\">"
        + "<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"inline data\">"
        + "<form action=\"https://evil.example/login\"><input name=\"password\"><button>Log in</button></form>"
        + "<object data=\"x.swf\"></object><embed src=\"x.swf\">"
        + "<div style=\"position:fixed;top:0;left:0;background:url(https://tracker.example/bg.png);color:red\" class=\"btn btn-danger\" id=\"logout\">styled</div>"
        + "<svg><script>alert(4)</script></svg><style>body{display:none}</style>"
        + "<a href=\"  JaVaScRiPt:alert(5)\">sneaky</a><a href=\"data:text/html,<script>alert(6)</script>\">data link</a>";

    [Fact]
    public void SanitizeHtml_HostileHtml_KeepsTextLinksAndCidPicturesOnly()
    {
        var safe = MailContent.SanitizeHtml(HostileHtml);
        output.WriteLine(safe);

        AssertInert(safe);
        Assert.Contains("Hello <b>agent</b>", safe, StringComparison.Ordinal);
        Assert.DoesNotContain("<iframe", safe, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<form", safe, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<input", safe, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<object", safe, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<embed", safe, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<style", safe, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("tracker.example", safe, StringComparison.Ordinal);
        Assert.DoesNotContain("data:", safe, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"[\s;""]position\s*:", safe);
        Assert.DoesNotContain("btn", safe, StringComparison.Ordinal);
        Assert.DoesNotContain("logout", safe, StringComparison.Ordinal);
        Assert.DoesNotContain("/admin/", safe, StringComparison.Ordinal);
        Assert.Contains("Shop logo", safe, StringComparison.Ordinal); // the tracking pixel's alt text stays
        Assert.Contains("broken", safe, StringComparison.Ordinal);
        Assert.Contains("<img src=\"cid:photo1@desk\" alt=\"my broken kettle\">", safe, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://example.com/order?id=1\" rel=\"noopener noreferrer nofollow\" target=\"_blank\">order</a>", safe, StringComparison.Ordinal);
        Assert.Contains("<a href=\"mailto:shop@example.com\" rel=\"noopener noreferrer nofollow\" target=\"_blank\">mail us</a>", safe, StringComparison.Ordinal);
        Assert.Contains("color: rgba(255, 0, 0, 1)", safe, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_HostileHtmlMail_StoresOnlySanitisedHtml()
    {
        var raw = Mail("Content-Type: text/html; charset=utf-8", Encoding.UTF8.GetBytes(HostileHtml));

        var body = MailContent.Extract(MailContent.Parse(raw));

        AssertInert(body.Html);
        Assert.DoesNotContain("alert", body.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("display:none", body.Text, StringComparison.Ordinal);
        Assert.Contains("Hello agent", body.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_HtmlNestedAHundredThousandDeep_IsShownAsTextQuicklyWithANote()
    {
        var html = string.Concat(Enumerable.Repeat("<div>", 100_000)) + "deep <script>alert(1)</script>" + string.Concat(Enumerable.Repeat("</div>", 100_000));
        var raw = Mail("Content-Type: text/html; charset=utf-8", Encoding.UTF8.GetBytes(html));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var body = MailContent.Extract(MailContent.Parse(raw));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}"); // parsing it would take minutes
        Assert.Equal("deep", body.Text);
        Assert.Equal("<div style=\"white-space: pre-wrap\">deep</div>", body.Html);
        Assert.Contains(body.Notes, n => n.Contains("nests more than", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("<div></span>", "")]         // end tags that close nothing do not make it shallower
    [InlineData("<b><div></b>", "")]         // a formatting element's end leaves the block opened inside it open
    [InlineData("<style>", "")]              // raw-text elements that never end
    [InlineData("<div>\n \n", "")]           // blank runs that a backtracking pattern would chew on
    [InlineData("<table><tr><td>", "</td>")]
    public void Extract_HtmlNestedDeepInDisguise_IsShownAsTextQuicklyWithANote(string open, string close)
    {
        var html = "<p>before</p>" + string.Concat(Enumerable.Repeat(open, 100_000)) + "deep" + string.Concat(Enumerable.Repeat(close, 100_000));
        var raw = Mail("Content-Type: text/html; charset=utf-8", Encoding.UTF8.GetBytes(html));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var body = MailContent.Extract(MailContent.Parse(raw));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}"); // parsing it took over a minute
        Assert.StartsWith("before", body.Text, StringComparison.Ordinal);
        Assert.StartsWith("<div style=\"white-space: pre-wrap\">before", body.Html, StringComparison.Ordinal);
        Assert.Contains(body.Notes, n => n.Contains("nests more than", StringComparison.Ordinal));
        if (open != "<style>") Assert.EndsWith("deep", body.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void SanitizeHtml_OrdinaryNesting_IsParsedNormally()
    {
        var html = string.Concat(Enumerable.Repeat("<div><p>x", 300)) + string.Concat(Enumerable.Repeat("</p></div>", 300));

        Assert.StartsWith("<div><p>x</p><div><p>x", MailContent.SanitizeHtml(html), StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveInlineImages_CidPictures_PointAtTheDeskOrFallBackToAltText()
    {
        var safe = MailContent.SanitizeHtml("<p>Photo: <img src=\"cid:photo1@desk\" alt=\"kettle\"> and <img src=\"cid:gone@desk\" alt=\"lost one\"><img src=\"cid:gone2@desk\"></p>");

        var resolved = MailContent.ResolveInlineImages(safe, id => id == "photo1@desk" ? "/tickets/7/attachments/12" : null);

        Assert.Equal("<p>Photo: <img src=\"/tickets/7/attachments/12\" alt=\"kettle\"> and lost one</p>", resolved);
    }

    [Fact]
    public void ResolveInlineImages_UrlWithForeignScheme_IsNotUsed()
    {
        var safe = MailContent.SanitizeHtml("<img src=\"cid:a@b\" alt=\"x\">");

        Assert.Equal("x", MailContent.ResolveInlineImages(safe, _ => "javascript:alert(1)"));
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

    // ---- Helpers --------------------------------------------------------------------------------------------------

    /// <summary>Customer HTML as the desk stores it may hold nothing that runs or loads from elsewhere.</summary>
    private static void AssertInert(string? html)
    {
        if (html is null) return;
        Assert.DoesNotMatch(new Regex(@"<\s*(script|iframe|object|embed|form|style|link|meta|base)\b", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex(@"\son[a-z]+\s*=", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex(@"javascript:|vbscript:", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex(@"<img[^>]+src=""(?!cid:)", RegexOptions.IgnoreCase), html);
    }

    /// <summary>The files of a corpus folder, relative to it; one placeholder when the corpora are missing (the theory is
    /// then skipped outside CI, and fails under CI on the missing path).</summary>
    private static TheoryData<string> CorpusFiles(string folder, Func<string, bool> include)
    {
        var data = new TheoryData<string>();
        var full = Corpora.Root is null ? null : Path.Combine(Corpora.Root, folder);
        if (full is null || !Directory.Exists(full))
        {
            data.Add("(corpus missing)");
            return data;
        }
        foreach (var file in Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories)
                     .Select(f => Path.GetRelativePath(full, f).Replace('\\', '/')).Where(include).Order(StringComparer.Ordinal))
            data.Add(file);
        return data;
    }

    private static byte[] Mail(string contentHeaders, byte[] body, string? subject = "Test")
    {
        var head = "From: Customer <customer@example.com>\r\nTo: desk@example.com\r\nDate: Mon, 2 Mar 2026 10:00:00 +0800\r\n"
            + "Message-ID: <test@example.com>\r\n" + (subject is null ? "" : $"Subject: {subject}\r\n") + "MIME-Version: 1.0\r\n" + contentHeaders + "\r\n\r\n";
        return [.. Encoding.Latin1.GetBytes(head), .. body]; // Latin-1 keeps raw 8-bit header bytes a test puts in
    }

    private static byte[] Base64(byte[] bytes) => Encoding.ASCII.GetBytes(Convert.ToBase64String(bytes, Base64FormattingOptions.InsertLineBreaks));

    private static MimeMessage Message(MimeEntity body)
    {
        var message = new MimeMessage { Subject = "Test", Body = body };
        message.From.Add(MailboxAddress.Parse("customer@example.com"));
        message.To.Add(MailboxAddress.Parse("desk@example.com"));
        return message;
    }

    private static byte[] Bytes(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return stream.ToArray();
    }
}

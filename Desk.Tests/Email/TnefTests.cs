using Desk.Tests.Support;
using Desk.Web.Email.Intake;
using MimeKit;
using Xunit.Abstractions;
using static Desk.Tests.Support.MailSamples;

namespace Desk.Tests.Email;

/// <summary>
/// Outlook's winmail.dat (TNEF, with its RTF bodies read by <c>RtfText</c>): unpacked against the mimekit samples and tnef(1)'s lists.
/// </summary>
public sealed class TnefTests(ITestOutputHelper output)
{
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
}

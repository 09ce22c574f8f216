using System.Text;
using System.Text.RegularExpressions;
using Desk.Web.Email.Intake;
using MimeKit;

namespace Desk.Tests.Support;

/// <summary>Hand-made mail and checks shared by the tests of <see cref="MailContent"/> and the classes it uses.</summary>
internal static class MailSamples
{
    /// <summary>GBK (code page 936), available once <see cref="MailContent.RegisterEncodings"/> ran.</summary>
    public static readonly Encoding Gbk;

    static MailSamples()
    {
        MailContent.RegisterEncodings();
        Gbk = Encoding.GetEncoding(936);
    }

    /// <summary>Customer HTML as the desk stores it may hold nothing that runs or loads from elsewhere.</summary>
    public static void AssertInert(string? html)
    {
        if (html is null) return;
        Assert.DoesNotMatch(new Regex(@"<\s*(script|iframe|object|embed|form|style|link|meta|base)\b", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex(@"\son[a-z]+\s*=", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex(@"javascript:|vbscript:", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex(@"<img[^>]+src=""(?!cid:)", RegexOptions.IgnoreCase), html);
    }

    /// <summary>The files of a corpus folder, relative to it; one placeholder when the corpora are missing (the theory is
    /// then skipped outside CI, and fails under CI on the missing path).</summary>
    public static TheoryData<string> CorpusFiles(string folder, Func<string, bool> include)
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

    public static byte[] Mail(string contentHeaders, byte[] body, string? subject = "Test")
    {
        var head = "From: Customer <customer@example.com>\r\nTo: desk@example.com\r\nDate: Mon, 2 Mar 2026 10:00:00 +0800\r\n"
            + "Message-ID: <test@example.com>\r\n" + (subject is null ? "" : $"Subject: {subject}\r\n") + "MIME-Version: 1.0\r\n" + contentHeaders + "\r\n\r\n";
        return [.. Encoding.Latin1.GetBytes(head), .. body]; // Latin-1 keeps raw 8-bit header bytes a test puts in
    }

    public static byte[] Base64(byte[] bytes) => Encoding.ASCII.GetBytes(Convert.ToBase64String(bytes, Base64FormattingOptions.InsertLineBreaks));

    public static MimeMessage Message(MimeEntity body)
    {
        var message = new MimeMessage { Subject = "Test", Body = body };
        message.From.Add(MailboxAddress.Parse("customer@example.com"));
        message.To.Add(MailboxAddress.Parse("desk@example.com"));
        return message;
    }

    public static byte[] Bytes(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return stream.ToArray();
    }
}

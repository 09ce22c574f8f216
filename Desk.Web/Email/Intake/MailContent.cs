// Placeholder until the content branch lands (replaced by it on merge).
using System.Text;
using MimeKit;

namespace Desk.Web.Email.Intake;

public sealed record MailAttachment(string FileName, string ContentType, byte[] Content, string? ContentId, bool Inline);
public sealed record MailBody(string Text, string? Html, IReadOnlyList<MailAttachment> Attachments, IReadOnlyList<string> Notes);
public sealed class MailParseException(string reason) : Exception(reason);

public static class MailContent
{
    public static void RegisterEncodings() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static MimeMessage Parse(byte[] raw)
    {
        if (raw.Length == 0) throw new MailParseException("The file is empty.");
        try { return MimeMessage.Load(new MemoryStream(raw)); }
        catch (FormatException e) { throw new MailParseException(e.Message); }
    }

    public static MailBody Extract(MimeMessage message, long maxAttachmentBytes = 25 * 1024 * 1024)
    {
        var attachments = new List<MailAttachment>();
        foreach (var part in message.Attachments.OfType<MimePart>())
        {
            using var buffer = new MemoryStream();
            part.Content?.DecodeTo(buffer);
            attachments.Add(new MailAttachment(part.FileName ?? "attachment", part.ContentType.MimeType, buffer.ToArray(), part.ContentId, false));
        }
        return new MailBody(message.TextBody ?? message.HtmlBody ?? "", message.HtmlBody, attachments, []);
    }

    public static string ResolveInlineImages(string safeHtml, Func<string, string?> urlForContentId) => safeHtml;

    public static string SanitizeHtml(string html) => new Ganss.Xss.HtmlSanitizer().Sanitize(html);
}

// Placeholder until the robots branch lands (replaced by it on merge).
using MimeKit;

namespace Desk.Web.Email.Intake;

public enum MailAuthor { Person, AutoReply, Bounce, Report, Bulk }

public sealed record RobotVerdict(MailAuthor Author, string? Reason, IReadOnlyList<string> OriginalMessageIds)
{
    public bool IsRobot => Author != MailAuthor.Person;
}

public static class RobotMail
{
    public static RobotVerdict Classify(MimeMessage message)
    {
        var auto = message.Headers["Auto-Submitted"];
        if (!string.IsNullOrEmpty(auto) && !auto.Trim().Equals("no", StringComparison.OrdinalIgnoreCase))
            return new RobotVerdict(MailAuthor.AutoReply, "Auto-Submitted: " + auto.Trim(), message.InReplyTo is { } r ? [r] : []);
        if (message.Body is MultipartReport report)
        {
            var ids = new List<string>();
            foreach (var part in report.OfType<MessagePart>()) if (part.Message?.MessageId is { } id) ids.Add(id);
            return new RobotVerdict(MailAuthor.Bounce, "multipart/report", ids);
        }
        return new RobotVerdict(MailAuthor.Person, null, []);
    }
}

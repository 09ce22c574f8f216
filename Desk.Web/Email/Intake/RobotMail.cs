using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Utils;

namespace Desk.Web.Email.Intake;

/// <summary>Who wrote an incoming mail: a person, or one of the kinds of robot the desk must never answer.</summary>
public enum MailAuthor
{
    /// <summary>A person: may open a ticket and be acknowledged.</summary>
    Person,
    /// <summary>An out-of-office or other automatic answer (RFC 3834), or any other auto-generated mail that is not a bounce.</summary>
    AutoReply,
    /// <summary>A delivery failure notice: the mail it names was not delivered.</summary>
    Bounce,
    /// <summary>A report about a mail that is not a failure: an abuse/feedback report (ARF) or a read receipt (MDN).</summary>
    Report,
    /// <summary>Mailing-list or bulk mail.</summary>
    Bulk,
}

/// <summary>The verdict on one mail.</summary>
/// <param name="Author">Who wrote it.</param>
/// <param name="Reason">A short English phrase naming the evidence, e.g. <c>Auto-Submitted: auto-replied</c>,
/// <c>multipart/report; report-type=delivery-status</c>, <c>sender MAILER-DAEMON</c>; null for a person.</param>
/// <param name="OriginalMessageIds">For a bounce or report, the Message-IDs of the mail it is about (from the attached
/// original, its headers, a read receipt's Original-Message-ID, or failing those <c>Message-ID:</c> lines in the text);
/// for an auto-reply, its In-Reply-To then its References. Angle brackets stripped, as
/// <see cref="MimeMessage.MessageId"/> gives them. Empty for a person.</param>
public sealed record RobotVerdict(MailAuthor Author, string? Reason, IReadOnlyList<string> OriginalMessageIds)
{
    public bool IsRobot => Author != MailAuthor.Person;
}

/// <summary>
/// Decides whether an incoming mail was written by a person or by a robot, so that robots never open tickets or get
/// acknowledgements (two robots must never mail each other forever) and a bounce can mark the desk's mail failed.
/// </summary>
/// <remarks>
/// <para>The evidence, strongest first: the MIME structure of a report (RFC 3462/6522 multipart/report with
/// delivery-status, feedback-report or disposition-notification; a bare message/delivery-status part); the headers
/// bounces carry (X-Failed-Recipients, Exchange's X-MS-Exchange-Message-Is-Ndr); a mailer-daemon or postmaster
/// sender; a bounce subject written by an MTA; RFC 3834 Auto-Submitted and the older auto-reply headers; an
/// auto-reply subject in the languages our customers' correspondents use; an empty Return-Path; list and bulk
/// headers.</para>
/// <para>Deliberately not evidence on their own, because people's mail carries them too:
/// <c>X-Auto-Response-Suppress</c> (Outlook and CRM tools set it on ordinary business mail; Exchange's own
/// out-of-office replies are caught by their subject, which Exchange writes in the recipient's language);
/// a no-reply sender (contact forms send the customer's words from noreply@ with the customer in Reply-To);
/// an attached message/rfc822 (customers forward mail to complain about it).</para>
/// <para>Mailing-list headers (List-Id, List-Unsubscribe, Precedence: list) make a mail Bulk: a customer writing to
/// the desk never sends through a list. A desk address that is itself a list or group (a Google Group that
/// re-sends everything with List-Id) would make every mail Bulk; point the desk at a plain mailbox.</para>
/// <para>Only the mail's own headers and parts count: the headers of an attached or forwarded message never do,
/// and a person forwarding a bounce ("Fwd: Returned mail") stays a person.</para>
/// <para>Never throws: a mail that cannot be judged (missing or broken headers and parts) counts as a person, so
/// the worst case is a ticket for a robot, never a lost complaint.</para>
/// </remarks>
public static partial class RobotMail
{
    private static readonly RobotVerdict PersonVerdict = new(MailAuthor.Person, null, []);

    /// <summary>Classifies <paramref name="message"/>; see the type's remarks for the evidence used.</summary>
    public static RobotVerdict Classify(MimeMessage message)
    {
        try
        {
            var (author, reason) = Judge(message);
            if (author == MailAuthor.Person) return PersonVerdict;
            var ids = author switch
            {
                MailAuthor.Bounce or MailAuthor.Report => OriginalIdsOfReport(message),
                MailAuthor.AutoReply => ThreadIds(message),
                _ => [],
            };
            return new RobotVerdict(author, reason, ids);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The contract: odd input never stops intake. A mail we cannot read is treated as a person's.
            return PersonVerdict;
        }
    }

    // ---- Judging --------------------------------------------------------------------------------------------

    private static (MailAuthor, string?) Judge(MimeMessage message)
    {
        var headers = message.Headers;

        if (ReportStructure(message.Body) is { } structure) return structure;

        if (Value(headers, "X-Failed-Recipients") is not null) return (MailAuthor.Bounce, "X-Failed-Recipients");
        if (headers.Contains("X-MS-Exchange-Message-Is-Ndr")) return (MailAuthor.Bounce, "X-MS-Exchange-Message-Is-Ndr");
        if (DaemonSender(message) is { } daemon) return (MailAuthor.Bounce, daemon);

        var subject = Subject(message);
        if (subject.Length > 0 && BounceSubject().IsMatch(subject)) return (MailAuthor.Bounce, $"subject \"{Cut(subject)}\"");

        if (Value(headers, "Auto-Submitted") is { } autoSubmitted
            && !FirstToken(autoSubmitted).Equals("no", StringComparison.OrdinalIgnoreCase))
            return (MailAuthor.AutoReply, $"Auto-Submitted: {Cut(autoSubmitted)}");
        foreach (var name in AutoReplyHeaders)
        {
            if (Value(headers, name) is { } value && !IsNo(value)) return (MailAuthor.AutoReply, $"{name}: {Cut(value)}");
        }
        if (Value(headers, "Delivered-To") is { } deliveredTo && deliveredTo.Equals("Autoresponder", StringComparison.OrdinalIgnoreCase))
            return (MailAuthor.AutoReply, "Delivered-To: Autoresponder");
        if (Value(headers, "X-POST-MessageClass") is { } messageClass && messageClass.Contains("Autoresponder", StringComparison.OrdinalIgnoreCase))
            return (MailAuthor.AutoReply, $"X-POST-MessageClass: {Cut(messageClass)}");

        var precedence = (Value(headers, "Precedence") ?? Value(headers, "X-Precedence"))?.ToLowerInvariant();
        if (precedence is "auto_reply" or "auto-reply") return (MailAuthor.AutoReply, $"Precedence: {precedence}");

        if (subject.Length > 0 && AutoReplySubject().IsMatch(subject)) return (MailAuthor.AutoReply, $"subject \"{Cut(subject)}\"");

        // RFC 5321 §4.5.5 and RFC 3834 §3.3: notifications and automatic responses go out with a null return path.
        if (Value(headers, "Return-Path") is { } returnPath && returnPath.Replace(" ", "", StringComparison.Ordinal) == "<>")
            return (MailAuthor.AutoReply, "empty Return-Path <>");

        if (precedence is "bulk" or "list" or "junk") return (MailAuthor.Bulk, $"Precedence: {precedence}");
        foreach (var name in ListHeaders)
        {
            if (headers.Contains(name)) return (MailAuthor.Bulk, name);
        }
        return (MailAuthor.Person, null);
    }

    /// Headers older auto-responders set instead of (or beside) Auto-Submitted; any value but "no" counts.
    private static readonly string[] AutoReplyHeaders =
        ["X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-Autogenerated", "X-AutoReply-From", "X-Mail-Autoreply", "X-Autoresponse"];

    /// RFC 2369 and RFC 2919 list headers; a customer's mail to the desk never carries them.
    private static readonly string[] ListHeaders = ["List-Id", "List-Unsubscribe", "List-Post", "List-Help", "List-Subscribe"];

    /// Looks for a report among the mail's own parts (never inside an attached message): multipart/report by its
    /// report-type, else a machine-readable part that only reports carry.
    private static (MailAuthor, string)? ReportStructure(MimeEntity? body)
    {
        foreach (var entity in OwnParts(body))
        {
            if (entity is not Multipart multipart || !entity.ContentType.IsMimeType("multipart", "report")) continue;
            var reportType = multipart.ContentType.Parameters["report-type"]?.Trim().ToLowerInvariant();
            switch (reportType)
            {
                case "delivery-status" or "global-delivery-status":
                    return (MailAuthor.Bounce, $"multipart/report; report-type={reportType}");
                case "feedback-report" or "disposition-notification" or "global-disposition-notification":
                    return (MailAuthor.Report, $"multipart/report; report-type={reportType}");
            }
        }
        foreach (var entity in OwnParts(body))
        {
            var type = entity.ContentType;
            if (type.IsMimeType("message", "delivery-status") || type.IsMimeType("message", "global-delivery-status"))
                return (MailAuthor.Bounce, type.MimeType.ToLowerInvariant());
            if (type.IsMimeType("message", "feedback-report") || type.IsMimeType("message", "disposition-notification")
                || type.IsMimeType("message", "global-disposition-notification"))
                return (MailAuthor.Report, type.MimeType.ToLowerInvariant());
        }
        foreach (var entity in OwnParts(body))
        {
            if (entity.ContentType.IsMimeType("multipart", "report"))
                return (MailAuthor.Bounce, "multipart/report"); // no or unknown report-type: in practice a bounce
        }
        return null;
    }

    /// The sender names mail systems use for bounces (RFC 5321 §4.5.1 postmaster, the traditional MAILER-DAEMON).
    private static string? DaemonSender(MimeMessage message)
    {
        var headers = message.Headers;
        foreach (var mailbox in message.From.Mailboxes.Concat(message.Sender is { } s ? [s] : []))
        {
            var local = LocalPart(mailbox.Address);
            if (DaemonLocalParts.Contains(local)) return $"sender {local}";
            if (mailbox.Name is { Length: > 0 } name && DaemonNames().IsMatch(name)) return $"sender \"{Cut(name)}\"";
        }
        if (Value(headers, "Return-Path") is { } returnPath)
        {
            var local = LocalPart(returnPath.Trim().Trim('<', '>', ' '));
            if (DaemonLocalParts.Contains(local)) return $"Return-Path {local}";
        }
        return null;
    }

    private static readonly HashSet<string> DaemonLocalParts = new(StringComparer.OrdinalIgnoreCase)
        { "mailer-daemon", "mailerdaemon", "mail-daemon", "maildaemon", "postmaster", "mdaemon", "mail.daemon" };

    [GeneratedRegex(@"^\s*(mail delivery (sub)?system|mailer[- ]daemon|mail delivery service|postmaster)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex DaemonNames();

    /// Subjects MTAs write on delivery failures, at the start of the subject, so that "Fwd: Returned mail" from a
    /// person does not match and a customer's "Delivery failed again!" about a parcel does not either.
    [GeneratedRegex("""
        ^\s*(
          undeliverable\s*(:|mail|message) | undelivered\s+(mail|message) | delivery\s+status\s+notification
        | (mail|message)\s+delivery\s+(failed|failure|has\s+failed) | delivery\s+(failure|has\s+failed|notification)\s*:
        | returned\s+mail | mail\s+system\s+error | failure\s+notice | non[- ]?delivery\s+(notification|report)
        | non[- ]?deliverable\s+(mail|message) | (warning:\s*)?could\s+not\s+send\s+message
        | (mail|message)\s+(could\s+not\s+be|not)\s+delivered | delivery\s+report\s*:
        | unzustellbar | nicht\s+zustellbar | non\s+remis | impossible\s+de\s+remettre | onbestelbaar
        | no\s+se\s+puede\s+entregar | non\s+recapitabile | não\s+entregue | nedoručitelné | недоставлено
        | 无法投递 | 無法傳遞 | 系统退信 | 退信 | 邮件投递失败 | 未送达 | 配信不能 | 配送不能 | 送信エラー | メール送信エラー
        | 配信エラー | 配送エラー | 전송\s*실패
        )
        """, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.IgnorePatternWhitespace, matchTimeoutMilliseconds: 100)]
    private static partial Regex BounceSubject();

    /// Subjects auto-responders and out-of-office replies write (Exchange writes them in the recipient's language),
    /// at the start of the subject and followed by something that is not a letter.
    [GeneratedRegex("""
        ^\s*(
          out\s+of\s+(the\s+)?office | out-of-office | automatic\s+(reply|response) | auto[- ]?(reply|replied|respon\w*)
        | auto\s*: | away\s+from\s+(the|my)\s+office | vacation\s+(reply|notice|message)
        | automatische\s+(antwort|rückantwort) | abwesenheitsnotiz | abwesenheit | abwesend
        | réponse\s+automatique | reponse\s+automatique | absence\s+du\s+bureau | absent\s+du\s+bureau | message\s+d'absence
        | respuesta\s+autom[aá]tica | fuera\s+de\s+(la\s+)?oficina
        | risposta\s+automatica | fuori\s+(sede|ufficio) | resposta\s+autom[aá]tica | aus[eê]ncia\s+tempor[aá]ria
        | fora\s+do\s+escrit[oó]rio | automatisch\s+antwoord | afwezigheidsbericht | niet\s+op\s+kantoor | afwezig
        | automatiskt\s+svar | automatisk\s+svar | autosvar | automaattinen\s+vastaus | fr[aå]nvaro
        | odpowied[zź]\s+automatyczna | automatyczna\s+odpowied[zź] | automatick[aá]\s+odpov[eě]d[ďd]
        | automatikus\s+v[aá]lasz | otomatik\s+(yan[ıi]t|cevap) | автоматический\s+ответ | автоответ
        | αυτόματη\s+απάντηση
        | 自动回复 | 自動回覆 | 自動回复 | 自动答复 | 自動答覆 | 自动应答 | 自動回復 | 自動応答 | 自動返信 | 自動回答 | 不在通知
        | 자동\s*회신 | 자동\s*응답 | 부재\s*중
        )(?!\p{L})
        """, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.IgnorePatternWhitespace, matchTimeoutMilliseconds: 100)]
    private static partial Regex AutoReplySubject();

    // ---- The mail a bounce or report is about ----------------------------------------------------------------

    /// Message-IDs of the mail a bounce or report is about, in the order found, without duplicates or the report's own.
    private static List<string> OriginalIdsOfReport(MimeMessage message)
    {
        var ids = new List<string>();
        foreach (var entity in OwnParts(message.Body))
        {
            var type = entity.ContentType;
            if (entity is MessagePart { Message: { } original })
                Add(ids, original.MessageId);
            else if (entity is MimePart part && (type.IsMimeType("text", "rfc822-headers") || type.IsMimeType("message", "global-headers")))
                Add(ids, HeadersIn(part)?.MessageId);
            else if (entity is MimePart mdn && (type.IsMimeType("message", "disposition-notification")
                || type.IsMimeType("message", "global-disposition-notification")))
                AddIdsFromFieldLines(ids, DecodedText(mdn), "Original-Message-ID");
            else if (entity is MimePart dsn && (type.IsMimeType("message", "delivery-status") || type.IsMimeType("message", "global-delivery-status")))
                AddIdsFromFieldLines(ids, DecodedText(dsn), "X-Original-Message-ID");
        }
        if (ids.Count == 0)
        {
            // Bounces that quote the original inline (qmail, Exim, many ISPs) or label it text/plain.
            foreach (var entity in OwnParts(message.Body))
            {
                if (entity is TextPart text && !text.IsHtml) AddIdsFromFieldLines(ids, SafeText(text), "Message-ID");
            }
        }
        if (ids.Count == 0) ids.AddRange(ThreadIds(message));
        ids.RemoveAll(id => id == message.MessageId);
        return ids;
    }

    /// An auto-reply's thread: In-Reply-To first (the mail it answers), then References.
    private static List<string> ThreadIds(MimeMessage message)
    {
        var ids = new List<string>();
        Add(ids, message.InReplyTo);
        foreach (var reference in message.References) Add(ids, reference);
        return ids;
    }

    private static MimeMessage? HeadersIn(MimePart part)
    {
        using var stream = new MemoryStream();
        part.Content?.DecodeTo(stream);
        if (stream.Length == 0) return null;
        stream.Write("\n\n"u8); // headers only: end them so the parser sees an empty body
        stream.Position = 0;
        try { return MimeMessage.Load(stream); }
        catch (FormatException) { return null; }
    }

    /// Reads "Field: &lt;id&gt;" lines, also when quoted with "&gt;" or indented; looks at the first 256 KB only.
    private static void AddIdsFromFieldLines(List<string> ids, string text, string field)
    {
        if (text.Length > MaxScannedText) text = text[..MaxScannedText];
        foreach (var rawLine in text.AsSpan().EnumerateLines())
        {
            var line = rawLine.TrimStart().TrimStart('>').TrimStart();
            if (!line.StartsWith(field, StringComparison.OrdinalIgnoreCase)) continue;
            var rest = line[field.Length..].TrimStart();
            if (rest.IsEmpty || rest[0] != ':') continue;
            foreach (var id in MimeUtils.EnumerateReferences(rest[1..].ToString())) Add(ids, id);
        }
    }

    private const int MaxScannedText = 256 * 1024;

    private static string DecodedText(MimePart part)
    {
        using var stream = new MemoryStream();
        part.Content?.DecodeTo(stream);
        return System.Text.Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)Math.Min(stream.Length, MaxScannedText));
    }

    private static string SafeText(TextPart text)
    {
        try { return text.Text ?? ""; }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or System.Text.DecoderFallbackException) { return ""; }
    }

    // ---- Small readers -----------------------------------------------------------------------------------------

    /// The mail's own entities, depth first, without descending into attached messages (their headers are someone
    /// else's) and with a depth limit against hostile nesting.
    private static IEnumerable<MimeEntity> OwnParts(MimeEntity? root)
    {
        if (root is null) yield break;
        var stack = new Stack<(MimeEntity Entity, int Depth)>();
        stack.Push((root, 0));
        while (stack.Count > 0)
        {
            var (entity, depth) = stack.Pop();
            yield return entity;
            if (entity is Multipart multipart && depth < MaxDepth)
            {
                for (var i = multipart.Count - 1; i >= 0; i--) stack.Push((multipart[i], depth + 1));
            }
        }
    }

    private const int MaxDepth = 32;

    private static string? Value(HeaderList headers, string name)
    {
        var value = headers[name];
        return value is null ? null : value.Trim();
    }

    private static string Subject(MimeMessage message)
    {
        var subject = message.Subject?.Trim() ?? "";
        return subject.Length > 500 ? subject[..500] : subject;
    }

    private static string FirstToken(string value)
    {
        var end = value.IndexOfAny([';', '(', ' ', '\t']);
        return (end < 0 ? value : value[..end]).Trim();
    }

    private static bool IsNo(string value) => FirstToken(value) is var token
        && (token.Equals("no", StringComparison.OrdinalIgnoreCase) || token.Equals("false", StringComparison.OrdinalIgnoreCase) || token == "0");

    private static string LocalPart(string? address)
    {
        if (string.IsNullOrEmpty(address)) return "";
        var at = address.LastIndexOf('@');
        return (at < 0 ? address : address[..at]).Trim().Trim('"');
    }

    private static void Add(List<string> ids, string? id)
    {
        if (string.IsNullOrWhiteSpace(id)) return;
        id = id.Trim().Trim('<', '>').Trim();
        if (id.Length > 0 && !ids.Contains(id)) ids.Add(id);
    }

    private static string Cut(string text) => text.Length <= 80 ? text : text[..80] + "…";
}

namespace Desk.Web.Email.Outbound;

/// <summary>
/// The words of the mails the desk sends, in the customer's language (English and Chinese). The ticket number is in every
/// subject as "[D-000123]", so a reply whose headers were lost still finds its ticket.
/// </summary>
public static class MailTemplates
{
    public static string SubjectTag(string ticketNumber) => $"[{ticketNumber}]";

    /// <summary>
    /// The acknowledgement (ISO 10002 7.4) with the private status link; with <paramref name="confirmUrl"/> (a web complaint
    /// under an address the desk already knew) it also asks the address's owner to confirm that they sent it.
    /// </summary>
    public static (string Subject, string Body) Acknowledgement(string language, string ticketNumber, string customerName, string subject,
        string statusUrl, string deskName, string? confirmUrl = null) => language == "zh"
        ? ($"已收到：{subject} {SubjectTag(ticketNumber)}",
            $"""
            {Greeting(language, customerName)}

            感谢您的来信。我们已收到您的消息，工单号为 {ticketNumber}，会尽快处理。

            您可以通过以下私人链接查看进度、补充信息或附件：
            {statusUrl}

            也可以直接回复本邮件。{Confirmation(language, confirmUrl)}

            {deskName}
            """)
        : ($"Received: {subject} {SubjectTag(ticketNumber)}",
            $"""
            {Greeting(language, customerName)}

            Thank you for writing to us. Your message has reached us as ticket {ticketNumber}, and we are on it.

            You can follow it, and add to it or send files, through this private link:
            {statusUrl}

            Or simply reply to this mail.{Confirmation(language, confirmUrl)}

            {deskName}
            """);

    /// <summary>The acknowledgement's request to confirm a web complaint under a known address, or nothing.</summary>
    private static string Confirmation(string language, string? confirmUrl) => confirmUrl is null ? "" : language == "zh"
        ? "\n\n这条投诉是通过我们的网页表单提交的，填写的是您的邮箱地址。如果是您本人，请打开以下链接确认，我们才会把它与您以往的记录关联：\n"
            + confirmUrl + "\n如果不是您，请忽略本邮件：在确认之前，我们不会再就此事给您发邮件。"
        : "\n\nThis complaint was sent through our web form, giving your address. If it was you, please confirm with this link, so that we can "
            + "join it to your earlier contacts with us:\n" + confirmUrl + "\nIf it was not you, ignore this mail: until it is confirmed, we will not mail you about it again.";

    /// <summary>
    /// An agent's reply: the text as typed (the agent's Markdown reads well as plain text), then, after the signature
    /// separator, the agent's own signature if they have one and the desk's line with the ticket number.
    /// </summary>
    public static (string Subject, string Body) Reply(string language, string ticketNumber, string subject, string text, string deskName,
        string? signature = null) =>
        (ReplySubject(subject, ticketNumber), $"{text}\n\n-- \n{ReplyClosing(language, ticketNumber, deskName, signature)}");

    /// <summary>The HTML part of <see cref="Reply"/>: the Markdown formatted and sanitised, the same closing lines.</summary>
    public static string ReplyHtml(string language, string ticketNumber, string text, string deskName, string? signature = null) =>
        $"""
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"></head><body style="font-family: sans-serif; line-height: 1.4">
        <div class="reply">{ReplyMarkdown.ToSafeHtml(text)}</div>
        <p style="color: #555555">-- <br>{ReplyMarkdown.PlainToHtml(ReplyClosing(language, ticketNumber, deskName, signature))}</p>
        </body></html>
        """;

    private static string ReplyClosing(string language, string ticketNumber, string deskName, string? signature) =>
        (string.IsNullOrWhiteSpace(signature) ? "" : signature.Trim() + "\n") + (language == "zh"
            ? $"{deskName} · 工单 {ticketNumber}\n直接回复本邮件即可。"
            : $"{deskName} · ticket {ticketNumber}\nReply to this mail to answer.");

    /// <summary>
    /// The follow-up survey: a private link that works without signing in, until <paramref name="closes"/>. Reactive customers and
    /// above are also invited to call (<paramref name="callBackPhone"/>) or to reply with a time to be called.
    /// </summary>
    public static (string Subject, string Body) Survey(string language, string ticketNumber, string customerName, string subject, string surveyUrl,
        DateTime closes, bool inviteCallBack, string? callBackPhone, string deskName)
    {
        if (language == "zh")
        {
            var call = !inviteCallBack ? "" : string.IsNullOrWhiteSpace(callBackPhone)
                ? "\n如果您想当面（电话）聊一聊，请回复本邮件并留下方便的时间和电话，我们会打给您。\n"
                : $"\n如果您想当面（电话）聊一聊，欢迎致电 {callBackPhone}。\n";
            return ($"您对我们的处理满意吗？ {SubjectTag(ticketNumber)}",
                $"""
                {Greeting(language, customerName)}

                关于“{subject}”的问题我们已经处理完毕。请花两分钟告诉我们：您对结果是否满意，对我们的处理过程是否满意。

                {surveyUrl}

                这个链接只属于您，无需登录，有效期至 {closes:yyyy-MM-dd}。
                {call}
                {deskName}
                """);
        }
        var invitation = !inviteCallBack ? "" : string.IsNullOrWhiteSpace(callBackPhone)
            ? "\nIf you would rather talk it over, reply with a good time and number and we will call you.\n"
            : $"\nIf you would rather talk it over, call us on {callBackPhone}.\n";
        return ($"How did we do? {SubjectTag(ticketNumber)}",
            $"""
            {Greeting(language, customerName)}

            We have dealt with "{subject}". Would you take two minutes to tell us how satisfied you are with the outcome, and
            with how we handled your complaint?

            {surveyUrl}

            The link is yours alone, needs no sign-in, and works until {closes:yyyy-MM-dd}.
            {invitation}
            {deskName}
            """);
    }

    /// <summary>"Re: subject [D-000123]", without piling up "Re:" or the tag.</summary>
    public static string ReplySubject(string subject, string ticketNumber)
    {
        var tag = SubjectTag(ticketNumber);
        var bare = subject.Replace(tag, "", StringComparison.OrdinalIgnoreCase).Trim();
        while (bare.StartsWith("Re:", StringComparison.OrdinalIgnoreCase)) bare = bare[3..].TrimStart();
        return $"Re: {bare} {tag}";
    }

    private static string Greeting(string language, string name) => language == "zh"
        ? (string.IsNullOrWhiteSpace(name) ? "您好：" : $"{name}，您好：")
        : (string.IsNullOrWhiteSpace(name) ? "Hello," : $"Dear {name},");
}

using Desk.Web.Email;

namespace Desk.Web.Features.Notifications;

/// <summary>
/// The words of a notice mailed to an agent, in the language they chose. It names the ticket, what happened and who did it,
/// with a link to the ticket — never the customer's address or words (those stay in the desk). The subject carries the
/// number without the "[D-000123]" tag, so an agent's reply to it is not taken for a customer's message on the ticket.
/// </summary>
public static class NoticeMail
{
    public static (string Subject, string Body) Compose(string language, PendingNotice notice, MailOptions mail)
    {
        var number = Desk.Domain.Tickets.TicketNumber.Format(notice.TicketId);
        var link = $"{mail.PublicBaseUrl.TrimEnd('/')}/tickets/{number}";
        var zh = language == "zh";
        var who = notice.Actor == Desk.Domain.Tickets.Ticket.CustomerPlaceholder ? (zh ? "客户" : "the customer")
            : notice.Actor == "desk" ? (zh ? "系统" : "the desk") : notice.Actor;
        var what = zh ? Chinese(notice, number, who) : English(notice, number, who);
        var body = zh
            ? $"{what}\n\n打开工单：\n{link}\n\n-- \n{mail.DisplayName} · 这是一封自动通知，请勿回复。\n可在“通知设置”（/account/notifications）中选择接收哪些通知。"
            : $"{what}\n\nOpen the ticket:\n{link}\n\n-- \n{mail.DisplayName} · an automatic notice; please do not reply.\nChoose which notices you get at /account/notifications.";
        return ($"{number}: {Headline(notice.Kind, zh)}", body);
    }

    /// <summary>The few words of the subject line.</summary>
    public static string Headline(NoticeEvent kind, bool zh) => kind switch
    {
        NoticeEvent.Assigned => zh ? "已分配给您" : "assigned to you",
        NoticeEvent.CustomerReplied => zh ? "客户回复了" : "the customer replied",
        NoticeEvent.Reopened => zh ? "工单已重新打开" : "reopened",
        NoticeEvent.SlaWarning => zh ? "即将超出服务时限" : "about to miss its SLA target",
        NoticeEvent.SlaMissed => zh ? "已超出服务时限" : "missed its SLA target",
        NoticeEvent.Escalated => zh ? "已升级给您" : "escalated to you",
        _ => kind.ToString(),
    };

    private static string English(PendingNotice n, string number, string who) => n.Kind switch
    {
        NoticeEvent.Assigned => $"Ticket {number} was assigned to you by {who}.",
        NoticeEvent.CustomerReplied => $"The customer wrote again on ticket {number}, which is assigned to you.",
        NoticeEvent.Reopened => $"Ticket {number}, assigned to you, was reopened by {who}.",
        NoticeEvent.SlaWarning => $"Ticket {number}, assigned to you, is about to miss its {Clock(n.Detail, false)} target.",
        NoticeEvent.SlaMissed => $"Ticket {number} missed its {Clock(n.Detail, false)} target.",
        NoticeEvent.Escalated => $"Ticket {number} was escalated by {who} to {n.Detail ?? "you"}.",
        _ => $"Ticket {number}: {n.Kind}.",
    };

    private static string Chinese(PendingNotice n, string number, string who) => n.Kind switch
    {
        NoticeEvent.Assigned => $"工单 {number} 已由 {who} 分配给您。",
        NoticeEvent.CustomerReplied => $"分配给您的工单 {number} 收到了客户的新消息。",
        NoticeEvent.Reopened => $"分配给您的工单 {number} 已由 {who} 重新打开。",
        NoticeEvent.SlaWarning => $"分配给您的工单 {number} 即将超出{Clock(n.Detail, true)}时限。",
        NoticeEvent.SlaMissed => $"工单 {number} 已超出{Clock(n.Detail, true)}时限。",
        NoticeEvent.Escalated => $"工单 {number} 已由 {who} 升级给{(n.Detail is { } d && d.StartsWith("team ", StringComparison.Ordinal) ? "团队 " + d[5..] : "您")}。",
        _ => $"工单 {number}：{n.Kind}。",
    };

    /// <summary>Which SLA clock: <see cref="SlaClock"/>'s name in <see cref="PendingNotice.Detail"/>.</summary>
    public static string Clock(string? detail, bool zh) => detail == nameof(SlaClock.FirstResponse)
        ? (zh ? "首次回复" : "first-response")
        : (zh ? "解决" : "resolution");

    /// <summary>Unique and unguessable, on the desk's domain.</summary>
    public static string NewMessageId(MailOptions mail)
    {
        var at = mail.Address.LastIndexOf('@');
        var domain = at >= 0 ? mail.Address[(at + 1)..] : "desk.local";
        return $"notice.{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12))}@{domain}";
    }
}

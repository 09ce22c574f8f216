namespace Desk.Web.Features.Notifications;

/// <summary>What an agent can be told about. Flags: an agent's preferences are two sets of them (by mail, in the app).</summary>
[Flags]
public enum NoticeEvent
{
    None = 0,
    /// <summary>A ticket was assigned to them by someone else.</summary>
    Assigned = 1,
    /// <summary>The customer wrote on a ticket assigned to them.</summary>
    CustomerReplied = 2,
    /// <summary>A ticket assigned to them was reopened (by the customer or a colleague).</summary>
    Reopened = 4,
    /// <summary>A ticket assigned to them will miss its first-response or resolution target soon.</summary>
    SlaWarning = 8,
    /// <summary>A ticket assigned to them (or escalated to them for it) missed a target.</summary>
    SlaMissed = 16,
    /// <summary>A ticket was escalated to them, or to a team of theirs.</summary>
    Escalated = 32,
}

/// <summary>
/// One thing an agent is told, shown under the bell until they mark it read. Written in the same transaction as the change
/// that caused it (see <see cref="NoticeInterceptor"/>), so a change is never saved without its notices or the other way.
/// It keeps the event and its few facts, not sentences: the list says them in the reader's language.
/// </summary>
public sealed class Notification
{
    private Notification() { } // for EF Core

    public Notification(string recipient, NoticeEvent kind, long ticketId, string actor, string? detail, DateTime at)
    {
        Recipient = recipient;
        Kind = kind;
        TicketId = ticketId;
        Actor = actor.Length <= 320 ? actor : actor[..320];
        Detail = detail is null ? null : detail.Length <= 500 ? detail : detail[..500];
        CreatedAt = at;
    }

    public long Id { get; private set; }

    /// <summary>The agent told (their user name, as tickets are assigned).</summary>
    public string Recipient { get; private set; } = "";

    public NoticeEvent Kind { get; private set; }
    public long TicketId { get; private set; }

    /// <summary>
    /// Who made the change: an agent's name, "desk", or <see cref="Desk.Domain.Tickets.Ticket.CustomerPlaceholder"/> for the
    /// customer. No customer's address or words are kept here (nor in the mail to the agent): the ticket's own subject is read
    /// when the list is shown, so an erasure of the ticket's personal data leaves nothing behind in notices.
    /// </summary>
    public string Actor { get; private set; } = "";

    /// <summary>A short fact the desk itself words: whom it was escalated to ("team Billing"), which SLA clock.</summary>
    public string? Detail { get; private set; }

    public DateTime CreatedAt { get; private set; }
    public DateTime? ReadAt { get; private set; }

    public string TicketNumber => Desk.Domain.Tickets.TicketNumber.Format(TicketId);

    public void MarkRead(DateTime now) => ReadAt ??= now;
}

/// <summary>
/// An agent's choice of what they are told, and how: one row per agent, absent until they change something (then the
/// defaults of <see cref="Defaults"/> apply).
/// </summary>
public sealed class NotificationPreferences
{
    private NotificationPreferences() { } // for EF Core

    public NotificationPreferences(string userName)
    {
        UserName = userName;
        ByMail = Defaults.ByMail;
        InApp = Defaults.InApp;
        MailLanguage = Defaults.MailLanguage;
    }

    /// <summary>What an agent who never chose is told: everything under the bell, and by mail everything but the early SLA warning.</summary>
    public static readonly (NoticeEvent ByMail, NoticeEvent InApp, string MailLanguage) Defaults = (
        NoticeEvent.Assigned | NoticeEvent.CustomerReplied | NoticeEvent.Reopened | NoticeEvent.SlaMissed | NoticeEvent.Escalated,
        All, "en");

    public static NoticeEvent All => NoticeEvent.Assigned | NoticeEvent.CustomerReplied | NoticeEvent.Reopened
        | NoticeEvent.SlaWarning | NoticeEvent.SlaMissed | NoticeEvent.Escalated;

    public string UserName { get; private set; } = "";
    public NoticeEvent ByMail { get; private set; }
    public NoticeEvent InApp { get; private set; }

    /// <summary>"en" or "zh": the language of the mails this agent gets.</summary>
    public string MailLanguage { get; private set; } = "en";

    public void Change(NoticeEvent byMail, NoticeEvent inApp, string mailLanguage)
    {
        ByMail = byMail & All;
        InApp = inApp & All;
        MailLanguage = mailLanguage == "zh" ? "zh" : "en";
    }
}

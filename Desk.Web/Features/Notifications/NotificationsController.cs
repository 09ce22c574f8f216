using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Desk.Web.Features.Notifications;

/// <summary>
/// An agent's own notices (the list behind the bell; marking read) and their choice of what they are told, and how
/// (<c>/account/notifications</c>). Everyone sees only their own.
/// </summary>
[Authorize(Policy = DeskPolicies.WorksTickets)]
public sealed class NotificationsController(NotificationQueries notices) : Controller
{
    private string Me => User.Identity!.Name!;

    [HttpGet("/notifications")]
    public async Task<IActionResult> Index(bool unread, CancellationToken ct) =>
        View(new NotificationsPage(await notices.ListAsync(Me, unread, ct), unread, await notices.UnreadCountAsync(Me, ct)));

    /// <summary>Marks one notice read; with <paramref name="open"/>, goes on to its ticket.</summary>
    [HttpPost("/notifications/{id:long}/read")]
    public async Task<IActionResult> Read(long id, bool open, bool unread, CancellationToken ct)
    {
        var ticketId = await notices.MarkReadAsync(Me, id, ct);
        if (ticketId is null) return NotFound();
        return open
            ? Redirect($"/tickets/{Desk.Domain.Tickets.TicketNumber.Format(ticketId.Value)}")
            : Redirect(unread ? "/notifications?unread=true" : "/notifications");
    }

    [HttpPost("/notifications/read-all")]
    public async Task<IActionResult> ReadAll(CancellationToken ct)
    {
        await notices.MarkAllReadAsync(Me, ct);
        return Redirect("/notifications");
    }

    [HttpGet("/account/notifications")]
    public async Task<IActionResult> Preferences(CancellationToken ct) =>
        View(new NotificationPreferencesPage(await notices.PreferencesAsync(Me, ct), false));

    /// <summary>Fields "Mail" and "InApp": the events wanted each way (checkboxes); "MailLanguage": en or zh.</summary>
    [HttpPost("/account/notifications")]
    public async Task<IActionResult> SavePreferences(NoticeEvent[]? mail, NoticeEvent[]? inApp, string? mailLanguage, CancellationToken ct)
    {
        static NoticeEvent Join(NoticeEvent[]? events) => (events ?? []).Aggregate(NoticeEvent.None, (all, e) => all | e);
        await notices.SavePreferencesAsync(Me, Join(mail), Join(inApp), mailLanguage ?? "en", ct);
        return View("Preferences", new NotificationPreferencesPage(await notices.PreferencesAsync(Me, ct), true));
    }
}

public sealed record NotificationsPage(IReadOnlyList<NotificationRow> Rows, bool UnreadOnly, int UnreadCount);

public sealed record NotificationPreferencesPage(NotificationPreferences Preferences, bool Saved)
{
    /// <summary>The events in the order the page lists them.</summary>
    public static IReadOnlyList<NoticeEvent> Events { get; } =
        [NoticeEvent.Assigned, NoticeEvent.CustomerReplied, NoticeEvent.Reopened, NoticeEvent.Escalated, NoticeEvent.SlaWarning, NoticeEvent.SlaMissed];
}

/// <summary>How the pages say a notice, in the reader's language.</summary>
public static class NoticeText
{
    public static string Label(NoticeEvent kind) => kind switch
    {
        NoticeEvent.Assigned => "Assigned to you",
        NoticeEvent.CustomerReplied => "Customer replied on your ticket",
        NoticeEvent.Reopened => "Your ticket reopened",
        NoticeEvent.SlaWarning => "SLA target about to be missed",
        NoticeEvent.SlaMissed => "SLA target missed",
        NoticeEvent.Escalated => "Escalated to you or your team",
        _ => kind.ToString(),
    };

    /// <summary>One sentence: who did what.</summary>
    public static string Sentence(NotificationRow row, IStringLocalizer text)
    {
        var who = row.Actor switch
        {
            Desk.Domain.Tickets.Ticket.CustomerPlaceholder => text["the customer"].Value,
            "desk" => text["the desk"].Value,
            var name => name,
        };
        var clock = row.Detail == nameof(SlaClock.FirstResponse) ? text["first response"].Value : text["resolution"].Value;
        return row.Kind switch
        {
            NoticeEvent.Assigned => text["{0} assigned it to you.", who],
            NoticeEvent.CustomerReplied => text["The customer wrote again."],
            NoticeEvent.Reopened => text["Reopened by {0}.", who],
            NoticeEvent.SlaWarning => text["The {0} target is about to be missed.", clock],
            NoticeEvent.SlaMissed => text["The {0} target was missed.", clock],
            NoticeEvent.Escalated when row.Detail is { } d && d.StartsWith("team ", StringComparison.Ordinal) => text["{0} escalated it to your team {1}.", who, d[5..]],
            NoticeEvent.Escalated => text["{0} escalated it to you.", who],
            _ => row.Kind.ToString(),
        };
    }
}

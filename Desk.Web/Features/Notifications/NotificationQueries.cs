using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Notifications;

/// <summary>One line of an agent's notices, with the ticket's subject as it reads now.</summary>
public sealed record NotificationRow(long Id, Desk.Web.Features.Notifications.NoticeEvent Kind, long TicketId, string TicketSubject, string Actor,
    string? Detail, DateTime CreatedAt, DateTime? ReadAt)
{
    public string TicketNumber => Desk.Domain.Tickets.TicketNumber.Format(TicketId);
    public bool IsUnread => ReadAt is null;
}

/// <summary>Reads an agent's notices as rows (the bell's count, the list) and marks them read. Every call is for one agent: nobody reads another's.</summary>
public sealed class NotificationQueries(DeskDbContext db, TimeProvider clock, BellCounts bell)
{
    /// <summary>The bell shows at most "99+".</summary>
    public const int BellCap = 99;

    public const int PageSize = 50;

    /// <summary>The unread count, capped at <see cref="BellCap"/> + 1 so a flood costs what a few do.</summary>
    public Task<int> UnreadCountAsync(string agent, CancellationToken ct = default) =>
        db.Set<Notification>().Where(n => n.Recipient == agent && n.ReadAt == null).OrderBy(n => n.Id).Take(BellCap + 1).CountAsync(ct);

    /// <summary>The newest <see cref="PageSize"/> notices, unread ones first when <paramref name="unreadOnly"/>.</summary>
    public Task<List<NotificationRow>> ListAsync(string agent, bool unreadOnly, CancellationToken ct = default) =>
        (from n in db.Set<Notification>().AsNoTracking()
         where n.Recipient == agent && (!unreadOnly || n.ReadAt == null)
         join t in db.Tickets on n.TicketId equals t.Id
         orderby n.Id descending
         select new NotificationRow(n.Id, n.Kind, n.TicketId, t.Subject, n.Actor, n.Detail, n.CreatedAt, n.ReadAt))
        .Take(PageSize).ToListAsync(ct);

    /// <summary>Marks one of <paramref name="agent"/>'s notices read; its ticket id, or null when it is not theirs.</summary>
    public async Task<long?> MarkReadAsync(string agent, long id, CancellationToken ct = default)
    {
        var notice = await db.Set<Notification>().SingleOrDefaultAsync(n => n.Id == id && n.Recipient == agent, ct);
        if (notice is null) return null;
        notice.MarkRead(clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        bell.Forget(agent);
        return notice.TicketId;
    }

    /// <summary>Marks all of <paramref name="agent"/>'s notices read; how many were unread.</summary>
    public async Task<int> MarkAllReadAsync(string agent, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var read = await db.Set<Notification>().Where(n => n.Recipient == agent && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
        bell.Forget(agent);
        return read;
    }

    /// <summary>The agent's preferences, or the defaults when they never chose.</summary>
    public async Task<NotificationPreferences> PreferencesAsync(string agent, CancellationToken ct = default) =>
        await db.Set<NotificationPreferences>().AsNoTracking().SingleOrDefaultAsync(p => p.UserName == agent, ct) ?? new NotificationPreferences(agent);

    public async Task SavePreferencesAsync(string agent, NoticeEvent byMail, NoticeEvent inApp, string mailLanguage, CancellationToken ct = default)
    {
        var preferences = await db.Set<NotificationPreferences>().SingleOrDefaultAsync(p => p.UserName == agent, ct);
        if (preferences is null) db.Set<NotificationPreferences>().Add(preferences = new NotificationPreferences(agent));
        preferences.Change(byMail, inApp, mailLanguage);
        await db.SaveChangesAsync(ct);
    }
}

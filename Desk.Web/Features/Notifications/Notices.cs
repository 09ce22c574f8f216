using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Email;
using Desk.Web.Email.Outbound;
using Desk.Web.Features.Teams;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;

namespace Desk.Web.Features.Notifications;

/// <summary>One thing to tell one agent, before their preferences decide how (under the bell, by mail, both or neither).</summary>
public sealed record PendingNotice(string Recipient, NoticeEvent Kind, long TicketId, string Actor, string? Detail, DateTime At);

/// <summary>
/// The one place agents' notices come from. <see cref="Derive"/> reads them off the changes being saved — the new audit
/// entries and conversation entries of every tracked ticket — so whichever channel made the change (mail intake, the web
/// form, the status page, a survey, an agent's step, a background job) its notices are written in the same transaction:
/// assigned (to the new assignee), reopened and customer replied (to the assignee), escalated (to the agent or every member
/// of the team it went to). Whoever made the change is not told of it. A ticket's first save (its receipt) tells nobody.
/// </summary>
public static class Notices
{
    /// <summary>Entries already read, so a save that is tried again does not tell anyone twice.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> Derived = new();

    /// <summary>The notices the pending changes in <paramref name="db"/> call for (nothing is written).</summary>
    public static List<PendingNotice> Derive(DeskDbContext db)
    {
        if (db.ChangeTracker.AutoDetectChangesEnabled) db.ChangeTracker.DetectChanges();
        var notices = new List<PendingNotice>();
        foreach (var entry in db.ChangeTracker.Entries<Ticket>())
        {
            if (entry.State is EntityState.Added or EntityState.Detached or EntityState.Deleted) continue;
            var ticket = entry.Entity;
            var steps = ticket.AuditTrail.Where(a => IsNew(db, a)).ToList();
            var messages = ticket.Conversation.Where(c => c.Kind == ConversationEntryKind.Inbound && IsNew(db, c)).ToList();
            if (steps.Count == 0 && messages.Count == 0) continue;

            if (steps.LastOrDefault(a => a.Trigger == TicketTrigger.Assign) is { } assigned && ticket.AssignedTo is { } assignee)
                notices.Add(new(assignee, NoticeEvent.Assigned, ticket.Id, Who(assigned.Actor), null, assigned.At));
            var reopened = steps.LastOrDefault(a => a.Trigger == TicketTrigger.Reopen);
            if (reopened is not null && ticket.AssignedTo is { } owner)
                notices.Add(new(owner, NoticeEvent.Reopened, ticket.Id, Who(reopened.Actor), null, reopened.At));
            // A message that reopened the ticket is told as the reopening; otherwise the customer's news is its own notice.
            if (reopened is null && messages.LastOrDefault() is { } message && ticket.AssignedTo is { } reader)
                notices.Add(new(reader, NoticeEvent.CustomerReplied, ticket.Id, Who(message.Author), null, message.At));
            if (steps.LastOrDefault(a => a.Trigger == TicketTrigger.Escalate) is { } escalated && ticket.EscalationTarget is { } target)
                notices.Add(new(target.Key, NoticeEvent.Escalated, ticket.Id, Who(escalated.Actor), target.ToString(), escalated.At));

            foreach (var step in steps) Derived.AddOrUpdate(step, step);
            foreach (var m in messages) Derived.AddOrUpdate(m, m);
        }
        return notices;
    }

    /// <summary>
    /// Writes <paramref name="notices"/> into <paramref name="db"/>'s unit of work: a <see cref="Notification"/> for each
    /// agent who wants it in the app, an outbox mail for each who wants it by mail. A recipient of the form
    /// "team:Name" is every member of that team; "agent:name" or a plain name is that agent. Nobody is told of their own
    /// change; a name without an account is skipped.
    /// </summary>
    public static async Task AddAsync(DeskDbContext db, IReadOnlyList<PendingNotice> notices, CancellationToken ct)
    {
        if (notices.Count == 0) return;
        var expanded = new List<PendingNotice>();
        foreach (var notice in notices)
        {
            if (EscalationTarget.TryParse(notice.Recipient, out var target) && target!.Kind == EscalationTargetKind.Team)
            {
                var members = await db.Set<TeamMember>().AsNoTracking()
                    .Where(m => db.Set<Team>().Any(t => t.Id == m.TeamId && t.Name == target.Name)).Select(m => m.UserName).ToListAsync(ct);
                expanded.AddRange(members.Select(m => notice with { Recipient = m }));
            }
            else expanded.Add(notice with { Recipient = target?.Name ?? notice.Recipient });
        }
        expanded = expanded.Where(n => !string.Equals(n.Recipient, n.Actor, StringComparison.OrdinalIgnoreCase))
            .DistinctBy(n => (n.Recipient, n.Kind, n.TicketId)).ToList();
        if (expanded.Count == 0) return;

        var names = expanded.Select(n => n.Recipient).Distinct().ToList();
        var people = (await db.Users.AsNoTracking().Where(u => names.Contains(u.UserName!))
                .Select(u => new { u.UserName, u.Email, u.DisplayName, u.LockoutEnd }).ToListAsync(ct))
            .Where(u => u.LockoutEnd is null || u.LockoutEnd < DateTimeOffset.UtcNow.AddYears(50)) // a disabled account is locked out for good
            .ToDictionary(u => u.UserName!, StringComparer.Ordinal);
        var preferences = await db.Set<NotificationPreferences>().AsNoTracking().Where(p => names.Contains(p.UserName)).ToDictionaryAsync(p => p.UserName, ct);
        var mail = MailSettings(db);
        foreach (var notice in expanded)
        {
            if (!people.TryGetValue(notice.Recipient, out var person)) continue;
            var chosen = preferences.GetValueOrDefault(notice.Recipient) ?? new NotificationPreferences(notice.Recipient);
            if (chosen.InApp.HasFlag(notice.Kind))
                db.Set<Notification>().Add(new Notification(notice.Recipient, notice.Kind, notice.TicketId, notice.Actor, notice.Detail, notice.At));
            if (chosen.ByMail.HasFlag(notice.Kind) && !string.IsNullOrWhiteSpace(person.Email))
            {
                var (subject, body) = NoticeMail.Compose(chosen.MailLanguage, notice, mail);
                db.OutboundMails.Add(new OutboundMail(null, OutboundKind.AgentNotice, person.Email, person.DisplayName is { Length: > 0 } display ? display : notice.Recipient,
                    subject, body, chosen.MailLanguage, NoticeMail.NewMessageId(mail), null, null, notice.At));
            }
        }
    }

    /// <summary>The customer is never named in a notice (their address is personal data the notice would outlive).</summary>
    private static string Who(string actor) => actor.Contains('@', StringComparison.Ordinal) ? Ticket.CustomerPlaceholder : actor;

    private static bool IsNew(DeskDbContext db, object entry) =>
        db.Entry(entry).State == EntityState.Added && !Derived.TryGetValue(entry, out _);

    /// <summary>The desk's mail settings where the context came from the application; the defaults otherwise (a command, a test's context).</summary>
    private static MailOptions MailSettings(DeskDbContext db) =>
        db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider
            ?.GetService<IOptions<MailOptions>>()?.Value ?? new MailOptions();
}

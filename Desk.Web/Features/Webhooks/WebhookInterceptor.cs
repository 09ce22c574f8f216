using System.Runtime.CompilerServices;
using Desk.Domain.FollowUps;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Features.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Desk.Web.Features.Webhooks;

/// <summary>An event read off the changes being saved, before it is fanned out to the hooks that want it.</summary>
internal sealed record PendingWebhookEvent(Ticket? NewTicket, long TicketId, WebhookEvents Event, DateTime At, TicketState? State, TicketState? Previous);

/// <summary>
/// The one place webhook events come from: every save of every <see cref="DeskDbContext"/> is read for them — a ticket
/// added (created), its new audit entries (state changed, resolved), its new inbound messages (customer replied), a
/// survey's answer and an SLA breach recorded by the SLA watch — and a <see cref="WebhookDelivery"/> is added for each
/// hook that is on and wants the event, in the same unit of work: the deliveries commit or roll back with the change.
/// Whichever channel made the change (mail, web form, status page, API, an agent's step, a background job), none has
/// to remember to tell. Stateless; one instance serves every context.
/// </summary>
public sealed class WebhookInterceptor : SaveChangesInterceptor
{
    public static readonly WebhookInterceptor Instance = new();

    /// <summary>Entries already read, so a save that is tried again does not record an event twice.</summary>
    private static readonly ConditionalWeakTable<object, object> Derived = new();

    private WebhookInterceptor() { }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        if (eventData.Context is DeskDbContext db) await AddDeliveriesAsync(db, cancellationToken);
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is DeskDbContext db) AddDeliveriesAsync(db, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    private static async Task AddDeliveriesAsync(DeskDbContext db, CancellationToken ct)
    {
        var events = Derive(db);
        var hooksChanged = db.ChangeTracker.Entries<Webhook>().Any(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted);
        if (hooksChanged && db.Database.CurrentTransaction is { } changing) HooksInTransaction.Remove(changing); // read again at the next save
        if (events.Count == 0) return;
        var hooks = await HooksOnAsync(db, hooksChanged, ct);
        if (hooks.Count == 0) return;
        // The ticket's state for events that do not carry it (a survey's answer, an SLA breach), read once per ticket.
        var unknown = events.Where(e => e.State is null && e.NewTicket is null).Select(e => e.TicketId).Distinct().ToList();
        var states = new Dictionary<long, TicketState>();
        foreach (var id in unknown)
        {
            var tracked = db.ChangeTracker.Entries<Ticket>().FirstOrDefault(t => t.Entity.Id == id)?.Entity;
            states[id] = tracked?.State ?? await db.Tickets.Where(t => t.Id == id).Select(t => t.State).SingleAsync(ct);
        }
        foreach (var e in events.OrderBy(e => e.At)) // stable: one save's events keep the order they were read in
            foreach (var hook in hooks.Where(h => h.Events.HasFlag(e.Event)))
                db.Set<WebhookDelivery>().Add(new WebhookDelivery(hook.Id, e.NewTicket, e.TicketId, e.Event, e.At,
                    e.State ?? states[e.TicketId], e.Previous, e.At));
    }

    /// <summary>
    /// The hooks that are on, read once per transaction (a mail batch saves 50 tickets in one) and at every save outside
    /// one; read again after a save in the transaction changed a hook.
    /// </summary>
    private static async Task<List<HookOn>> HooksOnAsync(DeskDbContext db, bool hooksChanged, CancellationToken ct)
    {
        var transaction = hooksChanged ? null : db.Database.CurrentTransaction; // a save that changes a hook reads them and keeps nothing
        if (transaction is not null && HooksInTransaction.TryGetValue(transaction, out var known)) return known;
        var hooks = await db.Set<Webhook>().AsNoTracking().Where(h => h.DisabledAt == null).Select(h => new HookOn(h.Id, h.Events)).ToListAsync(ct);
        if (transaction is not null) HooksInTransaction.AddOrUpdate(transaction, hooks);
        return hooks;
    }

    private sealed record HookOn(long Id, WebhookEvents Events);

    /// <summary>The hooks read in a transaction (EF's transaction object is new for every transaction, the connection's may be reused).</summary>
    private static readonly ConditionalWeakTable<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction, List<HookOn>> HooksInTransaction = new();

    /// <summary>The events the pending changes in <paramref name="db"/> are (nothing is written).</summary>
    internal static List<PendingWebhookEvent> Derive(DeskDbContext db)
    {
        if (db.ChangeTracker.AutoDetectChangesEnabled) db.ChangeTracker.DetectChanges();
        var events = new List<PendingWebhookEvent>();
        foreach (var entry in db.ChangeTracker.Entries<Ticket>())
        {
            var ticket = entry.Entity;
            if (entry.State is EntityState.Detached or EntityState.Deleted) continue;
            if (entry.State == EntityState.Added)
            {
                if (!Derived.TryGetValue(ticket, out _))
                {
                    var receipt = ticket.AuditTrail.FirstOrDefault();
                    events.Add(new(ticket, 0, WebhookEvents.TicketCreated, receipt?.At ?? ticket.ReceivedAt, ticket.State, null));
                    Derived.AddOrUpdate(ticket, ticket);
                }
                continue;
            }
            foreach (var step in ticket.AuditTrail.Where(a => IsNew(db, a)))
            {
                if (step.FromState is { } from && from != step.ToState)
                    events.Add(new(null, ticket.Id, WebhookEvents.StateChanged, step.At, step.ToState, from));
                if (step.Trigger == TicketTrigger.Resolve)
                    events.Add(new(null, ticket.Id, WebhookEvents.Resolved, step.At, step.ToState, step.FromState));
                Derived.AddOrUpdate(step, step);
            }
            foreach (var message in ticket.Conversation.Where(c => c.Kind == ConversationEntryKind.Inbound && IsNew(db, c)))
            {
                events.Add(new(null, ticket.Id, WebhookEvents.CustomerReplied, message.At, ticket.State, null));
                Derived.AddOrUpdate(message, message);
            }
        }
        foreach (var entry in db.ChangeTracker.Entries<Survey>())
        {
            if (entry.State != EntityState.Modified || entry.Entity.AnsweredAt is not { } answered || Derived.TryGetValue(entry.Entity, out _)) continue;
            if (entry.Property(s => s.AnsweredAt).OriginalValue is not null) continue;
            events.Add(new(null, entry.Entity.TicketId, WebhookEvents.SurveyAnswered, answered, null, null));
            Derived.AddOrUpdate(entry.Entity, entry.Entity);
        }
        foreach (var entry in db.ChangeTracker.Entries<SlaNotice>())
        {
            if (entry.State != EntityState.Added || entry.Entity.Stage != SlaStage.Missed || Derived.TryGetValue(entry.Entity, out _)) continue;
            events.Add(new(null, entry.Entity.TicketId, WebhookEvents.SlaMissed, entry.Entity.NoticedAt, null, null));
            Derived.AddOrUpdate(entry.Entity, entry.Entity);
        }
        return events;
    }

    private static bool IsNew(DeskDbContext db, object entry) =>
        db.Entry(entry).State == EntityState.Added && !Derived.TryGetValue(entry, out _);
}

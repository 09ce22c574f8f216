using Desk.Domain.Customers;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Features.Attachments;
using Desk.Web.Features.Customers;
using Desk.Web.Features.Drafts;
using Desk.Web.Features.Macros;
using Desk.Web.Features.Reports;
using Desk.Web.Features.Shared;
using Desk.Web.Identity;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Tickets;

/// <summary>
/// Reads what the ticket page shows around a loaded ticket: the customer, their orders and other tickets, the choices
/// of the step forms, canned replies, mails in and out, follow-up and outcome. Reads only; the steps are the controller's.
/// </summary>
public sealed class TicketPageQuery(DeskDbContext db, TimeProvider clock, ReferenceCache reference, LoyaltyScoring loyalty, ReplyDrafts drafts)
{
    /// <summary>Everything the ticket page shows beside the ticket itself, read as rows; <paramref name="me"/> is the reading agent.</summary>
    /// <param name="kept">After a refusal, what the agent posted: kept in its form, with what changed since they looked.</param>
    public async Task<TicketPage> ReadAsync(Ticket ticket, string me, string? done, string? error, CancellationToken ct, KeptForm? kept = null)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var row = await db.Customers.AsNoTracking()
            .Where(c => c.Id == ticket.CustomerId)
            .Select(c => new
            {
                Customer = c,
                Orders = db.Orders.Count(o => o.CustomerId == c.Id),
                Spent = db.Orders.Where(o => o.CustomerId == c.Id).Sum(o => (decimal?)o.Amount) ?? 0m,
            })
            .SingleAsync(ct);
        var c = row.Customer;
        var customer = new CustomerPanel(c.Id, c.Name, c.Email, c.Phone, c.Language, c.Level, c.FirstSeenAt, row.Orders, row.Spent);
        // Unverified (a web complaint under a known address, not yet confirmed by its owner): kept apart from the
        // customer's orders and other tickets, so that nobody reads them to whoever filed it.
        var joined = !ticket.ContactUnverified;
        var orders = await db.Orders.AsNoTracking()
            .Where(o => joined && o.CustomerId == ticket.CustomerId)
            .OrderByDescending(o => o.PlacedAt).Take(10)
            .Select(o => new OrderLine(o.ExternalRef, o.PlacedAt, o.Amount, o.Product, o.Category))
            .ToListAsync(ct);
        var otherTickets = await db.Tickets.AsNoTracking()
            .Where(t => joined && t.CustomerId == ticket.CustomerId && t.Id != ticket.Id && !t.ContactUnverified)
            .OrderByDescending(t => t.ReceivedAt).Take(10)
            .Select(t => new OtherTicket(t.Id, t.Subject, t.State, t.ReceivedAt))
            .ToListAsync(ct);
        var lists = reference.Get(db);
        var causes = lists.RootCauses;
        var chinese = System.Globalization.CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal);
        string Name(Desk.Domain.RootCauses.RootCause c) => chinese ? c.NameZh : c.Name;
        var rootCause = ticket.RootCauseId is { } causeId && causes.FirstOrDefault(c => c.Id == causeId) is { } cause
            ? new RootCauseName(Name(cause), causes.FirstOrDefault(p => p.Id == cause.ParentId) is { } parentCause ? Name(parentCause) : null)
            : null;
        var choices = causes.Where(c => c.ParentId is null).Select(parent => new RootCauseGroup(Name(parent),
            causes.Where(c => c.ParentId == parent.Id && c.IsActive).Select(c => new RootCauseChoice(c.Id, Name(c))).ToList())).ToList();

        var macros = lists.MacrosFor(me)
            .Select(m => new MacroChoice(m.Id, m.Title, m.Fill(customer.Name, ticket.Number, me), m.Group, m.IsShared)).ToList();
        var inbound = (await db.InboundMails.AsNoTracking().Where(m => m.TicketId == ticket.Id && m.ConversationEntryId != null)
            .Select(m => new InboundMailLink(m.Id, m.ConversationEntryId!.Value, m.Html != null, m.Note)).ToListAsync(ct)).ToLookup(m => m.EntryId);
        var outbound = await db.OutboundMails.AsNoTracking().Where(m => m.TicketId == ticket.Id).OrderBy(m => m.Id)
            .Select(m => new OutboundMailLine(m.Kind, m.To, m.State, m.CreatedAt, m.SentAt, m.Attempts, m.LastError)).ToListAsync(ct);
        return new TicketPage(ticket, customer, orders, otherTickets, rootCause, ticket.AvailableSteps(now), now,
            choices, lists.Remedies, lists.Agents, macros, await AttachmentUploads.LinksAsync(db, ticket.Id, ct), inbound, outbound, done, error,
            await loyalty.PanelAsync(row.Customer, ct))
        {
            Outcome = joined ? await TicketOutcome.ForAsync(db, ticket, now, ct, lists.RepurchaseWindow) : null,
            FollowUpTasks = await db.FollowUpTasks.AsNoTracking().Where(k => k.TicketId == ticket.Id).OrderBy(k => k.DueAt).ThenBy(k => k.Id).ToListAsync(ct),
            Survey = await db.Surveys.AsNoTracking().SingleOrDefaultAsync(v => v.TicketId == ticket.Id, ct),
            TeamNames = lists.TeamNames,
            RootCauseNames = causes.ToDictionary(c => c.Id, c => new RootCauseName(Name(c),
                causes.FirstOrDefault(p => p.Id == c.ParentId) is { } parent ? Name(parent) : null).ToString()),
            ReplyBox = await ReplyBoxAsync(ticket, me, kept, ct),
        };
    }

    /// <summary>
    /// The reply box: the text to put back (kept from a refused send, else the agent's draft), the agent's signature, and
    /// after a refusal what changed since the agent's page was shown (entries newer than the ones it showed).
    /// </summary>
    private async Task<ReplyBoxState> ReplyBoxAsync(Ticket ticket, string me, KeptForm? kept, CancellationToken ct)
    {
        var keptInBox = kept is { What: nameof(TicketAction.Reply) or nameof(TicketAction.Note) } ? kept.Form.Text : null;
        var text = string.IsNullOrEmpty(keptInBox) ? await drafts.ReadAsync(ticket.Id, me, ct) : keptInBox;
        var changes = kept is null ? [] : ticket.AuditTrail.Where(a => a.Id > (kept.Form.SeenAuditId ?? long.MaxValue))
            .Select(a => new SeenChange(a.At, a.Id, a.Actor, a.Trigger, a.ToState, a.Comment, null))
            .Concat(ticket.Conversation.Where(e => e.Id > (kept.Form.SeenEntryId ?? long.MaxValue))
                .Select(e => new SeenChange(e.At, e.Id, e.Author, null, null, e.Body, e.Kind)))
            .OrderBy(c => c.At).ToList();
        var signature = reference.Get(db).Signatures.GetValueOrDefault(me);
        return new ReplyBoxState(text, string.IsNullOrWhiteSpace(signature) ? null : signature, kept, changes,
            ticket.AuditTrail.Count == 0 ? 0 : ticket.AuditTrail.Max(a => a.Id), ticket.Conversation.Count == 0 ? 0 : ticket.Conversation.Max(e => e.Id));
    }
}

public sealed record TicketPage(
    Ticket Ticket, CustomerPanel Customer, IReadOnlyList<OrderLine> Orders, IReadOnlyList<OtherTicket> OtherTickets,
    RootCauseName? RootCause, IReadOnlyList<TicketTrigger> AvailableSteps, DateTime Now,
    IReadOnlyList<RootCauseGroup> RootCauses, IReadOnlyList<RemedyOption> Remedies, IReadOnlyList<string> Agents, IReadOnlyList<MacroChoice> Macros,
    ILookup<long, AttachmentLink> Files, ILookup<long, InboundMailLink> Mails, IReadOnlyList<OutboundMailLine> SentMails, string? Done, string? Error,
    LoyaltyPanel Loyalty)
{
    /// <summary>Whether the customer bought again after this complaint (null when the ticket has no outcome).</summary>
    public Desk.Domain.Recovery.RepurchaseOutcome? Outcome { get; init; }

    /// <summary>The after-care tasks of this ticket, open and settled, earliest first.</summary>
    public IReadOnlyList<Desk.Domain.FollowUps.FollowUpTask> FollowUpTasks { get; init; } = [];

    /// <summary>The follow-up survey: planned, sent, or answered; null before the first resolution.</summary>
    public Desk.Domain.FollowUps.Survey? Survey { get; init; }

    /// <summary>Every root cause by id, retired ones included, as "Parent › Cause" in the reader's language (for the audit trail).</summary>
    public IReadOnlyDictionary<int, string> RootCauseNames { get; init; } = new Dictionary<int, string>();

    /// <summary>The teams a ticket may be escalated to, by name.</summary>
    public IReadOnlyList<string> TeamNames { get; init; } = [];
    /// <summary>What the reply box holds and what changed since the agent looked (after a refusal).</summary>
    public ReplyBoxState ReplyBox { get; init; } = ReplyBoxState.Empty;

    public bool CanReply => Ticket.State is not (TicketState.New or TicketState.Closed or TicketState.Rejected);

    /// <summary>A remedy kind's name in the reader's language; "—" for none.</summary>
    public string RemedyName(int? id) => id is null ? "—" : Remedies.FirstOrDefault(k => k.Id == id)?.Display ?? $"#{id}";
}

/// <summary>The mail a conversation entry came in, for its original and its formatted (sanitised HTML) view.</summary>
public sealed record InboundMailLink(long Id, long EntryId, bool HasHtml, string? Note);

public sealed record OutboundMailLine(Desk.Web.Email.Outbound.OutboundKind Kind, string To, Desk.Web.Email.Outbound.OutboundState State,
    DateTime CreatedAt, DateTime? SentAt, int Attempts, string? LastError);

public sealed record CustomerPanel(long Id, string Name, string Email, string? Phone, string Language, RelationshipLevel Level,
    DateTime FirstSeenAt, int OrderCount, decimal LifetimeValue);

public sealed record OrderLine(string ExternalRef, DateTime PlacedAt, decimal Amount, string? Product, string? Category);

public sealed record OtherTicket(long Id, string Subject, TicketState State, DateTime ReceivedAt)
{
    public string Number => TicketNumber.Format(Id);
}

public sealed record RootCauseName(string Name, string? ParentName)
{
    public override string ToString() => ParentName is null ? Name : $"{ParentName} › {Name}";
}

public sealed record RootCauseGroup(string Name, IReadOnlyList<RootCauseChoice> Causes);

public sealed record RootCauseChoice(int Id, string Name);

/// <summary>A canned reply, already filled in for this ticket.</summary>
public sealed record MacroChoice(int Id, string Title, string Text, string? Group = null, bool IsShared = true);

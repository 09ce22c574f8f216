using Desk.Domain;
using Desk.Domain.Customers;
using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Privacy;

/// <summary>
/// "Delete me" (GDPR art. 17, PIPL art. 47): a manager erases one customer's personal data, in one write. What the
/// customer said and what identifies them goes — name, address, phone, subjects, every message's text, files, original
/// mails, mails the desk wrote to them, survey comments, follow-up notes, the shop's order references — and the rest stays
/// anonymised: the tickets with their states, times, remedies, costs and root causes, the orders' dates and amounts, the
/// survey scores, the customer row (placeholder name and address, level, start of tenure). So every report counts what
/// it counted before; the reports' kept outcomes and the search index follow through their triggers, in the same
/// transaction. The erasure itself is written to the privacy trail (<see cref="PrivacyEvent"/>: who, when, the id).
/// </summary>
public sealed class CustomerErasure(DeskDbContext db, TimeProvider clock)
{
    /// <summary>
    /// Erases customer <paramref name="customerId"/> when <paramref name="typedAddress"/> is their address (the confirm
    /// step: an erasure cannot be undone). Throws <see cref="DomainException"/> (nothing changed) when it is not, or when
    /// the customer was erased already; returns null when there is no such customer.
    /// </summary>
    public async Task<PrivacyCounts?> EraseAsync(long customerId, string? typedAddress, string actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var write = await db.BeginWriteAsync(ct);
        var customer = await db.Customers.SingleOrDefaultAsync(c => c.Id == customerId, ct);
        if (customer is null) return null;
        if (customer.ErasedAt is not null) throw new DomainException("This customer was erased already, on {0:yyyy-MM-dd HH:mm} UTC.", customer.ErasedAt.Value);
        if (!string.Equals(typedAddress?.Trim(), customer.Email, StringComparison.OrdinalIgnoreCase))
            throw new DomainException("Type the customer's address exactly to confirm; nothing was erased.");

        var counts = await RemoveAsync(db, customer, now, ct);
        customer.Erase(now);
        db.PrivacyEvents.Add(new PrivacyEvent(PrivacyAction.Erasure, actor, now, customer.Id, counts));
        await db.SaveChangesAsync(ct);
        await write.CommitAsync(ct);
        return counts;
    }

    /// <summary>Everything but the customer row itself, inside the caller's write.</summary>
    private static async Task<PrivacyCounts> RemoveAsync(DeskDbContext db, Customer customer, DateTime now, CancellationToken ct)
    {
        var id = customer.Id;
        var email = customer.Email;
        var tickets = db.Tickets.Where(t => t.CustomerId == id).Select(t => t.Id);

        // Ticket by ticket through the domain (its text, its messages, its trail), a few hundred at most for one person.
        var loaded = await db.Tickets.Include(t => t.Conversation).Include(t => t.AuditTrail).AsSplitQuery()
            .Where(t => t.CustomerId == id).ToListAsync(ct);
        foreach (var ticket in loaded) ticket.RemovePersonalData(email, now);
        foreach (var order in await db.Orders.Where(o => o.CustomerId == id).ToListAsync(ct)) order.Anonymise();

        var attachments = await db.Attachments.Where(a => tickets.Contains(a.TicketId)).ExecuteDeleteAsync(ct);
        // The rows of received mails stay (their keys keep a re-fetched mail from being taken in twice); their contents
        // go, and so do their Message-IDs: a reply to one of them must not thread into the anonymised ticket, it makes a
        // new customer as any mail from the address does. Mails from the address that opened nothing (auto-replies) too.
        var mails = db.InboundMails.Where(m => (m.TicketId != null && tickets.Contains(m.TicketId.Value)) || m.From.ToLower() == email);
        var rawMails = await mails.CountAsync(m => m.Size > 0, ct);
        await mails.ExecuteUpdateAsync(m => m
            .SetProperty(x => x.Raw, Array.Empty<byte>()).SetProperty(x => x.Size, 0L)
            .SetProperty(x => x.From, "").SetProperty(x => x.Subject, "").SetProperty(x => x.MessageId, (string?)null).SetProperty(x => x.Html, (string?)null).SetProperty(x => x.Note, (string?)null), ct);
        // What the desk wrote to them, sent or waiting: nothing more goes out to an erased customer.
        await db.OutboundMails.Where(m => (m.TicketId != null && tickets.Contains(m.TicketId.Value)) || m.To.ToLower() == email).ExecuteDeleteAsync(ct);
        await db.StatusLinks.Where(l => tickets.Contains(l.TicketId)).ExecuteDeleteAsync(ct);
        // Agents' unsent drafts on their tickets: typed about the customer, often quoting them.
        await db.Set<Drafts.ReplyDraft>().Where(d => tickets.Contains(d.TicketId)).ExecuteDeleteAsync(ct);
        await db.Surveys.Where(s => s.CustomerId == id)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Comment, (string?)null).SetProperty(x => x.TokenHash, (string?)null), ct);
        await db.FollowUpTasks.Where(f => f.CustomerId == id).ExecuteUpdateAsync(f => f.SetProperty(x => x.Note, (string?)null), ct);
        return new PrivacyCounts(loaded.Count, rawMails, attachments);
    }
}

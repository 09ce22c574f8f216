using Desk.Domain;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Email.Outbound;
using Desk.Web.Features.Signatures;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.WinBackMail;

/// <summary>
/// A win-back mail as the manager sees it before sending: to whom, in which language, signed how, and the words (the
/// template of the customer's language filled in). <see cref="Refusal"/> says why it cannot be sent, when it cannot.
/// </summary>
public sealed record WinBackDraft(long TicketId, string TicketNumber, string ComplaintSubject, long CustomerId, string CustomerName,
    string? CustomerEmail, string Language, string SignedBy, bool SignedByBrand, string Subject, string Body, DateTime? LastSentAt,
    WinBackRefusal? Refusal);

public enum WinBackRefusal
{
    /// <summary>The customer gave no address (phone or walk-in complaint) or was erased.</summary>
    NoAddress,
    /// <summary>The address's owner has not confirmed the complaint is theirs: nothing is mailed about it before.</summary>
    ContactUnverified,
}

/// <summary>
/// Writes win-back mails: the draft from the admins' template and the sender's signature, and the sending of the words
/// the manager approved, through the outbox with a note on the ticket in one transaction.
/// </summary>
public sealed class WinBackLetters(DeskDbContext db, Outbox outbox, TimeProvider clock)
{
    /// <summary>The draft for <paramref name="ticketId"/> as <paramref name="sender"/> (a user name) would send it; null: no such ticket.</summary>
    public async Task<WinBackDraft?> DraftAsync(long ticketId, string sender, CancellationToken ct)
    {
        var found = await db.Tickets.AsNoTracking().Where(t => t.Id == ticketId)
            .Select(t => new { t.Id, t.Subject, t.CustomerId, t.ContactUnverified }).SingleOrDefaultAsync(ct);
        if (found is null) return null;
        var customer = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == found.CustomerId, ct);
        var template = await TemplateAsync(customer.Language, ct);
        var (signedBy, signature) = await SignatureAsync(template, sender, ct);
        var number = TicketNumber.Format(found.Id);
        var (subject, body) = template.Render(new WinBackValues(customer.Name, number, found.Subject, signature));
        var lastSent = await db.OutboundMails.Where(m => m.TicketId == ticketId && m.Kind == OutboundKind.WinBack)
            .MaxAsync(m => (DateTime?)m.CreatedAt, ct);
        WinBackRefusal? refusal = !customer.CanBeMailed ? WinBackRefusal.NoAddress : found.ContactUnverified ? WinBackRefusal.ContactUnverified : null;
        return new WinBackDraft(found.Id, number, found.Subject, customer.Id, customer.Name, customer.CanBeMailed ? customer.Email : null,
            customer.Language, signedBy, template.Brand is not null, subject, body, lastSent, refusal);
    }

    /// <summary>
    /// Sends <paramref name="subject"/> and <paramref name="body"/> as typed (the ticket's tag is added to the subject when
    /// missing, so a reply finds its ticket) and notes on the ticket who sent it to whom. Returns the address; null: no such
    /// ticket. A <see cref="DomainException"/> when it cannot be sent (no address, unverified contact, empty or too long
    /// text): then nothing is queued and nothing noted.
    /// </summary>
    public async Task<string?> SendAsync(long ticketId, string? subject, string? body, string sender, CancellationToken ct)
    {
        var s = (subject ?? "").Trim();
        var b = (body ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        if (s.Length == 0) throw new DomainException("The subject is empty.");
        if (b.Length == 0) throw new DomainException("The text is empty.");
        if (s.Length > WinBackTemplate.SubjectMaxLength) throw new DomainException("The subject is too long (at most {0} characters).", WinBackTemplate.SubjectMaxLength);
        if (b.Length > WinBackTemplate.BodyMaxLength) throw new DomainException("The text is too long (at most {0} characters).", WinBackTemplate.BodyMaxLength);

        await using var transaction = await db.BeginWriteAsync(ct);
        var ticket = await db.Tickets.Include(t => t.Conversation).SingleOrDefaultAsync(t => t.Id == ticketId, ct);
        if (ticket is null) return null;
        var customer = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == ticket.CustomerId, ct);
        if (ticket.ContactUnverified)
            throw new DomainException("The owner of this address has not confirmed the complaint is theirs: nothing is mailed about it until they do.");
        await outbox.QueueWinBackAsync(ticket, customer, s, b, ct); // refuses a customer without an address
        ticket.RecordEvent(clock.GetUtcNow().UtcDateTime, $"Win-back mail sent to {customer.Email} by {sender}.");
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        outbox.Wake();
        return customer.Email;
    }

    /// <summary>The admins' template for <paramref name="language"/>, or the default when its row is missing.</summary>
    public async Task<WinBackTemplate> TemplateAsync(string language, CancellationToken ct) =>
        await db.Set<WinBackTemplate>().AsNoTracking().SingleOrDefaultAsync(t => t.Language == language, ct) ?? WinBackTemplate.Default(language);

    /// <summary>
    /// Who signs, and what stands for {Signature}: the brand when the template names one; otherwise the sender's display
    /// name with their own signature (from /account/signature) under it, the name only once if the signature has it already.
    /// </summary>
    public async Task<(string SignedBy, string Signature)> SignatureAsync(WinBackTemplate template, string sender, CancellationToken ct)
    {
        if (template.Brand is { } brand) return (brand, brand);
        var display = await db.Users.AsNoTracking().Where(u => u.UserName == sender).Select(u => u.DisplayName).SingleOrDefaultAsync(ct);
        var name = string.IsNullOrWhiteSpace(display) ? sender : display.Trim();
        var own = await AgentSignatures.ReadAsync(db, sender, ct);
        return (name, own is null ? name : own.Contains(name, StringComparison.OrdinalIgnoreCase) ? own : $"{name}\n{own}");
    }
}

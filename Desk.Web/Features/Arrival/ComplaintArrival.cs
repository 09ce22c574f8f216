using Desk.Domain;
using Desk.Domain.Customers;
using Desk.Domain.Sla;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Email;
using Desk.Web.Email.Outbound;
using Desk.Web.Features.Attachments;
using Desk.Web.Features.Public;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Desk.Web.Features.Arrival;

/// <summary>A complaint as a channel read it from its input, before the desk has decided anything.</summary>
/// <param name="Email">The writer's address; the customer is found or created by it.</param>
/// <param name="Name">The writer's name, for a customer the desk does not know yet (the address stands in when empty).</param>
/// <param name="Language">"en" or "zh", for a customer the desk does not know yet.</param>
public sealed record ArrivingComplaint(string Email, string? Name, string Language, TicketIntake Intake, IReadOnlyList<UploadedFile> Files)
{
    /// <summary>
    /// Whether the channel shows that the writer owns <see cref="Email"/>: a mail from it, a link that was only ever mailed
    /// to it. The web form does not: a complaint from it under an address the desk knows is filed unverified.
    /// </summary>
    public bool AddressShown { get; init; } = true;

    /// <summary>Mail: the customer's Message-ID, which the acknowledgement answers.</summary>
    public string? InReplyTo { get; init; }

    /// <summary>The web form's one-time submission token: the status link derives from it (see <see cref="StatusLink.TokenForSubmission"/>).</summary>
    public string? Submission { get; init; }

    /// <summary>
    /// An agent filing for a customer (phone, in person) picked one the desk knows: <see cref="Email"/> and
    /// <see cref="Name"/> are not used. Null: the customer is found or created by <see cref="Email"/>, or — when the
    /// agent has no address for them — created without one (<see cref="Customer.WithoutAddress"/>).
    /// </summary>
    public long? CustomerId { get; init; }

    /// <summary>The phone number of a customer created now (an agent filing for them); ignored for one the desk knows.</summary>
    public string? Phone { get; init; }
}

/// <summary>The ticket a complaint opened, its first message, the status token for the customer and whether the acknowledgement went out.</summary>
public sealed record Arrived(Ticket Ticket, Customer Customer, ConversationEntry Message, string StatusToken, bool Acknowledged);

/// <summary>
/// "A complaint arrives" (ISO 10002 7.2–7.4), the one way for every channel (mail, the web form, a customer writing again
/// to a ticket closed for good, an agent filing for a caller or a visitor): the customer is found by address (or picked by
/// the agent) or created, without an address when an agent has none (then nothing is mailed), the ticket opened with the repeat-complaint
/// check, acknowledged at once, given a private status link and its files, and the acknowledgement queued. A web complaint
/// under an address the desk already knew is filed unverified (<see cref="Ticket.ContactUnverified"/>) and its
/// acknowledgement carries the link that confirms it.
/// </summary>
public sealed class ComplaintArrival(DeskDbContext db, SlaPolicy sla, RepeatComplaintPolicy repeats, TimeProvider clock, Outbox outbox,
    IOptions<PublicFormOptions> formOptions, IOptions<MailOptions> mailOptions)
{
    /// <summary>
    /// Receives one complaint in a write transaction of its own and wakes the outbox. Another desk creating the same new
    /// customer at the same moment is not a failure: received again (the tracker cleared of this attempt's customer), it
    /// finds them. The same web form filed twice is not retried: the unique status link refuses the copy, and the caller
    /// answers with the first.
    /// </summary>
    public async Task<Arrived> FileAsync(ArrivingComplaint complaint, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var transaction = await db.BeginWriteAsync(ct);
                var arrived = await ReceiveAsync(complaint, ct);
                await transaction.CommitAsync(ct);
                outbox.Wake();
                return arrived;
            }
            catch (DbUpdateException e) when (attempt < 3 && db.Provider.IsConflict(e))
            {
                db.ChangeTracker.Clear();
                if (await FiledAsync(complaint.Submission, ct)) throw;
            }
        }
    }

    /// <summary>
    /// Receives one complaint inside the caller's write transaction (saved, not committed): a mail batch stores many
    /// in one. The caller commits, retries a conflict, and wakes the outbox.
    /// </summary>
    public async Task<Arrived> ReceiveAsync(ArrivingComplaint complaint, CancellationToken ct)
    {
        var arrived = await ReceiveUnsavedAsync(complaint, ct);
        await db.SaveChangesAsync(ct);
        return arrived;
    }

    /// <summary>
    /// <see cref="ReceiveAsync"/> without its last save: the customer, the ticket and its first message are saved (they
    /// have their ids), its files, status link and acknowledgement are added to the unit of work for the caller's next
    /// save — mail intake adds its record of the mail and saves them all at once (one save fewer per mail).
    /// </summary>
    public async Task<Arrived> ReceiveUnsavedAsync(ArrivingComplaint complaint, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var (customer, address) = await KnownCustomerAsync(complaint, ct);
        var unverified = customer is not null && !complaint.AddressShown;
        DateTime? previousComplaintAt = null;
        if (customer is null)
        {
            customer = address is null ? Customer.WithoutAddress(complaint.Name ?? "", complaint.Phone, now, complaint.Language)
                : new Customer(address, complaint.Name, now, complaint.Language, phone: complaint.Phone);
            db.Customers.Add(customer);
            await db.SaveChangesAsync(ct);
        }
        else if (!unverified)
        {
            previousComplaintAt = await PreviousComplaintAtAsync(db, customer.Id, null, ct);
        }

        var ticket = Ticket.Receive(complaint.Intake with { UnverifiedContact = unverified }, customer, sla, repeats, previousComplaintAt, now);
        ticket.Acknowledge("desk", now); // immediately (7.4), and by mail with the status link
        db.Tickets.Add(ticket);
        await db.SaveChangesAsync(ct);

        var message = ticket.Conversation.First(e => e.Kind == ConversationEntryKind.Inbound);
        AttachmentUploads.AddTo(db, ticket.Id, message.Id, complaint.Files, now);
        var lifetime = TimeSpan.FromDays(formOptions.Value.LinkLifetimeDays);
        var (link, token) = StatusLink.Create(ticket.Id, now, lifetime, complaint.Submission);
        db.StatusLinks.Add(link);
        string? confirmation = null;
        if (unverified)
        {
            (var pending, confirmation) = ContactConfirmation.Create(ticket.Id, now, lifetime);
            db.ContactConfirmations.Add(pending);
            ticket.RecordEvent(now, $"Unverified: filed on the web form under {customer.Email}, an address the desk already knew. It is kept out of that customer's history until the address's owner confirms it with the link mailed to them.");
        }
        var acknowledged = customer.CanBeMailed && await outbox.QueueAcknowledgementAsync(ticket, customer, token, complaint.InReplyTo, ct, confirmation);
        if (!customer.CanBeMailed)
            ticket.RecordEvent(now, "No acknowledgement was mailed: the desk has no e-mail address for this customer. The agent who filed it gave them the ticket number and status link.");
        else if (!acknowledged)
            ticket.RecordEvent(now, $"No acknowledgement was sent: {customer.Email} had {mailOptions.Value.AcknowledgementsPerAddressPerHour} in the last hour already (a robot writing to the desk?).");
        return new Arrived(ticket, customer, message, token, acknowledged);
    }

    /// <summary>
    /// The customer the complaint names: the one an agent picked, or the one with its address; null (with the normalised
    /// address, or none when an agent filed without one) when the desk does not know them yet.
    /// </summary>
    private async Task<(Customer? Customer, string? Address)> KnownCustomerAsync(ArrivingComplaint complaint, CancellationToken ct)
    {
        if (complaint.CustomerId is { } id)
            return (await db.Customers.SingleOrDefaultAsync(c => c.Id == id && c.ErasedAt == null, ct)
                ?? throw new DomainException("That customer is no longer on file (erased, or never was); search again."), null);
        if (complaint.Intake.FiledBy is not null && string.IsNullOrWhiteSpace(complaint.Email)) return (null, null);
        var address = Customer.NormalizeEmail(complaint.Email);
        return (await db.Customers.SingleOrDefaultAsync(c => c.Email == address, ct), address);
    }

    /// <summary>
    /// When the customer last complained (before <paramref name="before"/>, the ticket being confirmed), for the repeat flag:
    /// rejected and still-unverified complaints do not count.
    /// </summary>
    public static Task<DateTime?> PreviousComplaintAtAsync(DeskDbContext db, long customerId, Ticket? before, CancellationToken ct)
    {
        var complaints = db.Tickets
            .Where(t => t.CustomerId == customerId && t.Kind == TicketKind.Complaint && t.State != TicketState.Rejected && !t.ContactUnverified);
        if (before is not null)
        {
            var (id, at) = (before.Id, before.ReceivedAt);
            complaints = complaints.Where(t => t.Id != id && t.ReceivedAt <= at);
        }
        return complaints.MaxAsync(t => (DateTime?)t.ReceivedAt, ct);
    }

    /// <summary>Whether the web form with this one-time <paramref name="submission"/> token has opened its ticket already.</summary>
    public async Task<bool> FiledAsync(string? submission, CancellationToken ct)
    {
        if (submission is null) return false;
        var hash = StatusLink.Hash(StatusLink.TokenForSubmission(submission));
        return await db.StatusLinks.AnyAsync(l => l.TokenHash == hash, ct);
    }
}

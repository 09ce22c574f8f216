using Desk.Domain.Customers;
using Desk.Domain.Sla;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Email.Outbound;
using Desk.Web.Features.Attachments;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Desk.Web.Features.Public;

/// <summary>Settings of the public complaint form and status links.</summary>
public sealed class PublicFormOptions
{
    public const string Section = "Desk:PublicForm";

    /// <summary>
    /// Complaints, replies and survey answers one client address may post per window, and as many to one customer's
    /// e-mail address, against floods and robots; counted in the database, shared by every desk.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10_000)]
    public int PostsPerWindow { get; set; } = 5;

    [System.ComponentModel.DataAnnotations.Range(1, 1440)]
    public int WindowMinutes { get; set; } = 10;

    /// <summary>How long a status link works.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 3650)]
    public int LinkLifetimeDays { get; set; } = 365;
}

/// <summary>
/// Receipt of a complaint from outside (ISO 10002 7.2–7.4): the customer is found by address or
/// created, the ticket opened with the repeat-complaint check, acknowledged at once, and given a
/// private status link — all in one transaction. With a submission token (the web form's) the link is the one derived from
/// it, whose unique hash makes a second filing of the same form fail as a whole, whichever desk it reaches.
/// </summary>
public sealed class ComplaintIntake(DeskDbContext db, SlaPolicy sla, RepeatComplaintPolicy repeats, TimeProvider clock, IOptions<PublicFormOptions> options, Outbox outbox)
{
    public async Task<(Ticket Ticket, string Token)> FileAsync(string email, string name, string language, TicketIntake intake,
        IReadOnlyList<UploadedFile> files, CancellationToken ct, string? submission = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await FileOnceAsync(email, name, language, intake, files, ct, submission);
            }
            catch (DbUpdateException e) when (attempt < 3 && db.Provider.IsConflict(e))
            {
                // Another desk created this customer at the same moment (a second complaint from a new address): filed
                // again, it finds them. The same form filed twice is not retried: the caller answers with the first.
                db.ChangeTracker.Clear(); // the customer this attempt added is not to be added again
                if (await FiledAsync(submission, ct)) throw;
            }
        }
    }

    private async Task<bool> FiledAsync(string? submission, CancellationToken ct)
    {
        if (submission is null) return false;
        var hash = StatusLink.Hash(StatusLink.TokenForSubmission(submission));
        return await db.StatusLinks.AnyAsync(l => l.TokenHash == hash, ct);
    }

    private async Task<(Ticket Ticket, string Token)> FileOnceAsync(string email, string name, string language, TicketIntake intake,
        IReadOnlyList<UploadedFile> files, CancellationToken ct, string? submission)
    {
        var address = Customer.NormalizeEmail(email);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.BeginWriteAsync(ct);

        var customer = await db.Customers.SingleOrDefaultAsync(c => c.Email == address, ct);
        if (customer is null)
        {
            customer = new Customer(address, name, now, language);
            db.Customers.Add(customer);
            await db.SaveChangesAsync(ct);
        }
        var previousComplaintAt = await db.Tickets
            .Where(t => t.CustomerId == customer.Id && t.Kind == TicketKind.Complaint && t.State != TicketState.Rejected)
            .MaxAsync(t => (DateTime?)t.ReceivedAt, ct);

        var ticket = Ticket.Receive(intake, customer, sla, repeats, previousComplaintAt, now);
        ticket.Acknowledge("desk", now); // immediately (7.4), and by mail with the status link
        db.Tickets.Add(ticket);
        await db.SaveChangesAsync(ct);

        AttachmentUploads.AddTo(db, ticket.Id, ticket.Conversation[0].Id, files, now);
        var (link, token) = StatusLink.Create(ticket.Id, now, TimeSpan.FromDays(options.Value.LinkLifetimeDays), submission);
        db.StatusLinks.Add(link);
        if (!await outbox.QueueAcknowledgementAsync(ticket, customer, token, inReplyTo: null, ct))
            ticket.RecordEvent(now, "No acknowledgement was sent by mail: this address had several in the last hour already.");
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        outbox.Wake();
        return (ticket, token);
    }
}

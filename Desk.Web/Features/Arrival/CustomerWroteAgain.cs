using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Features.Attachments;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Desk.Web.Features.Arrival;

/// <summary>What a customer wrote to a ticket they already have, as the channel read it.</summary>
/// <param name="From">The writer's address (by mail, possibly a participant the customer copied in).</param>
/// <param name="Text">Their words; null for a low survey score without a comment (the ticket still goes back to work).</param>
public sealed record CustomerWriting(string From, string? Text, Channel Channel, IReadOnlyList<UploadedFile> Files)
{
    /// <summary>The reason a resolved or closed ticket is reopened with.</summary>
    public string ReopenReason { get; init; } = "The customer wrote again";

    /// <summary>Mail: its subject, for a new ticket that follows a closed one (else the earlier ticket's subject).</summary>
    public string? Subject { get; init; }

    /// <summary>For a writer the desk does not know yet (a copied-in participant): their name and language.</summary>
    public string? Name { get; init; }

    public string Language { get; init; } = "en";

    /// <summary>Mail: the Message-ID the acknowledgement of a following ticket answers.</summary>
    public string? InReplyTo { get; init; }

    /// <summary>See <see cref="ArrivingComplaint.AddressShown"/>: false on the status page of an unverified ticket.</summary>
    public bool AddressShown { get; init; } = true;
}

/// <summary>Where the customer's words went: into <see cref="Ticket"/>, or a new ticket that follows it (<see cref="Follower"/>).</summary>
/// <param name="Ticket">The ticket they wrote to (the one it was merged into, if it was).</param>
/// <param name="Message">The conversation entry that holds their words; null when there were none.</param>
public sealed record WroteAgain(Ticket Ticket, ConversationEntry? Message, Arrived? Follower);

/// <summary>
/// "The customer wrote again", the one way for every channel (a reply by mail, a message on the status page, a low survey
/// score): a ticket waiting for them resumes; a resolved one, one in follow-up or one closed within the reopen window
/// (<c>Desk:Database:ReopenWindowDays</c>) reopens; an open one takes the message. A ticket closed longer ago, or rejected,
/// stays as it is and the words open a new ticket that follows it (<see cref="ComplaintArrival"/>), acknowledged with its
/// own status link. A merged ticket's messages go to the ticket it was merged into.
/// </summary>
public sealed class CustomerWroteAgain(DeskDbContext db, ComplaintArrival arrival, TimeProvider clock, IOptions<DeskDatabaseOptions> databaseOptions)
{
    /// <summary>
    /// Takes the words inside the caller's write transaction (saved, not committed; the caller wakes the outbox when a
    /// follower was acknowledged). Null when there is no such ticket.
    /// </summary>
    public async Task<WroteAgain?> TakeAsync(long ticketId, CustomerWriting writing, CancellationToken ct)
    {
        var ticket = await LoadFollowingMergesAsync(ticketId, ct);
        if (ticket is null) return null;
        var now = clock.GetUtcNow().UtcDateTime;
        if (ticket.TakeCustomerMessage(writing.From, now, writing.Text, databaseOptions.Value.ReopenWindow, writing.ReopenReason))
        {
            await db.SaveChangesAsync(ct);
            var message = writing.Text is null ? null : ticket.Conversation.Where(e => e.Kind == ConversationEntryKind.Inbound).MaxBy(e => e.Id);
            if (message is not null && writing.Files.Count > 0)
            {
                AttachmentUploads.AddTo(db, ticket.Id, message.Id, writing.Files, now);
                await db.SaveChangesAsync(ct);
            }
            return new WroteAgain(ticket, message, null);
        }

        // Closed for good, or rejected: the earlier ticket stays as it was, and the words start one that follows it.
        var why = ticket.State == TicketState.Rejected ? "which was rejected" : "closed longer ago than the reopen window";
        var subject = string.IsNullOrWhiteSpace(writing.Subject) ? ticket.Subject : writing.Subject;
        var text = string.IsNullOrWhiteSpace(writing.Text) ? writing.ReopenReason : writing.Text;
        var intake = new TicketIntake(TicketKind.Complaint, writing.Channel, Severity.Minor, Cut(subject, 300), Cut(text, 1_000_000), // mail arrives already within it, cut with a mark (MailIntake.Shown)
            FollowsTicketId: ticket.Id);
        var follower = await arrival.ReceiveAsync(new ArrivingComplaint(writing.From, writing.Name, writing.Language, intake, writing.Files)
        {
            AddressShown = writing.AddressShown,
            InReplyTo = writing.InReplyTo,
        }, ct);
        follower.Ticket.RecordEvent(now, $"Follows {ticket.Number}, {why}.");
        await db.SaveChangesAsync(ct);
        return new WroteAgain(ticket, follower.Message, follower);
    }

    /// <summary>The ticket, or the one it was merged into (the conversation goes on there).</summary>
    private async Task<Ticket?> LoadFollowingMergesAsync(long id, CancellationToken ct)
    {
        for (var hops = 0; hops < 10; hops++)
        {
            var ticket = await db.Tickets.Include(t => t.Conversation).SingleOrDefaultAsync(t => t.Id == id, ct);
            if (ticket?.MergedIntoTicketId is not { } target) return ticket;
            id = target;
        }
        return null;
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}

using Desk.Domain.Customers;
using Desk.Domain.Sla;

namespace Desk.Domain.Tickets;

/// <summary>One message of a ticket brought over from another desk, as it was there.</summary>
/// <param name="Kind">Inbound (the customer), outbound (an agent's public reply) or an internal note.</param>
/// <param name="Author">The customer's address for inbound messages, the agent's name otherwise.</param>
public sealed record ImportedMessage(ConversationEntryKind Kind, string Author, DateTime At, string Body);

/// <summary>A ticket from another desk, mapped onto Desk's terms by an importer, before Desk has stored it.</summary>
/// <param name="Source">The other desk's name as people know it, e.g. "osTicket".</param>
/// <param name="Reference">The number people quoted there, e.g. "123456".</param>
/// <param name="SourceState">The state as the other desk named it, e.g. "resolved".</param>
/// <param name="State">The Desk state it maps onto.</param>
/// <param name="ReceivedAt">When the other desk received it (never the time of the import).</param>
/// <param name="UpdatedAt">When it last changed there.</param>
/// <param name="ResolvedAt">When it was solved there; for a resolved or closed ticket, <paramref name="UpdatedAt"/> when unknown.</param>
/// <param name="ClosedAt">When it was closed there; for a closed ticket, <paramref name="UpdatedAt"/> when unknown.</param>
public sealed record ImportedTicket(
    string Source, string Reference, string Subject, string SourceState, TicketState State, Channel Channel,
    DateTime ReceivedAt, DateTime UpdatedAt, DateTime? ResolvedAt, DateTime? ClosedAt, string? AssignedTo,
    IReadOnlyList<ImportedMessage> Messages);

public sealed partial class Ticket
{
    /// <summary>Who the audit trail names for an import.</summary>
    public const string ImportActor = "import";

    /// <summary>The states an imported ticket may arrive in: those another desk's history can honestly claim.</summary>
    public static IReadOnlyList<TicketState> ImportableStates { get; } =
        [TicketState.InProgress, TicketState.AwaitingCustomer, TicketState.Resolved, TicketState.Closed, TicketState.Rejected];

    /// <summary>
    /// A ticket from another desk's history: stored as it stands there, not walked through Desk's workflow (its steps
    /// happened elsewhere, and the decision's remedy and root cause were never recorded in Desk's terms). The times are
    /// the other desk's: received, updated, first reply, resolved and closed, so reports place it where it happened and
    /// it is no new arrival today. Its one audit entry, the receipt, says where it came from and how its state was
    /// mapped ("Imported from osTicket #123, state 'resolved' → Resolved"). Nothing is acknowledged or mailed. The
    /// messages are kept in the order given (oldest first), each with its text; an empty one is refused.
    /// </summary>
    public static Ticket Import(ImportedTicket imported, Customer customer, SlaPolicy sla)
    {
        ArgumentNullException.ThrowIfNull(imported);
        ArgumentNullException.ThrowIfNull(customer);
        ArgumentNullException.ThrowIfNull(sla);
        if (customer.Id <= 0)
            throw new DomainException("The customer must be saved before a ticket can be opened for them.");
        if (!ImportableStates.Contains(imported.State))
            throw new DomainException("An imported ticket cannot start as {0}.", imported.State);
        var source = Require(imported.Source, "The source desk", 50);
        var reference = Require(imported.Reference, "The ticket's number at the source", 100);
        var subject = Optional(imported.Subject is null ? null : OneLine.Of(imported.Subject), 100_000) is { } line
            ? (line.Length > 300 ? line[..299] + "…" : line)
            : "(no subject)";
        var messages = imported.Messages; // in the order given: the caller's files refer to them by position
        var first = messages.FirstOrDefault(m => m.Kind == ConversationEntryKind.Inbound) ?? messages.FirstOrDefault();
        var received = imported.ReceivedAt;
        var updated = imported.UpdatedAt < received ? received : imported.UpdatedAt;
        var firstReply = messages.Where(m => m.Kind == ConversationEntryKind.Outbound).Select(m => (DateTime?)m.At).Min();
        var due = sla.DueTimes(Severity.Minor, customer.Level, received);
        var resolved = imported.State is TicketState.Resolved or TicketState.Closed ? imported.ResolvedAt ?? imported.ClosedAt ?? updated : (DateTime?)null;
        var ticket = new Ticket
        {
            State = imported.State,
            Kind = TicketKind.Complaint,
            Channel = imported.Channel,
            Severity = Severity.Minor,
            Impact = Impact.Low,
            CustomerId = customer.Id,
            CustomerLevel = customer.Level,
            Subject = subject,
            Description = Optional(first?.Body, 1_000_000) ?? subject,
            AssignedTo = Optional(imported.AssignedTo, 200),
            ReceivedAt = received,
            UpdatedAt = updated,
            CustomerWroteAt = messages.Where(m => m.Kind == ConversationEntryKind.Inbound).Select(m => (DateTime?)m.At).Max() ?? received,
            AcknowledgedAt = firstReply,
            FirstRespondedAt = firstReply,
            FirstResponseDueAt = due.FirstResponseDueAt,
            ResolutionDueAt = due.ResolutionDueAt,
            ResolvedAt = resolved,
            ClosedAt = imported.State == TicketState.Closed ? imported.ClosedAt ?? updated : null,
            RejectionReason = imported.State == TicketState.Rejected ? Tickets.RejectionReason.Spam : null,
            Version = 1,
        };
        foreach (var message in messages)
        {
            var author = Optional(message.Author, 320) ?? (message.Kind == ConversationEntryKind.Inbound ? customer.Email : source);
            ticket._conversation.Add(new ConversationEntry(message.Kind, author, message.At,
                Require(message.Body, "A message's text", 1_000_000)));
        }
        if (ticket._conversation.Count == 0)
            ticket._conversation.Add(new ConversationEntry(ConversationEntryKind.Inbound, customer.Email, received, subject));
        var comment = $"Imported from {source} #{reference}, state '{imported.SourceState}' → {imported.State}";
        ticket._auditTrail.Add(new AuditEntry(ImportActor, received, null, null, imported.State, comment.Length > 2_000 ? comment[..2_000] : comment));
        return ticket;
    }
}

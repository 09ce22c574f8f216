using Desk.Domain.Remedies;
using Desk.Domain.Customers;
using Desk.Domain.Sla;
using Desk.Domain.Tickets;
using Microsoft.Extensions.Time.Testing;

namespace Desk.Tests.Support;

/// <summary>Reaches any state through the ticket's real intent methods, a minute apart on a fake clock.</summary>
public static class TicketInState
{
    public static readonly DateTimeOffset Start = new(2026, 5, 4, 8, 0, 0, TimeSpan.Zero);
    public static readonly TimeSpan FollowUpWindow = TimeSpan.FromDays(14);
    public const int RootCauseId = 51;

    public static FakeTimeProvider Clock() => new(Start);

    /// <summary>A customer with an id, as if saved (the database assigns ids; here reflection stands in for it).</summary>
    public static Customer Customer(RelationshipLevel level = RelationshipLevel.Basic, long id = 42)
    {
        var customer = new Customer("ann@example.com", "Ann", Start.UtcDateTime.AddYears(-2), "en", level);
        typeof(Customer).GetProperty(nameof(Desk.Domain.Customers.Customer.Id))!.SetValue(customer, id);
        return customer;
    }

    public static Ticket Received(FakeTimeProvider clock, Severity severity = Severity.Minor, Customer? customer = null,
        DateTime? previousComplaintAt = null, TicketKind kind = TicketKind.Complaint) =>
        Ticket.Receive(
            new TicketIntake(kind, Channel.Email, severity, "Kettle leaks", "Water comes out of the base.", RemedyKinds.Replacement, "SO-1", "Kettle"),
            customer ?? Customer(), SlaPolicy.Default, RepeatComplaintPolicy.Default, previousComplaintAt, Now(clock));

    public static Ticket Build(TicketState state, FakeTimeProvider clock)
    {
        var ticket = Received(clock);
        DateTime Next() { clock.Advance(TimeSpan.FromMinutes(1)); return Now(clock); }
        if (state == TicketState.New) return ticket;
        if (state == TicketState.Rejected)
        {
            ticket.Reject("agent", Next(), RejectionReason.Spam);
            return ticket;
        }
        ticket.Acknowledge("desk", Next());
        if (state == TicketState.Acknowledged) return ticket;
        ticket.Assign("lead", Next(), "bob");
        if (state == TicketState.InProgress) return ticket;
        if (state == TicketState.AwaitingCustomer)
        {
            ticket.RequestInfo("bob", Next(), "Could you send a photo?");
            return ticket;
        }
        if (state == TicketState.Escalated)
        {
            ticket.Escalate("bob", Next(), "Refund above my limit");
            return ticket;
        }
        ticket.Resolve("bob", Next(), new Resolution(RemedyKinds.Replacement, 24.5m, RootCauseId, null, "A new kettle is on its way."));
        if (state == TicketState.Resolved) return ticket;
        ticket.StartFollowUp("desk", Next(), FollowUpWindow);
        if (state == TicketState.FollowUp) return ticket;
        ticket.RecordFollowUpOutcome("desk", Next(), customerAccepted: true, "Works now");
        ticket.Close("desk", Next());
        return ticket;
    }

    public static DateTime Now(FakeTimeProvider clock) => clock.GetUtcNow().UtcDateTime;

    /// <summary>
    /// A saved customer's complaint received at <paramref name="at"/> and, with a <paramref name="rootCause"/>, resolved
    /// three minutes later (or an hour after its due time when <paramref name="late"/>) with a replacement costing 24.50 —
    /// what the report tests build their hand-made desks from.
    /// </summary>
    public static Ticket Complaint(Customer customer, DateTime at, int? rootCause = RootCauseId, Severity severity = Severity.Minor,
        Channel channel = Channel.Email, TicketKind kind = TicketKind.Complaint, DateTime? previousComplaintAt = null, bool late = false)
    {
        var ticket = Ticket.Receive(new TicketIntake(kind, channel, severity, $"About {customer.Name}", "Water comes out.", RemedyKinds.Replacement, null, "Kettle"),
            customer, SlaPolicy.Default, RepeatComplaintPolicy.Default, previousComplaintAt, at);
        if (rootCause is not { } cause) return ticket;
        ticket.Acknowledge("desk", at.AddMinutes(1));
        ticket.Assign("lead", at.AddMinutes(2), "bob");
        var resolvedAt = late ? ticket.ResolutionDueAt.AddHours(1) : at.AddMinutes(3);
        ticket.Resolve("bob", resolvedAt, new Resolution(RemedyKinds.Replacement, 24.5m, cause, null, "A new kettle."));
        return ticket;
    }

    /// <summary>A saved customer's complaint received at <paramref name="at"/>, acknowledged and being worked by <paramref name="agent"/>.</summary>
    public static Ticket InProgress(Customer customer, DateTime at, string agent, string subject = "Kettle leaks", string description = "Water comes out of the base.")
    {
        var ticket = Ticket.Receive(new TicketIntake(TicketKind.Complaint, Channel.Email, Severity.Minor, subject, description, null, null, null),
            customer, SlaPolicy.Default, RepeatComplaintPolicy.Default, null, at);
        ticket.Acknowledge("desk", at);
        ticket.Assign("lead", at, agent);
        return ticket;
    }

    /// <summary>Every public property's value and the lengths of the conversation and audit trail: "nothing changed" means this is equal.</summary>
    public static string Snapshot(Ticket ticket) => string.Join("; ",
        typeof(Ticket).GetProperties()
            .Where(p => p.Name is not (nameof(Ticket.Conversation) or nameof(Ticket.AuditTrail)))
            .Select(p => $"{p.Name}={p.GetValue(ticket)}")
            .Append($"Conversation={ticket.Conversation.Count}")
            .Append($"AuditTrail={ticket.AuditTrail.Count}"));
}

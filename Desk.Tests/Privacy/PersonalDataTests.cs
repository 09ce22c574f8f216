using Desk.Domain;
using Desk.Domain.Tickets;
using Desk.Tests.Support;

namespace Desk.Tests.Privacy;

/// <summary>The domain's part of an erasure: what goes, what stays for the reports, and that it happens once.</summary>
public sealed class PersonalDataTests
{
    [Fact]
    public void RemovePersonalData_ClosedTicket_RemovesTheWords_KeepsWhatReportsCount()
    {
        var clock = TicketInState.Clock();
        var ticket = TicketInState.Build(TicketState.Closed, clock);
        var (state, resolvedAt, closedAt, cost, cause, severity, version) =
            (ticket.State, ticket.ResolvedAt, ticket.ClosedAt, ticket.RemedyCost, ticket.RootCauseId, ticket.Severity, ticket.Version);
        var trail = ticket.AuditTrail.Select(a => (a.At, a.FromState, a.Trigger, a.ToState)).ToList();

        ticket.RemovePersonalData("customer@example.org", TicketInState.Now(clock));

        Assert.Equal((Ticket.Removed, Ticket.Removed), (ticket.Subject, ticket.Description));
        Assert.All(ticket.Conversation, e => Assert.Equal(Ticket.Removed, e.Body));
        Assert.DoesNotContain(ticket.AuditTrail, a => a.Actor.Contains('@', StringComparison.Ordinal));
        Assert.Equal((state, resolvedAt, closedAt, cost, cause, severity), (ticket.State, ticket.ResolvedAt, ticket.ClosedAt, ticket.RemedyCost, ticket.RootCauseId, ticket.Severity));
        Assert.Equal(trail, ticket.AuditTrail.Select(a => (a.At, a.FromState, a.Trigger, a.ToState)).ToList());
        Assert.Equal(version + 1, ticket.Version);

        ticket.RemovePersonalData("customer@example.org", TicketInState.Now(clock).AddDays(1)); // twice: nothing more
        Assert.Equal((version + 1, (DateTime?)TicketInState.Now(clock)), (ticket.Version, ticket.PersonalDataRemovedAt));
    }

    [Fact]
    public void Erase_SavedCustomer_LeavesPlaceholders_AndCannotBeRenamedAfter()
    {
        var customer = TicketInState.Customer(id: 7);
        var at = TicketInState.Now(TicketInState.Clock());

        customer.Erase(at);
        customer.Erase(at.AddDays(1));

        Assert.Equal(("erased-7@erased.invalid", "Erased customer 7", (string?)null, (DateTime?)at), (customer.Email, customer.Name, customer.Phone, customer.ErasedAt));
        Assert.Throws<DomainException>(() => customer.Rename("Back again"));
    }
}

using Desk.Domain.Sla;
using Desk.Domain.Tickets;
using Desk.Tests.Support;

namespace Desk.Tests.Workflow;

/// <summary>The domain's side of an unverified web complaint and of a customer writing again without words.</summary>
public sealed class UnverifiedContactRulesTests
{
    [Fact]
    public void Receive_UnverifiedWithARecentComplaint_IsNoRepeatUntilConfirmedThenIsOne()
    {
        var clock = TicketInState.Clock();
        var now = TicketInState.Now(clock);
        var previous = now.AddDays(-10);
        var ticket = Ticket.Receive(new TicketIntake(TicketKind.Complaint, Channel.Web, Severity.Minor, "Lid", "Springs open.", UnverifiedContact: true),
            TicketInState.Customer(), SlaPolicy.Default, RepeatComplaintPolicy.Default, previous, now);
        Assert.Equal((true, false), (ticket.ContactUnverified, ticket.IsRepeatComplaint));

        ticket.ConfirmContact("ann@example.com", now.AddHours(1), RepeatComplaintPolicy.Default, previous);
        Assert.Equal((false, true), (ticket.ContactUnverified, ticket.IsRepeatComplaint));
        var after = TicketInState.Snapshot(ticket);

        ticket.ConfirmContact("ann@example.com", now.AddHours(2), RepeatComplaintPolicy.Default, null);
        Assert.Equal(after, TicketInState.Snapshot(ticket)); // confirming twice changes nothing
    }

    [Theory]
    [InlineData(TicketState.Resolved, true, TicketState.InProgress)]
    [InlineData(TicketState.FollowUp, true, TicketState.InProgress)]
    [InlineData(TicketState.InProgress, true, TicketState.InProgress)]
    [InlineData(TicketState.Rejected, false, TicketState.Rejected)]
    public void TakeCustomerMessage_WithoutWords_TakesTheSameStepAndAddsNoMessage(TicketState state, bool taken, TicketState after)
    {
        var clock = TicketInState.Clock();
        var ticket = TicketInState.Build(state, clock);
        var messages = ticket.Conversation.Count;

        Assert.Equal(taken, ticket.TakeCustomerMessage("ann@example.com", TicketInState.Now(clock), null, TimeSpan.FromDays(30), "Low survey score"));

        Assert.Equal((after, messages), (ticket.State, ticket.Conversation.Count));
    }
}

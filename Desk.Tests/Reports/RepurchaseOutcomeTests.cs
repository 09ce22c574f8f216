using Desk.Domain.Recovery;
using Desk.Domain.Tickets;
using Desk.Tests.Support;

namespace Desk.Tests.Reports;

public sealed class RepurchaseOutcomeTests
{
    private static readonly TimeSpan Window = TimeSpan.FromDays(90);

    private static Ticket Resolved(out DateTime resolvedAt)
    {
        var ticket = TicketInState.Build(TicketState.Resolved, TicketInState.Clock());
        resolvedAt = ticket.ResolvedAt!.Value;
        return ticket;
    }

    [Fact]
    public void Of_OrderAtTheVeryMomentOfResolution_IsNotABuyAgain()
    {
        var ticket = Resolved(out var at);
        Assert.Equal(RepurchaseState.NotRepurchased, RepurchaseOutcome.Of(ticket, Window, at, at.AddDays(100)).State);
    }

    [Fact]
    public void Of_OrderOnTheLastMomentOfTheWindow_Counts()
    {
        var ticket = Resolved(out var at);
        var outcome = RepurchaseOutcome.Of(ticket, Window, at + Window, at.AddDays(100));
        Assert.Equal((RepurchaseState.Repurchased, at + Window), (outcome.State, outcome.BoughtAt!.Value));
    }

    [Fact]
    public void Of_WindowStillOpen_IsPendingEvenWhenTheCustomerAlreadyOrdered()
    {
        var ticket = Resolved(out var at);
        var outcome = RepurchaseOutcome.Of(ticket, Window, at.AddDays(2), at.AddDays(30));
        Assert.Equal((RepurchaseState.Pending, at.AddDays(2), at + Window), (outcome.State, outcome.BoughtAt!.Value, outcome.WindowEnd));
    }

    [Fact]
    public void Of_ReopenedTicket_IsMeasuredFromItsReceiptAsNotResolved()
    {
        var clock = TicketInState.Clock();
        var ticket = TicketInState.Build(TicketState.Resolved, clock);
        ticket.Reopen("lead", ticket.ResolvedAt!.Value.AddHours(1), "The customer wrote again.");

        var outcome = RepurchaseOutcome.Of(ticket, Window, null, ticket.ReceivedAt.AddDays(200));

        Assert.Equal((ticket.ReceivedAt, RecoveryColumn.ComplainedNotResolved, RepurchaseState.NotRepurchased), (outcome.Anchor, outcome.Column, outcome.State));
    }

    [Theory]
    [InlineData(TicketState.Rejected, false)]
    [InlineData(TicketState.New, true)]
    [InlineData(TicketState.Closed, true)]
    public void IsMeasured_OnlyComplaintsNotRejected(TicketState state, bool measured) =>
        Assert.Equal(measured, RepurchaseOutcome.IsMeasured(TicketInState.Build(state, TicketInState.Clock())));
}

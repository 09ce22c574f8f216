using Desk.Domain;
using Desk.Domain.Tickets;
using Desk.Tests.Support;

namespace Desk.Tests.Notifications;

public sealed class EscalationTargetTests
{
    [Fact]
    public void Escalate_ToATeam_RecordsWhomInTheTicketAndTheTrail()
    {
        var clock = TicketInState.Clock();
        var ticket = TicketInState.Build(TicketState.InProgress, clock);

        ticket.Escalate("bob", clock.GetUtcNow().UtcDateTime, "Refund above my limit", EscalationTarget.Team("Billing"));

        Assert.Equal((TicketState.Escalated, "Billing", (EscalationTargetKind?)EscalationTargetKind.Team, "Refund above my limit"),
            (ticket.State, ticket.EscalatedTo, ticket.EscalatedToKind, ticket.EscalationReason));
        Assert.Equal(EscalationTarget.Team("Billing"), ticket.EscalationTarget);
        Assert.Equal("To team Billing: Refund above my limit", ticket.AuditTrail[^1].Comment);
    }

    [Fact]
    public void Escalate_WithoutATarget_NamesNobody()
    {
        var clock = TicketInState.Clock();
        var ticket = TicketInState.Build(TicketState.InProgress, clock);

        ticket.Escalate("bob", clock.GetUtcNow().UtcDateTime, "Stuck");

        Assert.Equal(((string?)null, (EscalationTarget?)null, "Stuck"), (ticket.EscalatedTo, ticket.EscalationTarget, ticket.AuditTrail[^1].Comment));
    }

    [Fact]
    public void Escalate_WhenNotPermitted_ThrowsAndLeavesTheTargetUnset()
    {
        var clock = TicketInState.Clock();
        var ticket = TicketInState.Build(TicketState.Resolved, clock);

        Assert.Throws<DomainException>(() => ticket.Escalate("bob", clock.GetUtcNow().UtcDateTime, "Late", EscalationTarget.Agent("carmen")));

        Assert.Equal((TicketState.Resolved, (string?)null), (ticket.State, ticket.EscalatedTo));
    }

    [Theory]
    [InlineData("agent:alice", EscalationTargetKind.Agent, "alice")]
    [InlineData("team:Second line", EscalationTargetKind.Team, "Second line")]
    public void TryParse_AKey_GivesTheTargetBack(string key, EscalationTargetKind kind, string name)
    {
        Assert.True(EscalationTarget.TryParse(key, out var target));
        Assert.Equal((kind, name, key), (target!.Kind, target.Name, target.Key));
    }

    [Theory]
    [InlineData("")]
    [InlineData("alice")]
    [InlineData("group:x")]
    [InlineData("team:")]
    [InlineData(":alice")]
    public void TryParse_NotAKey_IsFalse(string key) => Assert.False(EscalationTarget.TryParse(key, out _));
}

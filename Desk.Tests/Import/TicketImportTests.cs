using Desk.Domain;
using Desk.Domain.Sla;
using Desk.Domain.Tickets;
using Desk.Tests.Support;

namespace Desk.Tests.Import;

/// <summary>The aggregate's import factory: the peer's times and state kept, one audit entry, and what it refuses.</summary>
public sealed class TicketImportTests
{
    private static readonly DateTime Received = new(2025, 3, 2, 9, 15, 0, DateTimeKind.Utc);

    private static ImportedTicket Imported(TicketState state, params ImportedMessage[] messages) =>
        new("osTicket", "100231", "Kettle arrived broken", "Resolved", state, Channel.Email, Received, Received.AddDays(1),
            null, null, "Sam Agent", messages);

    [Fact]
    public void Import_ResolvedTicket_KeepsThePeersTimesAndSaysWhereItCameFrom()
    {
        var ticket = Ticket.Import(Imported(TicketState.Resolved,
            new(ConversationEntryKind.Inbound, "ann@example.com", Received, "The lid is cracked."),
            new(ConversationEntryKind.Outbound, "Sam Agent", Received.AddHours(1), "A new one is on its way."),
            new(ConversationEntryKind.InternalNote, "Sam Agent", Received.AddHours(2), "Warehouse told.")), TicketInState.Customer(), SlaPolicy.Default);

        Assert.Equal((TicketState.Resolved, Received, Received.AddDays(1)), (ticket.State, ticket.ReceivedAt, ticket.UpdatedAt));
        Assert.Equal((Received.AddHours(1), Received.AddDays(1)), (ticket.FirstRespondedAt, ticket.ResolvedAt));
        Assert.Equal(("The lid is cracked.", "Sam Agent"), (ticket.Description, ticket.AssignedTo));
        Assert.Equal([ConversationEntryKind.Inbound, ConversationEntryKind.Outbound, ConversationEntryKind.InternalNote], ticket.Conversation.Select(e => e.Kind));
        var audit = Assert.Single(ticket.AuditTrail);
        Assert.Equal((Ticket.ImportActor, Received, "Imported from osTicket #100231, state 'Resolved' → Resolved"), (audit.Actor, audit.At, audit.Comment));
        Assert.Null(ticket.ClosedAt); // resolved, not closed
    }

    [Theory]
    [InlineData(TicketState.New)]
    [InlineData(TicketState.Acknowledged)]
    [InlineData(TicketState.Escalated)]
    [InlineData(TicketState.FollowUp)]
    public void Import_StateAnotherDeskCannotClaim_IsRefused(TicketState state)
    {
        var refused = Assert.Throws<DomainException>(() =>
            Ticket.Import(Imported(state, new ImportedMessage(ConversationEntryKind.Inbound, "ann@example.com", Received, "Hello")), TicketInState.Customer(), SlaPolicy.Default));

        Assert.Equal("An imported ticket cannot start as {0}.", refused.Template);
    }

    [Fact]
    public void Import_EmptyMessage_IsRefused()
    {
        var refused = Assert.Throws<DomainException>(() =>
            Ticket.Import(Imported(TicketState.InProgress, new ImportedMessage(ConversationEntryKind.Inbound, "ann@example.com", Received, "  ")), TicketInState.Customer(), SlaPolicy.Default));

        Assert.Equal("{0} is required.", refused.Template);
    }
}

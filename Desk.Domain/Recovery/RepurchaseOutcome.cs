using Desk.Domain.Tickets;

namespace Desk.Domain.Recovery;

/// <summary>What became of a complaint, measured in orders: the customer bought again in the window, did not, or the window is still open.</summary>
public enum RepurchaseState { Repurchased, NotRepurchased, Pending }

/// <summary>
/// One complaint's outcome. The window runs from <see cref="Anchor"/> (exclusive: an order at that very moment is the
/// one the anchor stands for) to <see cref="WindowEnd"/> (inclusive). While it is open the outcome is
/// <see cref="RepurchaseState.Pending"/> and counts in no rate, even if the customer has already ordered
/// (<see cref="BoughtAt"/> says so): a rate that counted early buyers and not early non-buyers would lean upwards.
/// </summary>
public sealed record RepurchaseOutcome(RepurchaseState State, RecoveryColumn Column, DateTime Anchor, DateTime WindowEnd, DateTime? BoughtAt)
{
    private static bool IsResolved(TicketState state) => state is TicketState.Resolved or TicketState.FollowUp or TicketState.Closed;

    /// <summary>Whether a ticket has an outcome at all: complaints that were not rejected (spam and merged tickets are not complaints of their own).</summary>
    public static bool IsMeasured(Ticket ticket) => ticket.Kind == TicketKind.Complaint && ticket.State != TicketState.Rejected;

    /// <summary>
    /// The anchor: the resolution for a resolved ticket, the receipt for one not (or no longer, once reopened) resolved.
    /// The recovery report's SQL uses the same rule; a test holds the two together.
    /// </summary>
    public static DateTime AnchorOf(Ticket ticket) =>
        IsResolved(ticket.State) && ticket.ResolvedAt is { } resolved ? resolved : ticket.ReceivedAt;

    /// <summary>The matrix column a ticket falls in: not resolved, resolved after its resolution due time, or within it.</summary>
    public static RecoveryColumn ColumnOf(Ticket ticket) =>
        !IsResolved(ticket.State) || ticket.ResolvedAt is not { } resolved ? RecoveryColumn.ComplainedNotResolved
        : resolved <= ticket.ResolutionDueAt ? RecoveryColumn.ResolvedWithinTarget : RecoveryColumn.ResolvedLate;

    /// <summary>
    /// Judges a ticket given the customer's first order after its anchor (<paramref name="firstOrderAfterAnchor"/>,
    /// null for none) and the time now.
    /// </summary>
    public static RepurchaseOutcome Of(Ticket ticket, TimeSpan window, DateTime? firstOrderAfterAnchor, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        var anchor = AnchorOf(ticket);
        var end = anchor + window;
        var bought = firstOrderAfterAnchor is { } at && at > anchor && at <= end ? at : (DateTime?)null;
        var state = end > now ? RepurchaseState.Pending : bought is null ? RepurchaseState.NotRepurchased : RepurchaseState.Repurchased;
        return new RepurchaseOutcome(state, ColumnOf(ticket), anchor, end, bought);
    }
}

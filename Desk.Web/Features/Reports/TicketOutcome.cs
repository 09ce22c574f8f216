using Desk.Domain.Recovery;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Reports;

/// <summary>One ticket's repurchase outcome, for its page: one indexed look at the customer's orders after the anchor.</summary>
public static class TicketOutcome
{
    /// <summary>Null for tickets that have no outcome (not a complaint, or rejected).</summary>
    /// <param name="window">The repurchase window when the caller knows it (the page keeps it); else read from the settings.</param>
    public static async Task<RepurchaseOutcome?> ForAsync(DeskDbContext db, Ticket ticket, DateTime now, CancellationToken ct, TimeSpan? window = null)
    {
        if (!RepurchaseOutcome.IsMeasured(ticket)) return null;
        var repurchaseWindow = window ?? (await ReportSql.SettingsAsync(db, ct)).RepurchaseWindow;
        var anchor = RepurchaseOutcome.AnchorOf(ticket);
        var end = anchor + repurchaseWindow;
        var bought = await db.Orders.AsNoTracking()
            .Where(o => o.CustomerId == ticket.CustomerId && o.PlacedAt > anchor && o.PlacedAt <= end)
            .OrderBy(o => o.PlacedAt).Select(o => (DateTime?)o.PlacedAt).FirstOrDefaultAsync(ct);
        return RepurchaseOutcome.Of(ticket, repurchaseWindow, bought, now);
    }
}

using Desk.Domain.Recovery;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Features.Reports;
using Desk.Web.Features.Reports.Recovery;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Reports;

/// <summary>
/// The report's SQL and the ticket page's per-ticket outcome are two codings of one definition: judged ticket by
/// ticket (the slow way, fine for a test) the first complaints must add up to the matrix's complaint cells exactly.
/// </summary>
internal static class OutcomeConsistency
{
    public static async Task AssertTicketOutcomesAddUpToAsync(DeskDbContext db, RecoveryMatrix matrix, DateTime now)
    {
        var judged = new List<(Severity Severity, RepurchaseOutcome Outcome)>();
        foreach (var ticket in await db.Tickets.AsNoTracking().Where(t => !t.IsRepeatComplaint).ToListAsync())
            if (await TicketOutcome.ForAsync(db, ticket, now, CancellationToken.None) is { } outcome) judged.Add((ticket.Severity, outcome));

        Assert.All(matrix.Cells.Where(c => c.Column != RecoveryColumn.DidNotComplain), cell =>
        {
            var mine = judged.Where(j => j.Severity == cell.Severity && j.Outcome.Column == cell.Column).Select(j => j.Outcome.State).ToList();
            var ticketByTicket = (new Proportion(mine.Count(s => s == RepurchaseState.Repurchased), mine.Count(s => s != RepurchaseState.Pending)),
                (long)mine.Count(s => s == RepurchaseState.Pending));
            Assert.Equal(ticketByTicket, (cell.Repurchased, cell.Pending));
        });
    }
}

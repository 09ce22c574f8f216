using Desk.Domain.Customers;
using Desk.Domain.Orders;
using Desk.Domain.Recovery;
using Desk.Domain.Remedies;
using Desk.Domain.Sla;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web.Data;
using Desk.Web.Features.Reports;
using Desk.Web.Features.Reports.Downloads;
using Desk.Web.Features.Reports.Recovery;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Desk.Tests.Reports;

/// <summary>
/// A second hand-made desk, for what the first one (<see cref="RecoveryMatrixFixtureTests"/>) leaves out: reopened
/// tickets, tenure, the remedy asked for against the one given, and the admin's window. Every answer is worked out
/// in the comments.
/// </summary>
public abstract class RecoveryOutcomeTests : IDisposable
{
    private static readonly DateTime Start = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Now = Start.AddDays(200);
    private readonly TestDatabase _database;

    protected RecoveryOutcomeTests(DatabaseProvider provider)
    {
        _database = new TestDatabase(provider);
        using var db = _database.NewContext();
        Customer C(string name, DateTime firstSeen) { var c = new Customer($"{name}@example.com", name, firstSeen); db.Customers.Add(c); return c; }
        var n = C("new", Start.AddDays(-10));            // tenure 10 days when complaining: new
        var p = C("reopened", Start.AddDays(-365));      // a year: 6 months to 2 years
        var q = C("reopened-open", Start.AddDays(-365));
        var r = C("old", Start.AddYears(-3));            // 3 years: long-standing
        var s = C("quiet", Start.AddDays(-300));         // never complained: the baseline
        db.SaveChanges();

        // n: asked for a refund, got one, within target; ordered two hours after the resolution, the same day: bought again.
        var tn = Complaint(n, RemedyKinds.Refund);
        Resolve(tn, Start.AddHours(1), RemedyKinds.Refund, 15m);
        // p: asked for a refund; resolved, reopened, resolved again ten days in (late: a minor basic complaint has 5 days)
        // with a replacement. Its anchor is the second resolution; the order between the two resolutions is before it.
        var tp = Complaint(p, RemedyKinds.Refund);
        Resolve(tp, Start.AddHours(1), RemedyKinds.Refund, 15m);
        tp.Reopen("lead", Start.AddDays(1), "Customer says the refund never came.");
        Resolve(tp, Start.AddDays(10), RemedyKinds.Replacement, 40m);
        // q: resolved, reopened and still open: unresolved again, measured from its receipt; the order a day in counts.
        var tq = Complaint(q, RemedyKinds.Repair);
        Resolve(tq, Start.AddHours(1), RemedyKinds.Repair, 5m);
        tq.Reopen("lead", Start.AddDays(2), "Still broken.");
        // r: asked for nothing, got an apology, did not buy again.
        var tr = Complaint(r, null);
        Resolve(tr, Start.AddHours(1), RemedyKinds.ApologyAndExplanation, 0m);
        db.Tickets.AddRange(tn, tp, tq, tr);
        db.SaveChanges();
        db.Orders.AddRange(
            new Order("N-1", n.Id, Start.AddHours(3), 40m, null, null),
            new Order("P-1", p.Id, Start.AddDays(5), 25m, null, null),
            new Order("Q-1", q.Id, Start.AddDays(1), 60m, null, null),
            // s: a first order (new, 20), the next one 300 days later (established, 30), a third 20 days after that.
            new Order("S-1", s.Id, Start.AddDays(-300), 20m, null, null),
            new Order("S-2", s.Id, Start, 30m, null, null),
            new Order("S-3", s.Id, Start.AddDays(20), 12m, null, null));
        db.SaveChanges();
    }

    public void Dispose() => _database.Dispose();

    private static Ticket Complaint(Customer customer, int? sought)
    {
        var ticket = Ticket.Receive(new TicketIntake(TicketKind.Complaint, Channel.Email, Severity.Minor, "Broken", "It broke.", sought),
            customer, SlaPolicy.Default, RepeatComplaintPolicy.Default, null, Start);
        ticket.Acknowledge("desk", Start.AddMinutes(1));
        ticket.Assign("lead", Start.AddMinutes(2), "bob");
        return ticket;
    }

    private static void Resolve(Ticket ticket, DateTime at, int remedy, decimal cost) =>
        ticket.Resolve("bob", at, new Resolution(remedy, cost, TicketInState.RootCauseId, null, "Done."));

    private async Task<RecoveryMatrix> RunAsync(RecoveryFilter filter)
    {
        await using var db = _database.NewContext();
        return await new RecoveryMatrixQuery(db, new FakeTimeProvider(Now)).RunAsync(filter, CancellationToken.None);
    }

    [StorageFact]
    public async Task RunAsync_ReopenedTickets_AreMeasuredFromTheirLastResolution_OrFromReceiptWhileOpenAgain()
    {
        var matrix = await RunAsync(new RecoveryFilter());

        var late = matrix.Cell(Severity.Minor, RecoveryColumn.ResolvedLate);
        Assert.Equal(new Proportion(0, 1), late.Repurchased);          // p: P-1 came before the second resolution
        Assert.Equal(40m, late.RemedyCost);                             // the first remedy was taken back on reopening
        var open = matrix.Cell(Severity.Minor, RecoveryColumn.ComplainedNotResolved);
        Assert.Equal((new Proportion(1, 1), 60m, 0m), (open.Repurchased, open.RevenueAfter, open.RemedyCost)); // q
        var quick = matrix.Cell(Severity.Minor, RecoveryColumn.ResolvedWithinTarget);
        Assert.Equal((new Proportion(1, 2), 40m), (quick.Repurchased, quick.RevenueAfter)); // n yes (same day), r no
        // s's first order was 300 days before the next: no return within 90 days.
        Assert.Equal(new Proportion(0, 1), matrix.Cell(Severity.Minor, RecoveryColumn.DidNotComplain).Repurchased);
    }

    [StorageFact]
    public async Task TicketOutcomes_JudgedOneByOne_AddUpToTheMatrix()
    {
        var matrix = await RunAsync(new RecoveryFilter());
        await using var db = _database.NewContext();
        await OutcomeConsistency.AssertTicketOutcomesAddUpToAsync(db, matrix, Now);
    }

    [StorageFact]
    public async Task RunAsync_ByTenure_CountsComplaintsByTenureAtReceipt_AndAnchorsTheBaselineAtTheFirstOrderAtThatTenure()
    {
        var fresh = await RunAsync(new RecoveryFilter(Tenure: TenureBand.New));
        Assert.Equal(new Proportion(1, 1), fresh.Cell(Severity.Minor, RecoveryColumn.ResolvedWithinTarget).Repurchased); // n only
        Assert.Equal(new Proportion(0, 0), fresh.Cell(Severity.Minor, RecoveryColumn.ResolvedLate).Repurchased);
        Assert.Equal(new Proportion(0, 1), fresh.Cell(Severity.Minor, RecoveryColumn.DidNotComplain).Repurchased);      // S-1

        var established = await RunAsync(new RecoveryFilter(Tenure: TenureBand.Established));
        Assert.Equal(new Proportion(0, 1), established.Cell(Severity.Minor, RecoveryColumn.ResolvedLate).Repurchased);           // p
        Assert.Equal(new Proportion(1, 1), established.Cell(Severity.Minor, RecoveryColumn.ComplainedNotResolved).Repurchased); // q
        Assert.Equal(new Proportion(0, 0), established.Cell(Severity.Minor, RecoveryColumn.ResolvedWithinTarget).Repurchased);
        var silent = established.Cell(Severity.Minor, RecoveryColumn.DidNotComplain);                                            // S-2, then S-3
        Assert.Equal((new Proportion(1, 1), 12m), (silent.Repurchased, silent.RevenueAfter));

        var old = await RunAsync(new RecoveryFilter(Tenure: TenureBand.LongStanding));
        Assert.Equal(new Proportion(0, 1), old.Cell(Severity.Minor, RecoveryColumn.ResolvedWithinTarget).Repurchased);           // r
        Assert.Equal(new Proportion(0, 0), old.Cell(Severity.Minor, RecoveryColumn.DidNotComplain).Repurchased);
    }

    [StorageFact]
    public async Task RunAsync_Remedies_SplitByWhetherTheRemedyGivenWasTheOneAskedFor()
    {
        var matrix = await RunAsync(new RecoveryFilter());

        var effects = matrix.Remedies.Select(r => (r.RemedyGivenId, r.Match, r.Repurchased, r.RemedyCost)).ToList();
        Assert.Equal(
        [
            (RemedyKinds.Refund, RemedyMatch.AsAsked, new Proportion(1, 1), 15m),                   // n
            (RemedyKinds.Replacement, RemedyMatch.OtherThanAsked, new Proportion(0, 1), 40m),       // p (asked for a refund)
            (RemedyKinds.ApologyAndExplanation, RemedyMatch.NothingAsked, new Proportion(0, 1), 0m), // r
        ], effects); // q is open again: its taken-back repair is nowhere
        Assert.Equal("Refund", matrix.Remedies[0].Name);
        Assert.Equal(new Proportion(1, 1), matrix.RemedyTotal(RemedyMatch.AsAsked));

        var csv = ReportFile.RawCsv(RecoveryTables.Remedies(matrix)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("remedy_given_id,remedy_given,match,bought_again,measured,rate,ci95_low,ci95_high,pending,remedy_cost", csv[0]);
        Assert.Equal("1,\"Refund\",AsAsked,1,1,1.0000,0.2065,1.0000,0,15.00", csv[1]);
    }

    [StorageFact]
    public async Task RunAsync_AfterTheAdminShortensTheWindow_MeasuresEveryComplaintWithTheNewOne()
    {
        await using (var db = _database.NewContext())
        {
            (await db.RecoverySettings.SingleAsync()).Change(14, 100m);
            await db.SaveChangesAsync();
        }

        var matrix = await RunAsync(new RecoveryFilter(Tenure: TenureBand.Established));

        Assert.Equal(14, matrix.WindowDays);
        Assert.Equal(new Proportion(0, 1), matrix.Cell(Severity.Minor, RecoveryColumn.DidNotComplain).Repurchased); // S-3 is 20 days after S-2
        Assert.Equal(new Proportion(1, 1), matrix.Cell(Severity.Minor, RecoveryColumn.ComplainedNotResolved).Repurchased); // Q-1 a day in
    }
}

public sealed class RecoveryOutcomeTestsOnSqlite() : RecoveryOutcomeTests(DatabaseProvider.Sqlite);

public sealed class RecoveryOutcomeTestsOnPostgres() : RecoveryOutcomeTests(DatabaseProvider.Postgres), IRunsOnPostgres;

/// <summary>The admins' recovery settings refuse what makes no sense, before anything is stored.</summary>
public sealed class RecoverySettingsTests
{
    [Theory]
    [InlineData(6, 100)]
    [InlineData(731, 100)]
    [InlineData(90, 0)]
    [InlineData(90, 10.005)]
    public void Change_OutOfRange_IsRefusedAndChangesNothing(int days, double amount)
    {
        var settings = RecoverySettings.Default;
        Assert.Throws<Desk.Domain.DomainException>(() => settings.Change(days, (decimal)amount));
        Assert.Equal((90, 100m), (settings.RepurchaseWindowDays, settings.MajorLossAmount));
    }
}

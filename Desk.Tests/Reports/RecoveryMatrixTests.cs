using Desk.Domain.Customers;
using Desk.Domain.Orders;
using Desk.Domain.Recovery;
using Desk.Domain.Sla;
using Desk.Domain.Tickets;
using Desk.Seed;
using Desk.Tests.Seed;
using Desk.Tests.Support;
using Desk.Web.Data;
using Desk.Web.Features.Reports;
using Desk.Web.Features.Reports.Recovery;
using Microsoft.Extensions.Time.Testing;

namespace Desk.Tests.Reports;

public sealed class ProportionTests
{
    [Theory]
    [InlineData(5, 10, 0.2366, 0.7634)]  // worked out by hand: centre 0.5, half-width 0.2634
    [InlineData(0, 10, 0.0, 0.2775)]     // no successes: the interval still says "up to 28 %"
    [InlineData(10, 10, 0.7225, 1.0)]
    [InlineData(81, 263, 0.2553, 0.3662)]
    public void Interval95_IsTheWilsonScoreInterval(long successes, long n, double low, double high)
    {
        var interval = new Proportion(successes, n).Interval95!.Value;
        Assert.Equal(low, interval.Low, 4);
        Assert.Equal(high, interval.High, 4);
    }

    [Fact]
    public void NoOneToCount_HasNoRateAndNoInterval()
    {
        Assert.Null(new Proportion(0, 0).Rate);
        Assert.Null(new Proportion(0, 0).Interval95);
    }
}

/// <summary>
/// The matrix measured on the generator's data, whose repurchase probabilities are planted: every cell must find its
/// planted rate inside its 95 % interval. With eight cells about one draw in three puts some cell outside by chance
/// (seed 7, which the generator's own tests use, has Major/ResolvedLate at 2.3 standard errors); seed 11 is a draw
/// where none is, so a change that moves any cell by a few points fails here.
/// </summary>
public abstract class RecoveryMatrixTruthTests : IDisposable
{
    private readonly TestDatabase _database;

    protected RecoveryMatrixTruthTests(DatabaseProvider provider)
    {
        _database = new TestDatabase(provider);
        GeneratedDesk.GenerateInBulk(_database, 20_000, seed: 11, GeneratedDesk.Now);
    }

    public void Dispose() => _database.Dispose();

    [StorageFact]
    public async Task EveryCell_ContainsThePlantedRateInItsNinetyFivePercentInterval_AndPendingWindowsAreLeftOut()
    {
        await using var db = _database.NewContext();
        // The generator plants with the desk's default settings: the test measures with what a new desk has.
        Assert.Equal((PlantedRecovery.RepurchaseWindow, PlantedRecovery.MajorLossAmount), (RecoverySettings.Default.RepurchaseWindow, RecoverySettings.Default.MajorLossAmount));
        var query = new RecoveryMatrixQuery(db, new FakeTimeProvider(GeneratedDesk.Now));

        var matrix = await query.RunAsync(new RecoveryFilter(), CancellationToken.None);

        Assert.All(matrix.Cells, cell =>
        {
            var planted = PlantedRecovery.Tarp.Probability(cell.Severity, cell.Column);
            var (low, high) = cell.Repurchased.Interval95!.Value;
            Assert.True(cell.Repurchased.N >= 150, $"{cell.Severity}/{cell.Column}: only {cell.Repurchased.N} measured");
            Assert.True(planted >= low && planted <= high,
                $"{cell.Severity}/{cell.Column}: {cell.Repurchased.Successes}/{cell.Repurchased.N}, 95 % interval {low:P1}–{high:P1}, planted {planted:P0}");
        });
        Assert.Contains(matrix.Cells, c => c.Pending > 0); // the last 90 days' complaints are there, and counted apart
        // Repeat complaints are shown apart, not in any cell (their planted rate is not recoverable exactly: the
        // first complaint's planted orders can fall in the second one's window).
        Assert.True(matrix.RepeatComplaints.N > 100, $"only {matrix.RepeatComplaints.N} repeat complaints measured");
        await OutcomeConsistency.AssertTicketOutcomesAddUpToAsync(db, matrix, GeneratedDesk.Now);

        // The segment and tenure filters cut the same customers into parts: the parts add up to the whole. (Every
        // cell for relationship levels; the complaint cells for tenure, since the baseline's anchor moves with it.)
        async Task<IReadOnlyList<RecoveryMatrix>> Parts(IEnumerable<RecoveryFilter> filters)
        {
            var parts = new List<RecoveryMatrix>();
            foreach (var filter in filters) parts.Add(await query.RunAsync(filter, CancellationToken.None));
            return parts;
        }
        void AssertAddsUp(IReadOnlyList<RecoveryMatrix> parts, bool baselineToo) => Assert.All(
            matrix.Cells.Where(c => baselineToo || c.Column != RecoveryColumn.DidNotComplain), whole =>
            {
                var cells = parts.Select(p => p.Cell(whole.Severity, whole.Column)).ToList();
                Assert.Equal(whole.Repurchased, new Proportion(cells.Sum(c => c.Repurchased.Successes), cells.Sum(c => c.Repurchased.N)));
                Assert.Equal((whole.Pending, whole.RevenueAfter, whole.RemedyCost), (cells.Sum(c => c.Pending), cells.Sum(c => c.RevenueAfter), cells.Sum(c => c.RemedyCost)));
            });
        AssertAddsUp(await Parts(Enum.GetValues<RelationshipLevel>().Select(l => new RecoveryFilter(Level: l))), baselineToo: true);
        var byTenure = await Parts(Enum.GetValues<TenureBand>().Select(b => new RecoveryFilter(Tenure: b)));
        AssertAddsUp(byTenure, baselineToo: false);
        Assert.True(byTenure[0].Cell(Severity.Minor, RecoveryColumn.ResolvedWithinTarget).Repurchased.N > 0
            && byTenure[1].Cell(Severity.Minor, RecoveryColumn.ResolvedWithinTarget).Repurchased.N > 0, "both new and established customers complain in the demo data");
        Assert.Equal(matrix.Cell(Severity.Minor, RecoveryColumn.DidNotComplain).Repurchased, byTenure[0].Cell(Severity.Minor, RecoveryColumn.DidNotComplain).Repurchased);
    }
}

/// <summary>A dozen customers whose answers are worked out by hand, edge cases included.</summary>
public abstract class RecoveryMatrixFixtureTests(DatabaseProvider provider) : IDisposable
{
    private static readonly DateTime Start = new(2026, 5, 4, 8, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Now = Start.AddDays(200);
    private readonly TestDatabase _database = new(provider);

    public void Dispose() => _database.Dispose();

    [StorageFact]
    public async Task Matrix_OnHandMadeCustomers_GivesTheWorkedOutAnswers()
    {
        await using (var db = _database.NewContext())
        {
            Customer C(string name) { var c = new Customer($"{name}@example.com", name, Start.AddYears(-1)); db.Customers.Add(c); return c; }
            var (a, b, c, d, e, f, g, h, i, l) = (C("a"), C("b"), C("c"), C("d"), C("e"), C("f"), C("g"), C("h"), C("i"), C("l"));
            db.SaveChanges();
            var ta = TicketInState.Complaint(a, Start);                                   // bought again the next day, 10.005 rounds to 10.01
            var tb = TicketInState.Complaint(b, Start);                                   // ordered at the very moment of resolution: not "after"
            var tc = Ticket.Receive(new TicketIntake(TicketKind.Complaint, Channel.Email, Severity.Minor, "Late", "Still waiting."),
                c, SlaPolicy.Default, RepeatComplaintPolicy.Default, null, Start); // never resolved: measured from receipt
            var td = TicketInState.Complaint(d, Start);                                   // no orders at all
            var te1 = TicketInState.Complaint(e, Start);                                  // two complaints: the second is a repeat, shown apart
            var te2 = TicketInState.Complaint(e, Start.AddDays(3), previousComplaintAt: Start);
            var ti = TicketInState.Complaint(i, Now.AddDays(-5));                         // window still open: pending
            var tl = TicketInState.Complaint(l, Start, late: true);                       // resolved after its due time
            db.Tickets.AddRange(ta, tb, tc, td, te1, te2, ti, tl);
            db.SaveChanges();
            db.Orders.AddRange(
                new Order("A-1", a.Id, ta.ResolvedAt!.Value.AddDays(1), 10.005m, null, null),
                new Order("B-1", b.Id, tb.ResolvedAt!.Value, 50m, null, null),
                new Order("C-1", c.Id, Start.AddDays(30), 20m, null, null),
                new Order("L-1", l.Id, tl.ResolvedAt!.Value.AddDays(89), 5m, null, null),
                new Order("F-1", f.Id, Start, 150m, null, null), new Order("F-2", f.Id, Start.AddDays(10), 30m, null, null), // major baseline, came back
                new Order("G-1", g.Id, Start, 20m, null, null),                                                          // minor baseline, did not
                new Order("H-1", h.Id, Now.AddDays(-10), 20m, null, null));                                              // minor baseline, pending
            db.SaveChanges();
        }

        await using var read = _database.NewContext();
        var matrix = await new RecoveryMatrixQuery(read, new FakeTimeProvider(Now))
            .RunAsync(new RecoveryFilter(), CancellationToken.None);

        var quick = matrix.Cell(Severity.Minor, RecoveryColumn.ResolvedWithinTarget);
        Assert.Equal(new Proportion(1, 4), quick.Repurchased);            // a yes; b, d, e's first no
        Assert.Equal(1, quick.Pending);                                    // i
        Assert.Equal(10.01m, quick.RevenueAfter);
        Assert.Equal(4 * 24.5m + 24.5m, quick.RemedyCost);                 // remedies count for pending tickets too
        Assert.Equal(new Proportion(1, 1), matrix.Cell(Severity.Minor, RecoveryColumn.ResolvedLate).Repurchased);
        Assert.Equal(new Proportion(1, 1), matrix.Cell(Severity.Minor, RecoveryColumn.ComplainedNotResolved).Repurchased);
        Assert.Equal(new Proportion(1, 1), matrix.Cell(Severity.Major, RecoveryColumn.DidNotComplain).Repurchased);
        Assert.Equal(30m, matrix.Cell(Severity.Major, RecoveryColumn.DidNotComplain).RevenueAfter);
        var minorSilent = matrix.Cell(Severity.Minor, RecoveryColumn.DidNotComplain);
        Assert.Equal((new Proportion(0, 1), 1L), (minorSilent.Repurchased, minorSilent.Pending));
        Assert.Equal(new Proportion(0, 1), matrix.RepeatComplaints);
        Assert.Equal(new Proportion(0, 1), matrix.RepeatCell(Severity.Minor, RecoveryColumn.ResolvedWithinTarget).Repurchased); // e's second, resolved on day 3
        Assert.Equal(24.5m, matrix.RepeatCell(Severity.Minor, RecoveryColumn.ResolvedWithinTarget).RemedyCost);
        Assert.All(matrix.RepeatCells.Where(c => c.Column != RecoveryColumn.ResolvedWithinTarget || c.Severity != Severity.Minor),
            c => Assert.Equal((new Proportion(0, 0), 0L), (c.Repurchased, c.Pending)));
        Assert.Equal(new Proportion(0, 0), matrix.Cell(Severity.Major, RecoveryColumn.ResolvedWithinTarget).Repurchased);
        await OutcomeConsistency.AssertTicketOutcomesAddUpToAsync(read, matrix, Now);

        var onlyMay = await new RecoveryMatrixQuery(read, new FakeTimeProvider(Now))
            .RunAsync(new RecoveryFilter(Start.AddDays(1), null), CancellationToken.None);
        var later = onlyMay.Cell(Severity.Minor, RecoveryColumn.ResolvedWithinTarget); // received from the next day on: only i, pending
        Assert.Equal((new Proportion(0, 0), 1L), (later.Repurchased, later.Pending));
        Assert.Equal(new Proportion(0, 1), onlyMay.RepeatComplaints);                  // e's second complaint came on day 3
    }
}

public sealed class RecoveryMatrixTruthTestsOnSqlite() : RecoveryMatrixTruthTests(DatabaseProvider.Sqlite);

public sealed class RecoveryMatrixTruthTestsOnPostgres() : RecoveryMatrixTruthTests(DatabaseProvider.Postgres), IRunsOnPostgres;

public sealed class RecoveryMatrixFixtureTestsOnSqlite() : RecoveryMatrixFixtureTests(DatabaseProvider.Sqlite);

public sealed class RecoveryMatrixFixtureTestsOnPostgres() : RecoveryMatrixFixtureTests(DatabaseProvider.Postgres), IRunsOnPostgres;

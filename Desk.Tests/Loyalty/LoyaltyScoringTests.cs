using Desk.Domain.Customers;
using Desk.Domain.Loyalty;
using Desk.Domain.Orders;
using Desk.Tests.Support;
using Desk.Web.Data;
using Desk.Web.Features.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Desk.Tests.Loyalty;

/// <summary>
/// The SQL scoring on a real SQLite file with six buying customers and one who never bought. Worked out by hand
/// (n = 6, so score = min(5, rank), ties sharing the lowest rank):
/// <code>
///          orders (days ago: amount)            spent  last yr  yr before  R  F  M  top share
///   ann    400: 10                                 10        0        10  1  1  1  6/6
///   bob    200: 20, 100: 30                        50       50         0  3  3  2  5/6
///   cai    300, 200, 10: 100 each                 300      300         0  4  5  4  3/6
///   dan    5: 500                                 500      500         0  5  1  5  2/6
///   eve    700, 500, 360, 30, 1: 10 each           50       30        20  5  5  2  5/6
///   fay    800: 1000, 380: 1000                  2000        0      1000  2  3  5  1/6
///   gus    (none)                                   — no row —
/// </code>
/// Recency ranks the last order (oldest first: ann, fay, bob, cai, dan, eve → 6 capped at 5); frequency the count
/// (ann = dan = 1 share rank 1, bob = fay = 2 share rank 3, cai rank 5, eve rank 6 → 5); monetary the spend (bob = eve share 2).
/// </summary>
public abstract class LoyaltyScoringTests : IDisposable
{
    private static readonly DateTime Now = new(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc);
    private readonly TestDatabase _database;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(Now));
    private readonly Dictionary<string, long> _ids = [];

    protected LoyaltyScoringTests(DatabaseProvider provider)
    {
        _database = new TestDatabase(provider);
        using var db = _database.NewContext();
        foreach (var name in new[] { "ann", "bob", "cai", "dan", "eve", "fay", "gus" })
            db.Customers.Add(new Customer($"{name}@example.org", name, Now.AddYears(-3)));
        db.SaveChanges();
        foreach (var c in db.Customers) _ids[c.Name] = c.Id;
        var n = 0;
        void Buy(string who, double daysAgo, decimal amount) =>
            db.Orders.Add(new Order($"O-{++n}", _ids[who], Now.AddDays(-daysAgo), amount, "Kettle", "Kitchen"));
        Buy("ann", 400, 10);
        Buy("bob", 200, 20); Buy("bob", 100, 30);
        Buy("cai", 300, 100); Buy("cai", 200, 100); Buy("cai", 10, 100);
        Buy("dan", 5, 500);
        foreach (var d in new[] { 700, 500, 360, 30, 1 }) Buy("eve", d, 10);
        Buy("fay", 800, 1000); Buy("fay", 380, 1000);
        db.SaveChanges();
    }

    private LoyaltyScoring Scoring(Desk.Web.Data.DeskDbContext db) => new(db, _clock, Options.Create(LoyaltyThresholds.Default));

    [StorageFact]
    public async Task Recompute_SmallFixture_StoresTheWorkedOutSumsScoresAndShares()
    {
        await using var db = _database.NewContext();

        var run = await Scoring(db).RecomputeAsync("manual");

        Assert.Equal(6, run.Customers);
        Assert.Equal(Now, run.ComputedAt);
        var rows = await db.CustomerLoyalty.AsNoTracking().ToDictionaryAsync(r => r.CustomerId);
        (int, decimal, decimal, decimal, int, int, int, double) Row(string who)
        {
            var r = rows[_ids[who]];
            return (r.OrderCount, r.Spent, r.SpentLastYear, r.SpentYearBefore, r.Recency, r.Frequency, r.Monetary, Math.Round(r.SpendTopShare, 6));
        }
        Assert.Equal((1, 10m, 0m, 10m, 1, 1, 1, 1.0), Row("ann"));
        Assert.Equal((2, 50m, 50m, 0m, 3, 3, 2, Math.Round(5 / 6.0, 6)), Row("bob"));
        Assert.Equal((3, 300m, 300m, 0m, 4, 5, 4, 0.5), Row("cai"));
        Assert.Equal((1, 500m, 500m, 0m, 5, 1, 5, Math.Round(2 / 6.0, 6)), Row("dan"));
        Assert.Equal((5, 50m, 30m, 20m, 5, 5, 2, Math.Round(5 / 6.0, 6)), Row("eve"));
        Assert.Equal((2, 2000m, 0m, 1000m, 2, 3, 5, Math.Round(1 / 6.0, 6)), Row("fay"));
        Assert.False(rows.ContainsKey(_ids["gus"]));
        Assert.Equal((Now.AddDays(-800), Now.AddDays(-380)), (rows[_ids["fay"]].FirstOrderAt, rows[_ids["fay"]].LastOrderAt));
    }

    [StorageFact]
    public async Task Panel_AfterRecompute_AppliesTheRulesToTheStoredProfile()
    {
        await using var db = _database.NewContext();
        await Scoring(db).RecomputeAsync("manual");

        var cai = (await Scoring(db).PanelAsync(_ids["cai"]))!.Assessment;
        var fay = (await Scoring(db).PanelAsync(_ids["fay"]))!.Assessment;
        var eve = (await Scoring(db).PanelAsync(_ids["eve"]))!.Assessment;

        // cai: R4 + F5 = 9, M4; three orders over 300 days; top half, 75 margin a year → many × low.
        Assert.Equal(new LoyaltyAssessment(LoyaltyClass.LoyalHighSales, RelationshipLevel.Basic, CustomerCount.Many, MarginBand.Low,
            LifecycleStage.Formation, AtRisk: false), cai);
        // fay: spent most (1/6 ≤ 20 % → medium number), nothing for 380 days: declining and at risk.
        Assert.Equal(new LoyaltyAssessment(LoyaltyClass.NotLoyalHighSales, RelationshipLevel.Reactive, CustomerCount.Medium, MarginBand.Low,
            LifecycleStage.Decline, AtRisk: true), fay);
        // eve: five orders over 700 days, spending up from 20 to 30 a year: stable, loyal, low sales.
        Assert.Equal((LoyaltyClass.LoyalLowSales, LifecycleStage.Stability, false), (eve.Class, eve.Stage, eve.AtRisk));
    }

    [StorageFact]
    public async Task Panel_CustomerWithoutOrders_HasNoPurchasesAndIsNotPending()
    {
        await using var db = _database.NewContext();
        await Scoring(db).RecomputeAsync("manual");

        var gus = (await Scoring(db).PanelAsync(_ids["gus"]))!;

        Assert.False(gus.Pending);
        Assert.Equal(0, gus.Profile.OrderCount);
        Assert.Null(gus.Profile.Scores);
        Assert.Equal(new LoyaltyAssessment(LoyaltyClass.NoPurchases, RelationshipLevel.Basic, CustomerCount.Many, MarginBand.Low,
            LifecycleStage.Exploration, AtRisk: false), gus.Assessment);
    }

    [StorageFact]
    public async Task Panel_OrdersSinceTheLastRun_IsPendingUntilTheNextOne()
    {
        await using var db = _database.NewContext();
        await Scoring(db).RecomputeAsync("manual");
        db.Orders.Add(new Order("O-gus", _ids["gus"], Now.AddHours(-1), 40m, null, null));
        await db.SaveChangesAsync();

        Assert.True((await Scoring(db).PanelAsync(_ids["gus"]))!.Pending);
        Assert.Equal("orders", await Scoring(db).ReasonToRecomputeAsync());
        await Scoring(db).RecomputeAsync("orders");
        var gus = (await Scoring(db).PanelAsync(_ids["gus"]))!;
        Assert.False(gus.Pending);
        Assert.Equal(1, gus.Profile.OrderCount);
    }

    [StorageFact]
    public async Task ReasonToRecompute_NeverRun_ThenNothingNew_ThenADayLater()
    {
        await using var db = _database.NewContext();

        Assert.Equal("start", await Scoring(db).ReasonToRecomputeAsync());
        await Scoring(db).RecomputeAsync("start");
        Assert.Null(await Scoring(db).ReasonToRecomputeAsync());
        _clock.Advance(TimeSpan.FromHours(23));
        Assert.Null(await Scoring(db).ReasonToRecomputeAsync());
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal("daily", await Scoring(db).ReasonToRecomputeAsync());
    }

    [StorageFact]
    public async Task Recompute_AfterAnOverride_KeepsThePersonsLevel()
    {
        await using (var db = _database.NewContext())
        {
            await Scoring(db).RecomputeAsync("manual");
            var suggested = (await Scoring(db).PanelAsync(_ids["fay"]))!.Assessment.SuggestedLevel;
            var fay = await db.Customers.SingleAsync(c => c.Id == _ids["fay"]);
            fay.DecideLevel(RelationshipLevel.Partnership, suggested, "maria", Now);
            await db.SaveChangesAsync();
            db.Orders.Add(new Order("O-fay-again", _ids["fay"], Now.AddMinutes(-5), 5m, null, null));
            await db.SaveChangesAsync();
        }

        _clock.Advance(TimeSpan.FromDays(2));
        await using (var db = _database.NewContext())
        {
            await Scoring(db).RecomputeAsync("daily");
            var panel = (await Scoring(db).PanelAsync(_ids["fay"]))!;

            Assert.Equal(3, panel.Profile.OrderCount);
            Assert.Equal(RelationshipLevel.Partnership, panel.Level);
            Assert.True(panel.LevelOverridden);
            Assert.Equal(("maria", Now), (panel.LevelDecidedBy, panel.LevelDecidedAt));
            Assert.NotEqual(RelationshipLevel.Partnership, panel.Assessment.SuggestedLevel);
        }
    }

    [StorageFact]
    public async Task Recompute_Twice_ReplacesTheCacheRatherThanAddingToIt()
    {
        await using var db = _database.NewContext();
        await Scoring(db).RecomputeAsync("manual");
        _clock.Advance(TimeSpan.FromDays(1));

        await Scoring(db).RecomputeAsync("daily");

        Assert.Equal(6, await db.CustomerLoyalty.CountAsync());
        Assert.All(await db.CustomerLoyalty.AsNoTracking().ToListAsync(), r => Assert.Equal(Now.AddDays(1), r.ComputedAt));
        Assert.Equal(2, await db.LoyaltyRuns.CountAsync());
    }

    public void Dispose() => _database.Dispose();
}

public sealed class LoyaltyScoringTestsOnSqlite() : LoyaltyScoringTests(DatabaseProvider.Sqlite);

public sealed class LoyaltyScoringTestsOnPostgres() : LoyaltyScoringTests(DatabaseProvider.Postgres), IRunsOnPostgres;

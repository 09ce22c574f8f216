using System.Diagnostics;
using Desk.Domain.Customers;
using Desk.Domain.Loyalty;
using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Desk.Web.Features.Customers;

/// <summary>A customer's loyalty as the pages show it: the profile, what the rules make of it, and the person's decision on the level.</summary>
/// <param name="Assessment">What the rules conclude, as of <see cref="PurchaseProfile.AsOf"/>.</param>
/// <param name="Pending">The customer has orders the last run did not see yet: the badges show the last run's view until the next one.</param>
public sealed record LoyaltyPanel(long CustomerId, PurchaseProfile Profile, LoyaltyAssessment Assessment, bool Pending,
    RelationshipLevel Level, string? LevelDecidedBy, DateTime? LevelDecidedAt, bool LevelOverridden)
{
    public bool SuggestionDiffers => Assessment.SuggestedLevel != Level;
}

/// <summary>
/// Scores every customer from their orders in SQL and caches the result in <c>CustomerLoyalty</c>, so a customer or
/// ticket page reads one row instead of aggregating orders (at a million orders the aggregation takes seconds; the
/// row takes microseconds).
/// <para>
/// When: <see cref="LoyaltyRecomputation"/> recomputes at start, within a minute of new orders (it compares the highest
/// order id with the last run's) and at least once a day (recency and "gone quiet" age with the calendar even when no
/// order arrives). The order import is not touched: it only has to add orders.
/// </para>
/// <para>
/// How: one SELECT — a GROUP BY over Orders for the sums, window functions over the customers for the scores — into a
/// temporary table, then one transaction behind the desk's write gate replaces the cache with it, so readers see the
/// old profiles or the new ones, never half of each. The level a person chose lives on the customer and is never written
/// here: an override survives any number of runs.
/// </para>
/// </summary>
public sealed class LoyaltyScoring(DeskDbContext db, TimeProvider clock, IOptions<LoyaltyThresholds> thresholds)
{
    private const long YearMilliseconds = 365L * 24 * 60 * 60 * 1000;

    /// <summary>
    /// Every buying customer's profile; parameters @now and @year in Unix ms (money in cents, as stored). Score =
    /// 1 + ⌊5 (rank − 1) / (n − 1)⌋, capped at 5, in integer arithmetic (bigint over bigint truncates on both
    /// databases) so a boundary is never missed by a rounding error; ties share the lowest rank. The cap is the one
    /// expression the databases write differently (<paramref name="sql"/>'s). Public for the bench.
    /// </summary>
    public static string ProfilesSql(ReportDialect sql)
    {
        string Score(string orderBy) =>
            sql.Least("5", $"1 + COALESCE(5 * (RANK() OVER (ORDER BY {orderBy}) - 1) / NULLIF(COUNT(*) OVER () - 1, 0), 0)");
        return $"""
            SELECT a."CustomerId", a."OrderCount", a."Spent", a."FirstOrderAt", a."LastOrderAt", a."SpentLastYear", a."SpentYearBefore",
                   {Score("a.\"LastOrderAt\"")} AS "Recency",
                   {Score("a.\"OrderCount\"")} AS "Frequency",
                   {Score("a.\"Spent\"")} AS "Monetary",
                   CUME_DIST() OVER (ORDER BY a."Spent" DESC) AS "SpendTopShare",
                   @now AS "ComputedAt"
            FROM (SELECT o."CustomerId", COUNT(*) AS "OrderCount", SUM(o."Amount") AS "Spent",
                         MIN(o."PlacedAt") AS "FirstOrderAt", MAX(o."PlacedAt") AS "LastOrderAt",
                         SUM(CASE WHEN o."PlacedAt" > @now - @year THEN o."Amount" ELSE 0 END) AS "SpentLastYear",
                         SUM(CASE WHEN o."PlacedAt" > @now - 2 * @year AND o."PlacedAt" <= @now - @year THEN o."Amount" ELSE 0 END) AS "SpentYearBefore"
                  FROM "Orders" AS o
                  WHERE o."PlacedAt" <= @now
                  GROUP BY o."CustomerId") AS a
            """;
    }

    private const string Columns = "\"CustomerId\", \"OrderCount\", \"Spent\", \"FirstOrderAt\", \"LastOrderAt\", \"SpentLastYear\", " +
        "\"SpentYearBefore\", \"Recency\", \"Frequency\", \"Monetary\", \"SpendTopShare\", \"ComputedAt\"";

    /// <summary>
    /// The customers with a complaint whose class this run moves: the old cache against the new one (the kept outcomes
    /// are built only from the cache, and only this run writes it, so the comparison holds whatever state they are in).
    /// </summary>
    private static string MovedClassesSql(ReportDialect sql) => $"""
        DROP TABLE IF EXISTS {sql.Temp("LoyaltyMoved")};
        {sql.IndexTemp("FreshLoyalty", "CustomerId")}
        CREATE TEMP TABLE "LoyaltyMoved" AS
        SELECT n."CustomerId" FROM {sql.Temp("FreshLoyalty")} AS n LEFT JOIN "CustomerLoyalty" AS o ON o."CustomerId" = n."CustomerId"
        WHERE ({ReportDialect.ClassOf("n")}) IS DISTINCT FROM ({ReportDialect.ClassOf("o")})
          AND EXISTS (SELECT 1 FROM "Tickets" AS t WHERE t."CustomerId" = n."CustomerId")
        UNION
        SELECT o."CustomerId" FROM "CustomerLoyalty" AS o LEFT JOIN {sql.Temp("FreshLoyalty")} AS n ON n."CustomerId" = o."CustomerId"
        WHERE n."CustomerId" IS NULL AND ({ReportDialect.ClassOf("o")}) <> 'NoPurchases'
          AND EXISTS (SELECT 1 FROM "Tickets" AS t WHERE t."CustomerId" = o."CustomerId");
        """;

    /// <summary>
    /// Recomputes every customer's profile as of now and records the run. The heavy part (about 5 s at a million orders
    /// and 200,000 customers on two cores) reads into a temporary table on this connection, outside the write gate:
    /// in WAL mode it blocks no one. Only the swap — delete the cache, copy the temporary table in (about 1 s at that
    /// size) — holds the gate, so mail intake and imports wait at most that long.
    /// </summary>
    public async Task<LoyaltyRun> RecomputeAsync(string reason, CancellationToken ct = default)
    {
        var watch = Stopwatch.StartNew();
        var now = clock.GetUtcNow().UtcDateTime;
        var sql = db.Provider.Reports;
        // Background work that may wait its turn: marking customers waits for the reports' refresh holding their marks
        // (on a new desk of a million customers that is their whole first build), longer than a page's 30 s.
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(15));
        await db.Database.OpenConnectionAsync(ct); // the temporary table lives on this one connection
        try
        {
            // Read before the profiles: an order committed in between makes the next check run again, never miss it.
            var watermark = await db.Orders.MaxAsync(o => (long?)o.Id, ct) ?? 0;
            var dropFresh = $"DROP TABLE IF EXISTS {sql.Temp("FreshLoyalty")}";
            await db.Database.ExecuteSqlRawAsync(dropFresh, ct);
            await using (var command = db.Database.GetDbConnection().CreateCommand())
            {
                command.CommandText = "CREATE TEMP TABLE \"FreshLoyalty\" AS " + ProfilesSql(sql);
                foreach (var (name, value) in new[] { ("@now", StoredValues.UnixMilliseconds(now)), ("@year", YearMilliseconds) })
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = name;
                    parameter.Value = value;
                    command.Parameters.Add(parameter);
                }
                await command.ExecuteNonQueryAsync(ct);
            }

            // The reports keep each complaint's loyalty class: customers whose class moves are marked for them, read
            // here outside the write gate (only this run writes the cache) and marked inside it.
            await db.Database.ExecuteSqlRawAsync(MovedClassesSql(sql), ct);

            await using var transaction = await db.BeginWriteAsync(ct);
            // Desks sharing a database swap one at a time (SQLite: the write gate already saw to it).
            if (sql.Exclusive("LoyaltyScoring") is { } exclusive) await db.Database.ExecuteSqlRawAsync(exclusive, ct);
            await db.Database.ExecuteSqlRawAsync(ReportDialect.MarkCustomers($"SELECT \"CustomerId\" FROM {sql.Temp("LoyaltyMoved")} WHERE true"), ct);
            await db.Database.ExecuteSqlRawAsync("DELETE FROM \"CustomerLoyalty\"", ct);
            var swap = $"INSERT INTO \"CustomerLoyalty\" ({Columns}) SELECT {Columns} FROM {sql.Temp("FreshLoyalty")}";
            var customers = await db.Database.ExecuteSqlRawAsync(swap, ct);
            var run = new LoyaltyRun(now, watermark, customers, watch.ElapsedMilliseconds, reason);
            db.LoyaltyRuns.Add(run);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            db.Entry(run).State = EntityState.Detached;
            return run;
        }
        finally
        {
            var dropBoth = $"DROP TABLE IF EXISTS {sql.Temp("FreshLoyalty")}; DROP TABLE IF EXISTS {sql.Temp("LoyaltyMoved")}";
            await db.Database.ExecuteSqlRawAsync(dropBoth, CancellationToken.None);
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Why the cache needs a run now, or null: never computed, orders came in since, or the last run is a day old.</summary>
    public async Task<string?> ReasonToRecomputeAsync(CancellationToken ct = default)
    {
        var last = await LastRunAsync(ct);
        if (last is null) return "start";
        var watermark = await db.Orders.MaxAsync(o => (long?)o.Id, ct) ?? 0;
        if (watermark != last.OrdersWatermark) return "orders";
        if (clock.GetUtcNow().UtcDateTime - last.ComputedAt >= TimeSpan.FromDays(1)) return "daily";
        return null;
    }

    public Task<LoyaltyRun?> LastRunAsync(CancellationToken ct = default) =>
        db.LoyaltyRuns.AsNoTracking().OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);

    /// <summary>The stored profile of a customer (one row), or "no orders" as of the last run; null for an unknown customer.</summary>
    public async Task<LoyaltyPanel?> PanelAsync(long customerId, CancellationToken ct = default)
    {
        var customer = await db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.Id == customerId, ct);
        return customer is null ? null : await PanelAsync(customer, ct);
    }

    /// <summary>The stored profile of <paramref name="customer"/> (one row), or "no orders" as of the last run.</summary>
    public async Task<LoyaltyPanel> PanelAsync(Customer customer, CancellationToken ct = default)
    {
        var row = await db.CustomerLoyalty.AsNoTracking().SingleOrDefaultAsync(l => l.CustomerId == customer.Id, ct);
        var lastRun = await LastRunAsync(ct);
        var profile = row?.ToProfile() ?? PurchaseProfile.NoOrders(lastRun?.ComputedAt ?? clock.GetUtcNow().UtcDateTime);
        // Orders the last run did not see (a higher id than its watermark; the customer's index holds the id): the
        // background check picks them up within a minute, and until then the page says so.
        var seen = lastRun?.OrdersWatermark ?? 0;
        var pending = await db.Orders.AnyAsync(o => o.CustomerId == customer.Id && o.Id > seen, ct);
        return new LoyaltyPanel(customer.Id, profile, LoyaltyRules.Assess(profile, profile.AsOf, thresholds.Value), pending,
            customer.Level, customer.LevelDecidedBy, customer.LevelDecidedAt, customer.IsLevelOverridden);
    }
}

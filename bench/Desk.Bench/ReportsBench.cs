using System.Diagnostics;
using Desk.Domain.Recovery;
using Desk.Web.Data;
using Desk.Web.Data.Sqlite;
using Desk.Web.Features.Reports;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Desk.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/Desk.Bench -- reports [--db FILE] [--orders 5000000] [--runs 5] [--only NAME]</c> on the
/// million-ticket desk the page bench generates. The bench never changes that file (other benches share it): it works
/// on a copy beside it (<c>…-reports-ORDERS.db</c>, kept for the next run), brought up to the code's migrations and
/// topped up with filler orders (random existing customers, random times in the desk's span) to <c>--orders</c>.
/// Then each report through the desk's own code, beside the same SQL run straight on SQLite and a bare aggregation
/// that only counts the complaints per cell (the floor: touching every complaint once, no order look-ups).
/// </summary>
public static class ReportsBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var source = QueueBench.StringArg(args, "--db", Path.Combine(Path.GetTempPath(), "desk-bench-1000000.db"));
        var orders = QueueBench.IntArg(args, "--orders", 5_000_000);
        var runs = QueueBench.IntArg(args, "--runs", 5);
        var only = QueueBench.StringArg(args, "--only", ""); // times only the reports whose name holds this (and no bare count)
        if (!File.Exists(source))
        {
            Console.Error.WriteLine($"error: {source} does not exist; run the page bench first (it generates the million-ticket desk), or pass --db.");
            return 2;
        }
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores ({QueueBench.Cpu()}), load average before: {LoadAverage()}");
        var db = await PrepareAsync(source, orders);
        var connectionString = $"Data Source={db}";
        var settings = RecoverySettings.Default;
        Console.WriteLine($"Reports on {db} ({Count(connectionString, "SELECT count(*) FROM Tickets"):N0} tickets, {Count(connectionString, "SELECT count(*) FROM Orders"):N0} orders), {runs} runs each after one warm-up");
        await KeepOutcomesAsync(connectionString);
        long? cutoff = Count(connectionString, "SELECT Cutoff FROM OutcomesState");

        var rows = new List<(string Name, (double Median, double Max) Time, double? Ratio)>();
        async Task Pair(string name, RecoveryFilter filter)
        {
            if (!name.Contains(only, StringComparison.OrdinalIgnoreCase)) return;
            // Both sides on a connection opened once, as a page has it (OneConnectionPerRequest): the report's work, not the open.
            await using var context = SqliteStore.NewContext(connectionString);
            await context.Database.OpenConnectionAsync();
            var desk = await TimeAsync(runs, () => new RecoveryMatrixQuery(context, TimeProvider.System).RunAsync(filter, CancellationToken.None));
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            var sql = await TimeAsync(runs, () =>
            {
                foreach (var text in new[] { RecoveryMatrixQuery.ComplaintsSql(filter, cutoff), RecoveryMatrixQuery.BaselineSql(filter, cutoff) })
                    Drain(connection, text, filter, settings, cutoff);
                return Task.CompletedTask;
            });
            rows.Add(($"{name}, through the desk", desk, desk.Median / sql.Median));
            rows.Add(($"{name}, same SQL straight on SQLite", sql, null));
        }
        await Pair("recovery matrix", new RecoveryFilter());
        await Pair("recovery matrix, established customers", new RecoveryFilter(Tenure: Desk.Domain.Customers.TenureBand.Established));
        await Pair("recovery matrix, partnership level", new RecoveryFilter(Level: Desk.Domain.Customers.RelationshipLevel.Partnership));
        await Pair("recovery matrix, one quarter received", new RecoveryFilter(From: new DateTime(2026, 4, 1, 0, 0, 0, DateTimeKind.Utc), To: new DateTime(2026, 7, 1, 0, 0, 0, DateTimeKind.Utc)));
        // The SLA and remedy reports beside their own SQL straight on SQLite (after the matrix: the closing ratio reads rows[0]).
        async Task Beside(string name, Func<DeskDbContext, Task> report, string sql, Dictionary<string, object>? extra = null)
        {
            if (!name.Contains(only, StringComparison.OrdinalIgnoreCase)) return;
            await using var context = SqliteStore.NewContext(connectionString);
            await context.Database.OpenConnectionAsync();
            var desk = await TimeAsync(runs, () => report(context));
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            var bare = await TimeAsync(runs, () =>
            {
                Drain(connection, sql, new RecoveryFilter(), settings, cutoff, extra);
                return Task.CompletedTask;
            });
            rows.Add(($"{name}, through the desk", desk, desk.Median / bare.Median));
            rows.Add(($"{name}, same SQL straight on SQLite", bare, null));
        }
        await Beside("SLA and team", c => new SlaReportQuery(c, TimeProvider.System).RunAsync(new RecoveryFilter(), CancellationToken.None), SlaReportQuery.Sql(new RecoveryFilter(), cutoff));
        await Beside("remedy effectiveness", c => new RemedyEffectivenessQuery(c, TimeProvider.System).RunAsync(new RecoveryFilter(), CancellationToken.None),
            RemedyEffectivenessQuery.Sql(new RecoveryFilter(), cutoff));
        await Beside("root-cause Pareto", c => new RootCauseParetoQuery(c, TimeProvider.System).RunAsync(new ParetoFilter(), CancellationToken.None), RootCauseParetoQuery.Sql(new ParetoFilter()));
        await Beside("loss reasons", c => new LossReasonsQuery(c, TimeProvider.System).RunAsync(new RecoveryFilter(), CancellationToken.None),
            LossReasonsQuery.Sql(new RecoveryFilter()));
        await Beside("win-back list", c => new WinBackQuery(c, TimeProvider.System).RunAsync(new RecoveryFilter(), 0m, 100, CancellationToken.None),
            WinBackQuery.Sql(new RecoveryFilter()), new() { ["@minimum"] = 0L, ["@limit"] = 100L });
        var thresholds = new Desk.Domain.Loyalty.LoyaltyThresholds();
        await Beside("three faces", c => new ThreeFacesQuery(c, TimeProvider.System, thresholds).RunAsync(new RecoveryFilter(), CancellationToken.None),
            ThreeFacesQuery.Sql(ReportOutcomesSql.Instance, new RecoveryFilter(), cutoff));
        (double Median, double Max)? floor = null;
        if (only.Length == 0)
        {
            floor = await TimeAsync(runs, () =>
            {
                using var connection = new SqliteConnection(connectionString);
                connection.Open();
                Drain(connection, """
                    SELECT t.Severity, t.State IN ('Resolved', 'FollowUp', 'Closed') AND t.ResolvedAt <= t.ResolutionDueAt, COUNT(*)
                    FROM Tickets AS t WHERE t.Kind = 'Complaint' AND t.State <> 'Rejected' GROUP BY 1, 2
                    """, new RecoveryFilter(), settings, null);
                return Task.CompletedTask;
            });
            rows.Add(("bare count of complaints per cell", floor.Value, null));
        }

        Console.WriteLine($"{"",-68} {"median ms",10} {"max ms",8}");
        foreach (var (name, time, ratio) in rows)
            Console.WriteLine($"{name,-68} {time.Median,10:N1} {time.Max,8:N1}{(ratio is { } r ? $"   (desk / SQL: {r:N2})" : "")}");
        if (floor is { } bare) Console.WriteLine($"matrix through the desk / bare count: {rows[0].Time.Median / bare.Median:N1}");
        Console.WriteLine($"load average after: {LoadAverage()}");
        return 0;
    }

    /// <summary>
    /// The reports read kept outcomes (<see cref="ReportOutcomesSql"/>). Built here when the copy has none (a new
    /// migration, another window), timed; then what keeping them current costs: a thousand new orders for a thousand
    /// customers, their triggers, and the refresh the next report runs first.
    /// </summary>
    private static async Task KeepOutcomesAsync(string connectionString)
    {
        await using var context = SqliteStore.NewContext(connectionString);
        var started = Stopwatch.GetTimestamp();
        if (Count(connectionString, "SELECT count(*) FROM CustomerLoyalty") == 0)
        {
            // A desk fills its loyalty cache at start; the copy never ran one, and three faces groups by the class.
            var run = await new Desk.Web.Features.Customers.LoyaltyScoring(context, TimeProvider.System,
                Microsoft.Extensions.Options.Options.Create(Desk.Domain.Loyalty.LoyaltyThresholds.Default)).RecomputeAsync("bench", CancellationToken.None);
            Console.WriteLine($"loyalty cache: {run.Customers:N0} customers scored in {Stopwatch.GetElapsedTime(started).TotalSeconds:N1} s");
            started = Stopwatch.GetTimestamp();
        }
        var built = await ReportOutcomes.RefreshAsync(context, DateTime.UtcNow, null, CancellationToken.None);
        if (built > 0) Console.WriteLine($"kept outcomes: built for {built:N0} customers in {Stopwatch.GetElapsedTime(started).TotalSeconds:N1} s");

        var customers = Count(connectionString, "SELECT max(Id) FROM Customers");
        var last = Count(connectionString, "SELECT max(PlacedAt) FROM Orders");
        var random = new Random(20261124);
        var marker = Count(connectionString, "SELECT count(*) FROM Orders WHERE ExternalRef LIKE 'BENCH-KEEP-%'");
        started = Stopwatch.GetTimestamp();
        using (var connection = new SqliteConnection(connectionString))
        {
            connection.Open();
            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO Orders (ExternalRef, CustomerId, PlacedAt, Amount) VALUES ($ref, $customer, $at, $amount)";
            for (var i = 0; i < 1_000; i++)
            {
                insert.Parameters.Clear();
                insert.Parameters.AddWithValue("$ref", $"BENCH-KEEP-{marker + i:D8}");
                insert.Parameters.AddWithValue("$customer", random.NextInt64(1, customers + 1));
                insert.Parameters.AddWithValue("$at", last - random.NextInt64(0, 86_400_000L * 30));
                insert.Parameters.AddWithValue("$amount", random.NextInt64(500, 30_000));
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
        }
        var inserted = Stopwatch.GetElapsedTime(started);
        started = Stopwatch.GetTimestamp();
        var refreshed = await ReportOutcomes.RefreshAsync(context, DateTime.UtcNow, null, CancellationToken.None);
        Console.WriteLine($"kept outcomes: 1,000 new orders written in {inserted.TotalMilliseconds:N0} ms (their customers found by id at the refresh), " +
            $"then {refreshed:N0} customers brought up to date in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:N0} ms");
    }

    /// <summary>The copy the bench measures: migrated, with at least <paramref name="orders"/> orders. Made once, reused.</summary>
    private static async Task<string> PrepareAsync(string source, int orders)
    {
        var copy = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(source))!, $"{Path.GetFileNameWithoutExtension(source)}-reports-{orders}.db");
        if (!File.Exists(copy))
        {
            var started = Stopwatch.GetTimestamp();
            using (var connection = new SqliteConnection($"Data Source={source};Mode=ReadOnly"))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "VACUUM INTO $copy"; // a consistent copy, WAL included, without touching the source
                command.Parameters.AddWithValue("$copy", copy + ".building");
                command.CommandTimeout = 0;
                command.ExecuteNonQuery();
            }
            File.Move(copy + ".building", copy);
            Console.WriteLine($"copied {source} to {copy} in {Stopwatch.GetElapsedTime(started).TotalSeconds:N0} s");
        }
        var connectionString = $"Data Source={copy}";
        await using (var context = SqliteStore.NewContext(connectionString))
        {
            var pending = (await context.Database.GetPendingMigrationsAsync()).ToList();
            if (pending.Count > 0)
            {
                var started = Stopwatch.GetTimestamp();
                context.Database.SetCommandTimeout(TimeSpan.FromHours(1));
                await context.Database.MigrateAsync();
                Console.WriteLine($"applied {string.Join(", ", pending)} in {Stopwatch.GetElapsedTime(started).TotalSeconds:N0} s");
            }
        }
        var have = Count(connectionString, "SELECT count(*) FROM Orders");
        if (have < orders) TopUp(connectionString, orders - have);
        return copy;
    }

    /// <summary>Filler orders for existing customers at random times in the desk's span; deterministic, one prepared statement.</summary>
    private static void TopUp(string connectionString, long count)
    {
        var started = Stopwatch.GetTimestamp();
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        var (minCustomer, maxCustomer) = (Count(connectionString, "SELECT min(Id) FROM Customers"), Count(connectionString, "SELECT max(Id) FROM Customers"));
        var (first, last) = (Count(connectionString, "SELECT min(PlacedAt) FROM Orders"), Count(connectionString, "SELECT max(PlacedAt) FROM Orders"));
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO Orders (ExternalRef, CustomerId, PlacedAt, Amount) VALUES ($ref, $customer, $at, $amount)";
        var (reference, customer, at, amount) = (insert.Parameters.Add("$ref", SqliteType.Text), insert.Parameters.Add("$customer", SqliteType.Integer),
            insert.Parameters.Add("$at", SqliteType.Integer), insert.Parameters.Add("$amount", SqliteType.Integer));
        insert.Prepare();
        var random = new Random(20261123);
        for (long i = 0; i < count; i++)
        {
            reference.Value = $"BENCH-{i:D8}";
            customer.Value = random.NextInt64(minCustomer, maxCustomer + 1);
            at.Value = random.NextInt64(first, last + 1);
            amount.Value = random.NextInt64(500, 30_000);
            insert.ExecuteNonQuery();
            if ((i + 1) % 500_000 == 0) Console.WriteLine($"  filler orders {i + 1:N0} / {count:N0}");
        }
        transaction.Commit();
        using var analyze = connection.CreateCommand();
        // As the seed's bulk load does: statistics of the search index's tables mislead the planner later (see SqliteBulkWriter).
        analyze.CommandText = "ANALYZE; DELETE FROM sqlite_stat1 WHERE tbl LIKE 'TicketSearch%'; ANALYZE sqlite_schema;";
        analyze.ExecuteNonQuery();
        Console.WriteLine($"added {count:N0} filler orders in {Stopwatch.GetElapsedTime(started).TotalSeconds:N0} s");
    }

    private static void Drain(SqliteConnection connection, string sql, RecoveryFilter filter, RecoverySettings settings, long? cutoff, Dictionary<string, object>? extra = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in RecoveryMatrixQuery.Parameters(filter, DateTime.UtcNow, settings, cutoff))
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        foreach (var (name, value) in extra ?? [])
            command.Parameters.AddWithValue(name, value);
        using var reader = command.ExecuteReader();
        while (reader.Read()) { }
    }

    private static async Task<(double Median, double Max)> TimeAsync(int runs, Func<Task> run)
    {
        await run();
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await run();
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        times.Sort();
        return (times[times.Count / 2], times[^1]);
    }

    private static long Count(string connectionString, string sql)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
}

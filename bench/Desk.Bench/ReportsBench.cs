using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Desk.Domain.Recovery;
using Desk.Web.Data;
using Desk.Web.Features.Reports;
using Desk.Web.Features.Reports.LossReasons;
using Desk.Web.Features.Reports.Recovery;
using Desk.Web.Features.Reports.Remedies;
using Desk.Web.Features.Reports.RootCauses;
using Desk.Web.Features.Reports.Sla;
using Desk.Web.Features.Reports.ThreeFaces;
using Desk.Web.Features.Reports.Trends;
using Desk.Web.Features.Reports.WinBack;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Desk.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/Desk.Bench -- reports [--provider sqlite|postgres] [--db FILE | --connection CS]
/// [--orders 5000000] [--runs 5] [--only NAME]</c> on the million-ticket desk the page bench generates (SQLite:
/// /tmp/desk-bench-1000000.db; PostgreSQL: the database desk_bench_1000000 on the private cluster, or the one
/// <c>--connection</c> names). The bench never changes that desk (other benches share it): it works on a copy beside
/// it (SQLite <c>…-reports-ORDERS.db</c>, PostgreSQL <c>…_reports_ORDERS</c> made with the desk as its template; kept
/// for the next run), brought up to the code's migrations and topped up with filler orders (random existing
/// customers, random times in the desk's span) to <c>--orders</c>. Then each report through the desk's own code,
/// beside the same SQL run straight on the database (a bare connection of its provider) and a bare aggregation that
/// only counts the complaints per cell (the floor: touching every complaint once, no order look-ups).
/// </summary>
public static class ReportsBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var orders = QueueBench.IntArg(args, "--orders", 5_000_000);
        var runs = QueueBench.IntArg(args, "--runs", 5);
        var only = QueueBench.StringArg(args, "--only", ""); // times only the reports whose name holds this (and no bare count)
        BenchDatabase? db;
        try
        {
            var source = await BenchDatabase.ForPagesAsync(args, 1_000_000);
            if (source.Kind == DatabaseProvider.Sqlite && !File.Exists(source.Provider.Describe(source.ConnectionString)))
            {
                Console.Error.WriteLine($"error: {source.Provider.Describe(source.ConnectionString)} does not exist; run the page bench first (it generates the million-ticket desk), or pass --db.");
                return 2;
            }
            if (source.Kind == DatabaseProvider.Postgres && !await PostgresDatabaseExistsAsync(source.ConnectionString))
            {
                Console.Error.WriteLine($"error: {source.Description} does not exist; run the page bench with --provider postgres first (it generates the million-ticket desk), or pass --connection.");
                return 2;
            }
            Console.WriteLine($"Machine: {Environment.ProcessorCount} cores ({QueueBench.Cpu()}), load average before: {LoadAverage()}");
            db = await PrepareAsync(source, orders);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        if (db is null) return 2;
        var name = db.Provider.Name;
        var settings = RecoverySettings.Default;
        Console.WriteLine($"Reports on {db.Description} " +
            $"({await CountAsync(db, "SELECT count(*) FROM \"Tickets\""):N0} tickets, {await CountAsync(db, "SELECT count(*) FROM \"Orders\""):N0} orders), {runs} runs each after one warm-up");
        await KeepOutcomesAsync(db);
        long? cutoff = await CountAsync(db, "SELECT \"Cutoff\" FROM \"OutcomesState\"");

        var rows = new List<(string Name, (double Median, double Max) Time, double? Ratio)>();
        async Task Pair(string report, RecoveryFilter filter)
        {
            if (!report.Contains(only, StringComparison.OrdinalIgnoreCase)) return;
            // Both sides on a connection opened once, as a page has it (OneConnectionPerRequest): the report's work, not the open.
            await using var context = db.NewContext();
            await context.Database.OpenConnectionAsync();
            var desk = await TimeAsync(runs, () => new RecoveryMatrixQuery(context, TimeProvider.System).RunAsync(filter, CancellationToken.None));
            using var connection = await OpenAsync(db);
            var sql = await TimeAsync(runs, () =>
            {
                foreach (var text in new[] { RecoveryMatrixQuery.ComplaintsSql(filter, cutoff), RecoveryMatrixQuery.BaselineSql(filter, cutoff) })
                    Drain(connection, text, filter, settings, cutoff);
                return Task.CompletedTask;
            });
            rows.Add(($"{report}, through the desk", desk, desk.Median / sql.Median));
            rows.Add(($"{report}, same SQL straight on {name}", sql, null));
        }
        await Pair("recovery matrix", new RecoveryFilter());
        await Pair("recovery matrix, established customers", new RecoveryFilter(Tenure: Desk.Domain.Customers.TenureBand.Established));
        await Pair("recovery matrix, partnership level", new RecoveryFilter(Level: Desk.Domain.Customers.RelationshipLevel.Partnership));
        await Pair("recovery matrix, one quarter received", new RecoveryFilter(From: new DateTime(2026, 4, 1, 0, 0, 0, DateTimeKind.Utc), To: new DateTime(2026, 7, 1, 0, 0, 0, DateTimeKind.Utc)));
        // The SLA and remedy reports beside their own SQL straight on the database (after the matrix: the closing ratio reads rows[0]).
        async Task Beside(string report, Func<DeskDbContext, Task> run, string sql, Dictionary<string, object>? extra = null)
        {
            if (!report.Contains(only, StringComparison.OrdinalIgnoreCase)) return;
            await using var context = db.NewContext();
            await context.Database.OpenConnectionAsync();
            var desk = await TimeAsync(runs, () => run(context));
            using var connection = await OpenAsync(db);
            var bare = await TimeAsync(runs, () =>
            {
                Drain(connection, sql, new RecoveryFilter(), settings, cutoff, extra);
                return Task.CompletedTask;
            });
            rows.Add(($"{report}, through the desk", desk, desk.Median / bare.Median));
            rows.Add(($"{report}, same SQL straight on {name}", bare, null));
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
            ThreeFacesQuery.Sql(db.Provider.Reports, new RecoveryFilter(), cutoff));
        // Trends by month: the total reads the matrix's and SLA report's weekly rollups; a split by root cause, channel or class the trends rollup.
        foreach (var (label, split) in new[] { ("trends", TrendSplit.None), ("trends by root cause", TrendSplit.Cause), ("trends by loyalty class", TrendSplit.Class) })
            await Beside(label, c => new TrendsQuery(c, TimeProvider.System, thresholds).RunAsync(new RecoveryFilter(), SlaPeriod.Month, split, CancellationToken.None),
                TrendsQuery.Sql(new RecoveryFilter(), split, cutoff));
        if ("dashboard".Contains(only, StringComparison.OrdinalIgnoreCase))
        {
            // The managers' landing page: 13 reads through the reports' own queries and the queue's counters. On today's
            // clock, as a desk runs it: the rollups' cutoff follows the clock, and a clock behind it (the seed's last day)
            // would make every report read all its rows live — slower than any desk ever is. The last 7 days then hold
            // what the page bench's intake filed; the year and the 28 days hold the seed's.
            await using var context = db.NewContext();
            await context.Database.OpenConnectionAsync();
            var clock = TimeProvider.System;
            var dashboard = new Desk.Web.Features.Dashboard.DashboardQuery(new SlaReportQuery(context, clock), new RecoveryMatrixQuery(context, clock),
                new RootCauseParetoQuery(context, clock), new WinBackQuery(context, clock), new Desk.Web.Features.Queue.QueueCounts(context, Desk.Web.Features.Queue.QueueCountsKept.Nothing()), clock);
            rows.Add(("dashboard (13 reads: SLA ×3, matrix ×2, Pareto ×2, win-back, counts), through the desk",
                await TimeAsync(runs, () => dashboard.ReadAsync("bench", CancellationToken.None)), null));
            // Its parts, to see which one a slow dashboard waits for.
            var day = DateTime.UtcNow.Date.AddDays(1);
            RecoveryFilter Days(int days) => new(day.AddDays(-days), day);
            rows.Add(("  dashboard part: SLA over the last 7 days", await TimeAsync(runs,
                () => new SlaReportQuery(context, clock).RunAsync(Days(7), CancellationToken.None)), null));
            rows.Add(("  dashboard part: recovery matrix over the last 365 days", await TimeAsync(runs,
                () => new RecoveryMatrixQuery(context, clock).RunAsync(Days(365), CancellationToken.None)), null));
            rows.Add(("  dashboard part: Pareto over the last 28 days", await TimeAsync(runs,
                () => new RootCauseParetoQuery(context, clock).RunAsync(new ParetoFilter(day.AddDays(-28), day), CancellationToken.None)), null));
            rows.Add(("  dashboard part: the queue's counts", await TimeAsync(runs,
                () => new Desk.Web.Features.Queue.QueueCounts(context, Desk.Web.Features.Queue.QueueCountsKept.Nothing()).ReadAsync("bench", clock.GetUtcNow().UtcDateTime, CancellationToken.None)), null));
        }
        (double Median, double Max)? floor = null;
        if (only.Length == 0)
        {
            floor = await TimeAsync(runs, async () =>
            {
                using var connection = await OpenAsync(db);
                // One text for both: SQLite groups the comparison as 0/1, PostgreSQL as a boolean.
                Drain(connection, """
                    SELECT t."Severity", t."State" IN ('Resolved', 'FollowUp', 'Closed') AND t."ResolvedAt" <= t."ResolutionDueAt", COUNT(*)
                    FROM "Tickets" AS t WHERE t."Kind" = 'Complaint' AND t."State" <> 'Rejected' GROUP BY 1, 2
                    """, new RecoveryFilter(), settings, null);
            });
            rows.Add(("bare count of complaints per cell", floor.Value, null));
        }

        var width = Math.Max(68, rows.Count == 0 ? 0 : rows.Max(r => r.Name.Length));
        Console.WriteLine($"{"".PadRight(width)} {"median ms",10} {"max ms",8}");
        foreach (var (report, time, ratio) in rows)
        {
            Console.WriteLine($"{report.PadRight(width)} {time.Median,10:N1} {time.Max,8:N1}{(ratio is { } r ? $"   (desk / SQL: {r:N2})" : "")}");
            BenchResults.Print("report_" + ResultName(report), ("median_ms", time.Median), ("max_ms", time.Max));
        }
        if (floor is { } bare) Console.WriteLine($"matrix through the desk / bare count: {rows[0].Time.Median / bare.Median:N1}");
        Console.WriteLine($"load average after: {LoadAverage()}");
        return 0;
    }

    /// <summary>
    /// The reports read kept outcomes (<see cref="ReportDialect"/>). Built here when the copy has none (a new
    /// migration, another window), timed; then what keeping them current costs: a thousand new orders for a thousand
    /// customers, their triggers, and the refresh the next report runs first.
    /// </summary>
    private static async Task KeepOutcomesAsync(BenchDatabase db)
    {
        await using var context = db.NewContext();
        var started = Stopwatch.GetTimestamp();
        if (await CountAsync(db, "SELECT count(*) FROM \"CustomerLoyalty\"") == 0)
        {
            // A desk fills its loyalty cache at start; the copy never ran one, and three faces groups by the class.
            var run = await new Desk.Web.Features.Customers.LoyaltyScoring(context, TimeProvider.System,
                Microsoft.Extensions.Options.Options.Create(Desk.Domain.Loyalty.LoyaltyThresholds.Default)).RecomputeAsync("bench", CancellationToken.None);
            Console.WriteLine($"loyalty cache: {run.Customers:N0} customers scored in {Stopwatch.GetElapsedTime(started).TotalSeconds:N1} s");
            started = Stopwatch.GetTimestamp();
        }
        var built = await ReportOutcomes.RefreshAsync(context, DateTime.UtcNow, null, CancellationToken.None);
        if (built > 0) Console.WriteLine($"kept outcomes: built for {built:N0} customers in {Stopwatch.GetElapsedTime(started).TotalSeconds:N1} s");

        var customers = await CountAsync(db, "SELECT max(\"Id\") FROM \"Customers\"") ?? 0;
        var last = await CountAsync(db, "SELECT max(\"PlacedAt\") FROM \"Orders\"") ?? 0;
        var random = new Random(20261124);
        var marker = await CountAsync(db, "SELECT count(*) FROM \"Orders\" WHERE \"ExternalRef\" LIKE 'BENCH-KEEP-%'") ?? 0;
        started = Stopwatch.GetTimestamp();
        using (var connection = await OpenAsync(db))
        {
            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO \"Orders\" (\"ExternalRef\", \"CustomerId\", \"PlacedAt\", \"Amount\") VALUES (@ref, @customer, @at, @amount)";
            for (var i = 0; i < 1_000; i++)
            {
                insert.Parameters.Clear();
                Add(insert, "@ref", $"BENCH-KEEP-{marker + i:D8}");
                Add(insert, "@customer", random.NextInt64(1, customers + 1));
                Add(insert, "@at", last - random.NextInt64(0, 86_400_000L * 30));
                Add(insert, "@amount", random.NextInt64(500, 30_000));
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

    /// <summary>
    /// The copy the bench measures: migrated, with at least <paramref name="orders"/> orders. Made once, reused. SQLite:
    /// <c>…-reports-ORDERS.db</c> beside the source file; PostgreSQL: the database <c>SOURCE_reports_ORDERS</c> on the
    /// same server, made with the source as its template. Null (after saying why) when it cannot be made.
    /// </summary>
    private static async Task<BenchDatabase?> PrepareAsync(BenchDatabase source, int orders)
    {
        var copy = source.Kind == DatabaseProvider.Sqlite ? CopySqlite(source, orders) : await CopyPostgresAsync(source, orders);
        if (copy is null) return null;
        await using (var context = copy.NewContext())
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
        var have = await CountAsync(copy, "SELECT count(*) FROM \"Orders\"") ?? 0;
        if (have < orders)
        {
            var started = Stopwatch.GetTimestamp();
            if (copy.Kind == DatabaseProvider.Sqlite) await TopUpSqliteAsync(copy, orders - have);
            else await TopUpPostgresAsync(copy, orders - have);
            Console.WriteLine($"added {orders - have:N0} filler orders in {Stopwatch.GetElapsedTime(started).TotalSeconds:N0} s");
        }
        return copy;
    }

    /// <summary>The copy of a SQLite desk file: <c>VACUUM INTO</c>, a SQLite statement.</summary>
    private static BenchDatabase CopySqlite(BenchDatabase source, int orders)
    {
        var file = source.Provider.Describe(source.ConnectionString);
        var copy = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file))!, $"{Path.GetFileNameWithoutExtension(file)}-reports-{orders}.db");
        if (!File.Exists(copy))
        {
            var started = Stopwatch.GetTimestamp();
            // SQLite only: no other database copies a file this way.
            using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Mode=ReadOnly"))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "VACUUM INTO $copy"; // a consistent copy, WAL included, without touching the source
                command.Parameters.AddWithValue("$copy", copy + ".building");
                command.CommandTimeout = 0;
                command.ExecuteNonQuery();
            }
            File.Move(copy + ".building", copy);
            Console.WriteLine($"copied {file} to {copy} in {Stopwatch.GetElapsedTime(started).TotalSeconds:N0} s");
        }
        // The desk's connection string, and the bench's reads on the same (the copy is the bench's own).
        return new BenchDatabase(DatabaseProvider.Sqlite, $"Data Source={copy}", $"Data Source={copy}");
    }

    /// <summary>
    /// The copy of a PostgreSQL desk: <c>CREATE DATABASE … TEMPLATE</c> the source, on the same server, under a building
    /// name renamed when complete. PostgreSQL copies a template only while no one else is connected to it: then null,
    /// after naming who is.
    /// </summary>
    private static async Task<BenchDatabase?> CopyPostgresAsync(BenchDatabase source, int orders)
    {
        var sourceName = new NpgsqlConnectionStringBuilder(source.ConnectionString).Database!;
        var copyName = $"{sourceName}_reports_{orders}";
        var copy = new NpgsqlConnectionStringBuilder(source.ConnectionString) { Database = copyName }.ConnectionString;
        if (await PostgresDatabaseExistsAsync(copy)) return new BenchDatabase(DatabaseProvider.Postgres, copy, copy);
        var started = Stopwatch.GetTimestamp();
        await using (var server = await OpenServerAsync(source.ConnectionString))
        {
            var building = copyName + "_building";
            await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {Quote(building)}"); // a copy an earlier run did not finish
            try
            {
                await ExecuteAsync(server, $"CREATE DATABASE {Quote(building)} TEMPLATE {Quote(sourceName)}");
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse)
            {
                var sessions = new List<string>();
                await using (var who = new NpgsqlCommand(
                    "SELECT pid, coalesce(nullif(application_name, ''), '?'), coalesce(client_addr::text, 'local'), state FROM pg_stat_activity WHERE datname = @name", server))
                {
                    who.Parameters.AddWithValue("name", sourceName);
                    await using var reader = await who.ExecuteReaderAsync();
                    while (await reader.ReadAsync())
                        sessions.Add($"pid {reader.GetInt32(0)} ({reader.GetString(1)}, {reader.GetString(2)}, {(reader.IsDBNull(3) ? "?" : reader.GetString(3))})");
                }
                Console.Error.WriteLine($"error: cannot copy {sourceName} to {copyName}: PostgreSQL copies a database (CREATE DATABASE … TEMPLATE) only " +
                    $"while no other session is connected to it, and {(sessions.Count == 0 ? "some were" : $"{sessions.Count} {(sessions.Count == 1 ? "is" : "are")}: {string.Join("; ", sessions)}")}. " +
                    "Stop the desk or bench using it (the page bench's desk, a psql) and run again. (" + e.MessageText + ")");
                return null;
            }
            await ExecuteAsync(server, $"ALTER DATABASE {Quote(building)} RENAME TO {Quote(copyName)}");
        }
        Console.WriteLine($"copied {sourceName} to {copyName} in {Stopwatch.GetElapsedTime(started).TotalSeconds:N0} s");
        return new BenchDatabase(DatabaseProvider.Postgres, copy, copy);
    }

    /// <summary>Filler orders for existing customers at random times in the desk's span; deterministic, one prepared statement.</summary>
    private static async Task TopUpSqliteAsync(BenchDatabase db, long count)
    {
        var (minCustomer, maxCustomer) = (await CountAsync(db, "SELECT min(Id) FROM Customers") ?? 0, await CountAsync(db, "SELECT max(Id) FROM Customers") ?? 0);
        var (first, last) = (await CountAsync(db, "SELECT min(PlacedAt) FROM Orders") ?? 0, await CountAsync(db, "SELECT max(PlacedAt) FROM Orders") ?? 0);
        // SQLite only: one transaction of prepared inserts is its fastest bulk write (PostgreSQL's is COPY, below).
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(db.ConnectionString);
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO Orders (ExternalRef, CustomerId, PlacedAt, Amount) VALUES ($ref, $customer, $at, $amount)";
        var (reference, customer, at, amount) = (insert.Parameters.Add("$ref", Microsoft.Data.Sqlite.SqliteType.Text),
            insert.Parameters.Add("$customer", Microsoft.Data.Sqlite.SqliteType.Integer),
            insert.Parameters.Add("$at", Microsoft.Data.Sqlite.SqliteType.Integer), insert.Parameters.Add("$amount", Microsoft.Data.Sqlite.SqliteType.Integer));
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
    }

    /// <summary>
    /// The same filler orders (same seed, same draws) with PostgreSQL's bulk write, binary COPY, then fresh statistics
    /// of the orders table.
    /// </summary>
    private static async Task TopUpPostgresAsync(BenchDatabase db, long count)
    {
        var (minCustomer, maxCustomer) = (await CountAsync(db, "SELECT min(\"Id\") FROM \"Customers\"") ?? 0, await CountAsync(db, "SELECT max(\"Id\") FROM \"Customers\"") ?? 0);
        var (first, last) = (await CountAsync(db, "SELECT min(\"PlacedAt\") FROM \"Orders\"") ?? 0, await CountAsync(db, "SELECT max(\"PlacedAt\") FROM \"Orders\"") ?? 0);
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        await connection.OpenAsync();
        var random = new Random(20261123);
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY \"Orders\" (\"ExternalRef\", \"CustomerId\", \"PlacedAt\", \"Amount\") FROM STDIN (FORMAT BINARY)"))
        {
            for (long i = 0; i < count; i++)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync($"BENCH-{i:D8}", NpgsqlDbType.Varchar);
                await writer.WriteAsync(random.NextInt64(minCustomer, maxCustomer + 1), NpgsqlDbType.Bigint);
                await writer.WriteAsync(random.NextInt64(first, last + 1), NpgsqlDbType.Bigint);
                await writer.WriteAsync(random.NextInt64(500, 30_000), NpgsqlDbType.Bigint);
                if ((i + 1) % 500_000 == 0) Console.WriteLine($"  filler orders {i + 1:N0} / {count:N0}");
            }
            await writer.CompleteAsync();
        }
        await ExecuteAsync(connection, "ANALYZE \"Orders\"");
    }

    /// <summary>
    /// Runs report SQL and reads every row, on a connection of the database's own provider, its parameters bound as the
    /// desk binds them (<c>ReportSql</c>: null as a NULL bigint, which PostgreSQL needs typed).
    /// </summary>
    private static void Drain(DbConnection connection, string sql, RecoveryFilter filter, RecoverySettings settings, long? cutoff, Dictionary<string, object>? extra = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in RecoveryMatrixQuery.Parameters(filter, DateTime.UtcNow, settings, cutoff))
            Add(command, name, value);
        foreach (var (name, value) in extra ?? [])
            Add(command, name, value);
        using var reader = command.ExecuteReader();
        while (reader.Read()) { }
    }

    private static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        if (value is null) parameter.DbType = System.Data.DbType.Int64;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    /// <summary>
    /// A bare connection of the database's own provider (SqliteConnection, NpgsqlConnection: the factory of the
    /// desk's context's), on the desk's connection string, opened.
    /// </summary>
    private static async Task<DbConnection> OpenAsync(BenchDatabase db)
    {
        if (!Factories.TryGetValue(db.Kind, out var factory))
        {
            await using var context = db.NewContext();
            Factories[db.Kind] = factory = DbProviderFactories.GetFactory(context.Database.GetDbConnection())!;
        }
        var connection = factory.CreateConnection()!;
        connection.ConnectionString = db.ConnectionString;
        await connection.OpenAsync();
        return connection;
    }

    private static readonly Dictionary<DatabaseProvider, DbProviderFactory> Factories = [];

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

    /// <summary>The first column of the first row as a number (null for NULL), on a connection of the database's provider.</summary>
    private static async Task<long?> CountAsync(BenchDatabase db, string sql)
    {
        using var connection = await OpenAsync(db);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync() is { } value and not DBNull ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : null;
    }

    // ---- PostgreSQL: the server around the databases ----

    /// <summary>Whether the server of <paramref name="connectionString"/> has its database (asked of the <c>postgres</c> database, unpooled).</summary>
    private static async Task<bool> PostgresDatabaseExistsAsync(string connectionString)
    {
        await using var server = await OpenServerAsync(connectionString);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", server);
        exists.Parameters.AddWithValue("name", new NpgsqlConnectionStringBuilder(connectionString).Database!);
        return await exists.ExecuteScalarAsync() is not null;
    }

    /// <summary>
    /// The server's <c>postgres</c> database, unpooled: nothing of the bench's stays connected to the source (a template
    /// must have no other sessions).
    /// </summary>
    private static async Task<NpgsqlConnection> OpenServerAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    /// <summary>"recovery matrix, one quarter received" → "recovery_matrix_one_quarter_received": a RESULT line's name.</summary>
    private static string ResultName(string report) =>
        string.Join('_', System.Text.RegularExpressions.Regex.Split(report.ToLowerInvariant(), "[^a-z0-9]+").Where(w => w.Length > 0).Take(8));
}

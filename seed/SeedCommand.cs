using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Desk.Web.Data;
using Desk.Web.Data.Postgres;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Desk.Seed;

/// <summary>
/// <c>dotnet run --project seed -- --tickets 1000000 --db desk.db [--seed 42] [--now 2026-11-23T00:00:00Z] [--replace]</c>
/// (or <c>--provider postgres --connection "Host=…;Database=…"</c>): creates (or migrates) the database, fills it with
/// demo data, and prints the planted recovery table.
/// </summary>
public static class SeedCommand
{
    private const string Usage = """
        Usage: dotnet run --project seed -- [--tickets N] [--provider sqlite|postgres] [--db FILE | --connection CS] [--seed N] [--now ISO-TIME] [--replace]
          --tickets N        tickets to generate (default 10000); customers and orders follow
          --provider P       sqlite (default) or postgres
          --db FILE          SQLite: the file to create (default desk.db); it must be new or empty
          --connection CS    PostgreSQL: "Host=…;Port=…;Username=…;Password=…;Database=…"; the database is created
                             when missing, and must be empty
          --seed N           random seed (default 20261123): the same seed and --now give the same data
          --now TIME         the generator's present, UTC (default: now)
          --replace          SQLite: delete FILE first; PostgreSQL: drop the database first and create it again
        """;

    public static int Main(string[] args)
    {
        try
        {
            var options = Parse(args);
            if (options is null)
            {
                Console.WriteLine(Usage);
                return 0;
            }
            return Run(options.Value);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine(Usage);
            return 2;
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (DbException e) when (e is not NpgsqlException)
        {
            Console.Error.WriteLine($"error: the database refused: {e.Message} Check the path, the disk space, and that no desk is running on this file.");
            return 1;
        }
        catch (NpgsqlException e)
        {
            Console.Error.WriteLine($"error: PostgreSQL refused: {e.Message} Check the connection string, that the server runs, and that this user may "
                + "create databases. A load cut off half-way leaves the database without its indexes: run again with --replace.");
            return 1;
        }
    }

    internal readonly record struct Options(int Tickets, DatabaseProvider Provider, string Target, int Seed, DateTime Now, bool Replace);

    private static Options? Parse(string[] args)
    {
        var tickets = 10_000;
        var provider = DatabaseProvider.Sqlite;
        string? db = null, connection = null;
        var seed = 20_261_123;
        var now = DateTime.UtcNow;
        var replace = false;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--tickets":
                    var t = Value();
                    if (!int.TryParse(t.Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out tickets) || tickets < 0)
                        throw new ArgumentException($"--tickets must be a whole number of 0 or more, not \"{t}\".");
                    break;
                case "--provider":
                    var p = Value();
                    provider = p.ToLowerInvariant() switch
                    {
                        "sqlite" => DatabaseProvider.Sqlite,
                        "postgres" or "postgresql" => DatabaseProvider.Postgres,
                        _ => throw new ArgumentException($"--provider must be sqlite or postgres, not \"{p}\"."),
                    };
                    break;
                case "--db": db = Value(); break;
                case "--connection": connection = Value(); break;
                case "--seed":
                    var s = Value();
                    if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out seed))
                        throw new ArgumentException($"--seed must be a whole number, not \"{s}\".");
                    break;
                case "--now":
                    var n = Value();
                    if (!DateTime.TryParse(n, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out now))
                        throw new ArgumentException($"--now must be a date and time such as 2026-11-23T00:00:00Z, not \"{n}\".");
                    break;
                case "--replace": replace = true; break;
                case "-h" or "--help": return null;
                default: throw new ArgumentException($"Unknown argument \"{args[i]}\".");
            }
        }
        string target;
        if (provider == DatabaseProvider.Postgres)
        {
            if (db is not null) throw new ArgumentException("--db names a SQLite file; PostgreSQL takes --connection \"Host=…;Database=…\".");
            target = connection ?? throw new ArgumentException("--provider postgres needs --connection \"Host=…;Port=…;Username=…;Database=…\".");
            if (PostgresProvider.Instance.Validate(target) is { } problem)
                throw new ArgumentException(problem.Replace("Desk:Database:ConnectionString", "--connection", StringComparison.Ordinal));
        }
        else
        {
            if (connection is not null) throw new ArgumentException("--connection is for --provider postgres; SQLite takes --db FILE.");
            target = db ?? "desk.db";
        }
        // Milliseconds are what the database keeps; trimming here keeps "same seed, same data" exact.
        now = new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
        return new Options(tickets, provider, target, seed, now, replace);
    }

    private static int Run(Options options) => options.Provider == DatabaseProvider.Postgres ? RunPostgres(options) : SqliteSeed.Run(options);

    private static int RunPostgres(Options options)
    {
        var connectionString = options.Target;
        if (options.Replace) PostgresProvider.DropDatabaseAsync(connectionString).GetAwaiter().GetResult();

        Console.WriteLine($"Desk demo data → PostgreSQL {PostgresProvider.Instance.Describe(connectionString)}");
        Console.WriteLine($"  {options.Tickets:N0} tickets, seed {options.Seed}, now {options.Now:yyyy-MM-dd HH:mm:ss} UTC");
        var clock = Stopwatch.StartNew();
        PostgresProvider.CreateDatabaseAsync(connectionString).GetAwaiter().GetResult();
        using (var db = PostgresProvider.NewPostgresContext(connectionString))
            db.Database.Migrate();
        Console.WriteLine($"  schema ready in {clock.Elapsed.TotalSeconds:0.0} s");

        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        connection.Open();
        DemoDataGenerator.EnsureEmpty(connection); // before the load takes a desk that is refused apart
        var load = PostgresBulkLoad.Begin(connection, DemoDataGenerator.Tables);
        var generator = new DemoDataGenerator(new GeneratorOptions(options.Tickets, options.Seed, options.Now));
        var report = generator.WriteTo(connection, new ConsoleProgress(options.Tickets));
        Console.WriteLine();
        Step("building indexes and foreign keys", load.BuildIndexes);
        Step("counters, id sequences and the search index", load.CatchUp);
        Step("statistics", load.Analyze);
        PrintReport(clock.Elapsed, report);
        return 0;
    }

    private static void Step(string what, Action step)
    {
        Console.Write($"  {what} … ");
        var clock = Stopwatch.StartNew();
        step();
        Console.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s");
    }

    /// <param name="file">The SQLite file written, for its size; null on PostgreSQL.</param>
    internal static void PrintReport(TimeSpan total, GenerationReport report, string? file = null)
    {
        using var process = Process.GetCurrentProcess();
        Console.WriteLine($"""
            Done in {total.TotalSeconds:0.0} s, peak memory {process.PeakWorkingSet64 / 1024.0 / 1024.0:N0} MiB
              tickets               {report.Tickets,12:N0}
              customers             {report.Customers,12:N0}
              orders                {report.Orders,12:N0}
              conversation entries  {report.ConversationEntries,12:N0}
              audit entries         {report.AuditEntries,12:N0}
              surveys               {report.Surveys,12:N0}
              follow-up tasks       {report.FollowUpTasks,12:N0}
              rows                  {report.Rows,12:N0}  ({report.Rows / Math.Max(0.001, report.Elapsed.TotalSeconds):N0} rows/s; writer busy {report.Writing.TotalSeconds:0.0} s of {report.Elapsed.TotalSeconds:0.0} s)

            {PlantedRecovery.Tarp.Format()}
            """);
        // For scripts comparing runs (the bench's RESULT lines).
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"RESULT seed seconds={total.TotalSeconds:0.0} peak_mib={process.PeakWorkingSet64 / 1024.0 / 1024.0:0} tickets={report.Tickets} customers={report.Customers} orders={report.Orders} messages={report.ConversationEntries} audit={report.AuditEntries} rows={report.Rows}")
            + (file is not null && File.Exists(file) ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $" file_mib={new FileInfo(file).Length / 1048576.0:0}") : ""));
    }


    /// <summary>A progress line that redraws itself on a terminal and prints every 10 % when redirected (CI logs).</summary>
    internal sealed class ConsoleProgress(int total) : IProgress<GenerationProgress>
    {
        private int _lastDecile = -1;

        public void Report(GenerationProgress value)
        {
            var fraction = total == 0 ? 1 : (double)value.TicketsWritten / total;
            var left = fraction > 0 ? value.Elapsed * ((1 - fraction) / fraction) : TimeSpan.Zero;
            var line = $"  {value.TicketsWritten,12:N0} / {total:N0} tickets  {fraction,4:P0}  {value.Elapsed.TotalSeconds,6:0.0} s  ~{left.TotalSeconds:0} s left";
            if (!Console.IsOutputRedirected)
            {
                Console.Write("\r" + line);
                return;
            }
            var decile = (int)(fraction * 10);
            if (decile == _lastDecile) return;
            _lastDecile = decile;
            Console.WriteLine(line);
        }
    }
}

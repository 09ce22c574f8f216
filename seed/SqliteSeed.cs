using System.Diagnostics;
using Desk.Web.Data.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Desk.Seed;

/// <summary>
/// The seed command's SQLite side: a file loaded through SQLitePCL with its indexes and triggers rebuilt after, and its search
/// index built beside the load from the texts the generator hands over (<see cref="SqliteSearchIndexBuild"/>).
/// </summary>
internal static class SqliteSeed
{
    public static int Run(SeedCommand.Options options)
    {
        var path = Path.GetFullPath(options.Target);
        if (options.Replace)
        {
            SqliteConnection.ClearAllPools(); // a pooled connection would keep writing to the deleted file
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
                File.Delete(file);
        }

        Console.WriteLine($"Desk demo data → {path}");
        Console.WriteLine($"  {options.Tickets:N0} tickets, seed {options.Seed}, now {options.Now:yyyy-MM-dd HH:mm:ss} UTC");
        var clock = Stopwatch.StartNew();
        using (var db = SqliteStore.NewContext($"Data Source={path}"))
            db.Database.Migrate();
        SqliteConnection.ClearAllPools(); // the bulk load needs the file to itself
        Console.WriteLine($"  schema ready in {clock.Elapsed.TotalSeconds:0.0} s");

        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        SqliteStore.ApplyConnectionPragmas(connection);
        DemoDataGenerator.EnsureEmpty(connection); // before anything below takes a desk that is refused apart
        // The search index is written once at the end, not rewritten by its triggers after every message.
        Execute(connection, Desk.Web.Data.Sqlite.TicketSearchSql.DropTriggers);
        // The reports' outcomes are built whole on first use (a new file has none); marking customers row by row is waste.
        Execute(connection, Desk.Web.Data.Sqlite.ReportOutcomesSql.DropTriggers);
        var load = SqliteBulkLoad.Begin(connection);
        using var search = new SqliteSearchIndexBuild(path);
        var generator = new DemoDataGenerator(new GeneratorOptions(options.Tickets, options.Seed, options.Now));
        var report = generator.WriteTo(connection, new SeedCommand.ConsoleProgress(options.Tickets), search.Add);
        Console.WriteLine();
        Console.Write("  building indexes … ");
        var finishing = Stopwatch.StartNew();
        load.BuildIndexes(); // meanwhile the search index takes its last texts and is merged on its own thread
        Console.WriteLine($"{finishing.Elapsed.TotalSeconds:0.0} s");
        Console.Write("  finishing the search index … ");
        finishing.Restart();
        search.CopyInto(connection);
        Console.WriteLine($"{finishing.Elapsed.TotalSeconds:0.0} s");
        Console.Write("  statistics and triggers … ");
        finishing.Restart();
        load.Dispose();
        Execute(connection, Desk.Web.Data.Sqlite.TicketSearchSql.CreateTriggers() + Desk.Web.Data.Sqlite.ReportOutcomesSql.CreateTriggers);
        Console.WriteLine($"{finishing.Elapsed.TotalSeconds:0.0} s");
        SeedCommand.PrintReport(clock.Elapsed, report, path);
        return 0;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        command.ExecuteNonQuery();
    }
}

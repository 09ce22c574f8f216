using System.Diagnostics;
using Desk.Web.Data;
using Desk.Web.Features.Reports;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Desk.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/Desk.Bench -- reports [--db FILE] [--runs 5]</c> on the million-ticket desk the
/// page bench generates: each report through the desk's own code, beside the same SQL run straight on SQLite and a bare
/// aggregation that only counts the complaints per cell (the floor: touching every complaint once, no order lookups).
/// </summary>
public static class ReportsBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var db = QueueBench.StringArg(args, "--db", Path.Combine(Path.GetTempPath(), "desk-bench-1000000.db"));
        var runs = QueueBench.IntArg(args, "--runs", 5);
        if (!File.Exists(db))
        {
            Console.Error.WriteLine($"error: {db} does not exist; run the page bench first (it generates the million-ticket desk), or pass --db.");
            return 2;
        }
        var settings = Desk.Domain.Recovery.RecoverySettings.Default;
        var connectionString = $"Data Source={db}";
        Console.WriteLine($"Reports on {db} ({Count(connectionString, "SELECT count(*) FROM Tickets"):N0} tickets, {Count(connectionString, "SELECT count(*) FROM Orders"):N0} orders), {runs} runs each after one warm-up");

        var report = await TimeAsync(runs, async () =>
        {
            await using var context = new DeskDbContext(new DbContextOptionsBuilder<DeskDbContext>().UseDeskSqlite(connectionString).Options);
            await new RecoveryMatrixQuery(context, TimeProvider.System).RunAsync(new RecoveryFilter(), CancellationToken.None);
        });
        var bare = await TimeAsync(runs, () =>
        {
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            foreach (var sql in new[] { RecoveryMatrixQuery.ComplaintsSql, RecoveryMatrixQuery.BaselineSql })
                Drain(connection, sql, settings);
            return Task.CompletedTask;
        });
        var floor = await TimeAsync(runs, () =>
        {
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            Drain(connection, """
                SELECT t.Severity, t.State IN ('Resolved', 'FollowUp', 'Closed') AND t.ResolvedAt <= t.ResolutionDueAt, COUNT(*)
                FROM Tickets AS t WHERE t.Kind = 'Complaint' AND t.State <> 'Rejected' GROUP BY 1, 2
                """, settings);
            return Task.CompletedTask;
        });
        Console.WriteLine($"{"",-44} {"median ms",10} {"max ms",8}");
        Console.WriteLine($"{"recovery matrix, through the desk",-44} {report.Median,10:N0} {report.Max,8:N0}");
        Console.WriteLine($"{"recovery matrix, same SQL straight on SQLite",-44} {bare.Median,10:N0} {bare.Max,8:N0}   (desk / SQL: {report.Median / bare.Median:N2})");
        Console.WriteLine($"{"bare count of complaints per cell",-44} {floor.Median,10:N0} {floor.Max,8:N0}   (desk / count: {report.Median / floor.Median:N1})");
        return 0;
    }

    private static void Drain(SqliteConnection connection, string sql, Desk.Domain.Recovery.RecoverySettings settings)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in RecoveryMatrixQuery.Parameters(new RecoveryFilter(), DateTime.UtcNow, settings))
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
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
}

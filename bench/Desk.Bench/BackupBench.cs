using System.Diagnostics;
using System.Globalization;
using Desk.Web.Data;

namespace Desk.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/Desk.Bench -- backup [--tickets 1000000] [--seconds 10]</c>: the <c>backup</c>
/// command while the desk writes (from --seconds before it until it ends) as the page bench makes it write (four agents posting notes while the public form files
/// complaints), then <c>restore</c> of that backup into a new file, and a check that the restored desk has every ticket
/// committed before the backup began. SQLite only (PostgreSQL is backed up with pg_dump). Works on the page bench's
/// seeded desk (generated if missing) and leaves it as it was but for the notes and complaints written.
/// </summary>
public static class BackupBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var tickets = QueueBench.IntArg(args, "--tickets", 1_000_000);
        var seconds = QueueBench.IntArg(args, "--seconds", 10);
        var db = await BenchDatabase.ForPagesAsync(args, tickets);
        if (db.Kind != DatabaseProvider.Sqlite)
        {
            Console.Error.WriteLine("error: the backup command is SQLite's; PostgreSQL is backed up with pg_dump (README, Operations).");
            return 2;
        }
        if (!await QueueBench.EnsureSeededAsync(db, tickets)) return 2;

        var web = Path.Combine(AppContext.BaseDirectory, "Desk.Web.dll");
        var environment = QueueBench.ServerEnvironment(db);
        const string password = "Bench-Password-1";
        await QueueBench.CreateAdminAsync(web, environment, password);
        var folder = Directory.CreateTempSubdirectory("desk-backup-bench-").FullName;
        var backup = Path.Combine(folder, "backup.db");
        var restored = Path.Combine(folder, "restored.db");
        var port = QueueBench.FreePort();
        using var server = QueueBench.Start(web, ["--urls", $"http://127.0.0.1:{port}"], environment);
        try
        {
            var baseUrl = $"http://127.0.0.1:{port}";
            await QueueBench.WaitHealthyAsync(baseUrl);
            BenchResults.WarnIfBusy("the backup run");
            // A desk still building its kept report rows (a first start after a migration) writes slowly: wait for it, as the page bench does.
            while (await BenchResults.UpkeepLeftAsync(db) is var left and > 0)
            {
                Console.WriteLine($"  waiting for the desk's upkeep ({left:N0} customers' report rows to build) …");
                await Task.Delay(10_000);
            }
            Console.WriteLine($"Backup of {db.Description} ({await db.TicketCountAsync():N0} tickets) while 4 agents post notes and the form files complaints, " +
                $"from {seconds} s before it until it ends");

            // The writers run in rounds of a few seconds until the backup has ended.
            Task<(string Output, TimeSpan Took)>? backingUp = null;
            var writing = Task.Run(async () =>
            {
                var rounds = new List<WriteBench.Result>();
                do rounds.Add(await WriteBench.NotesWhileIngestingAsync(baseUrl, "bench", password, db, 5));
                while (backingUp is null || !backingUp.IsCompleted);
                return rounds;
            });
            await Task.Delay(TimeSpan.FromSeconds(seconds));
            // Every ticket committed by now must be in the backup: the highest id is read before the backup starts.
            var before = await db.CountAsync("SELECT MAX(\"Id\") FROM \"Tickets\"");
            backingUp = Task.Run(async () =>
            {
                var clock = Stopwatch.StartNew();
                var text = await RunAsync(web, ["backup", backup], environment);
                return (text, clock.Elapsed);
            });
            var (output, took) = await backingUp;
            var after = await db.CountAsync("SELECT MAX(\"Id\") FROM \"Tickets\"");
            var rounds = await writing;
            var writes = new WriteBench.Result(rounds.Sum(r => r.Writes), rounds.Max(r => r.P50), rounds.Max(r => r.P95), rounds.Max(r => r.P99),
                rounds.Sum(r => r.Intake), rounds.Sum(r => r.Intake) / (rounds.Count * 5.0));
            Console.Write(output);
            if (!File.Exists(backup)) return Fail("the backup command wrote no file");

            // Restored into a file of its own (the live desk keeps running on its own): the command as an operator runs it.
            var restoreEnvironment = new Dictionary<string, string>(environment) { ["Desk__Database__ConnectionString"] = $"Data Source={restored}" };
            Console.Write(await RunAsync(web, ["restore", backup, "--force"], restoreEnvironment));
            if (!File.Exists(restored)) return Fail("the restore command wrote no file");

            var copy = new BenchDatabase(DatabaseProvider.Sqlite, $"Data Source={restored}", $"Data Source={restored};Mode=ReadOnly;Pooling=False");
            var liveBefore = await db.CountAsync($"SELECT COUNT(*) FROM \"Tickets\" WHERE \"Id\" <= {before}");
            var restoredBefore = await copy.CountAsync($"SELECT COUNT(*) FROM \"Tickets\" WHERE \"Id\" <= {before}");
            var restoredDuring = await copy.CountAsync($"SELECT COUNT(*) FROM \"Tickets\" WHERE \"Id\" > {before}");
            var missing = liveBefore - restoredBefore;
            Console.WriteLine($"backup took {took.TotalSeconds:N1} s ({new FileInfo(backup).Length / 1048576.0:N0} MiB) while {writes.Intake:N0} complaints were filed " +
                $"({writes.IntakePerSecond:N0}/s) and {writes.Writes:N0} notes posted (the worst round's p99 {writes.P99:0.0} ms); tickets committed before it began: {liveBefore:N0}, " +
                $"in the restored desk: {restoredBefore:N0} (missing {missing:N0}); of the {after - before:N0} filed while it ran, {restoredDuring:N0} are in it " +
                "(a backup is the database at one moment; both commands ran integrity_check on their copies)");
            BenchResults.Print("backup_while_writing", ("seconds", took.TotalSeconds), ("mib", new FileInfo(backup).Length / 1048576.0),
                ("committed_before", liveBefore), ("missing", missing), ("intake_per_s", writes.IntakePerSecond), ("notes_p99_ms", writes.P99));
            return missing == 0 ? 0 : Fail("the restored desk lacks tickets committed before the backup began");
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            Directory.Delete(folder, recursive: true);
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine("error: " + message);
        return 1;
    }

    private static async Task<string> RunAsync(string dll, string[] args, Dictionary<string, string> environment)
    {
        using var process = QueueBench.Start(dll, args, environment, redirect: true);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return await output + await error;
    }
}

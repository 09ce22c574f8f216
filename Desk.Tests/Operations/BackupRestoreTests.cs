using Desk.Tests.Support;
using Desk.Web.Data;
using Desk.Web.Data.Postgres;
using Desk.Web.Data.Sqlite;
using Desk.Web.Operations;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Operations;

/// <summary>
/// <c>backup</c> copies a SQLite desk while it takes complaints, and <c>restore</c> brings the copy back: the restored desk
/// has every ticket committed before the backup began and starts cleanly. The commands refuse what they cannot do well.
/// </summary>
public sealed class BackupRestoreTests(DeskWebFactory desk) : IClassFixture<DeskWebFactory>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("desk-backup-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Backup_WhileTheDeskTakesComplaints_RestoredDeskHasEveryTicketCommittedBefore()
    {
        var database = desk.Database; // started
        var file = Path.Combine(_folder, "desk-backup.db");
        using var stop = new CancellationTokenSource();
        var written = 0;
        var writer = Task.Run(async () =>
        {
            var client = desk.CreateClient();
            while (!stop.IsCancellationRequested)
            {
                var n = Interlocked.Increment(ref written);
                await Forms.PostAsync(client, "/complain", "/complain", new()
                {
                    ["Name"] = "Nora Quinn", ["Email"] = $"nora.backup{n}@example.org", ["Subject"] = $"Blender {n}", ["Description"] = "Broken on arrival.",
                });
            }
        });
        while (Volatile.Read(ref written) < 5) await Task.Delay(20);

        List<long> committed;
        await using (var db = database.NewContext()) committed = await db.Tickets.Select(t => t.Id).ToListAsync();
        var output = new StringWriter();
        var exit = await Task.Run(() => BackupCommand.RunAsync(desk.Services, [file], output));
        var afterBackup = Volatile.Read(ref written);
        while (Volatile.Read(ref written) < afterBackup + 3) await Task.Delay(20); // the desk kept writing
        await stop.CancelAsync();
        await writer;

        Assert.True(exit == 0, output.ToString());
        using var restored = new TestDatabase(DatabaseProvider.Sqlite, migrate: false);
        var restoreOutput = new StringWriter();
        Assert.Equal(0, await RestoreCommand.RunAsync(SqliteProvider.Instance, restored.ConnectionString, [file, "--force"], restoreOutput));
        await using (var db = restored.NewContext())
        {
            var ids = (await db.Tickets.Select(t => t.Id).ToListAsync()).ToHashSet();
            Assert.Subset(ids, committed.ToHashSet()); // every ticket committed before the backup began
            Assert.Contains(await db.Tickets.Select(t => t.Subject).ToListAsync(), s => s.StartsWith("Blender ", StringComparison.Ordinal));
        }
        using (var check = new SqliteConnection($"Data Source={restored.Path};Pooling=False"))
        {
            check.Open();
            Assert.Null(SqliteBackup.IntegrityProblem(check));
        }
        await using var restoredDesk = DeskWebFactory.On(restored);
        var health = await restoredDesk.CreateClient().GetAsync("/healthz/ready");
        Assert.True(health.IsSuccessStatusCode, await health.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Restore_WithoutForceOrNotADeskDatabase_RefusesAndChangesNothing()
    {
        var target = Path.Combine(_folder, "target.db");
        var notDesk = Path.Combine(_folder, "other.db");
        using (var other = new SqliteConnection($"Data Source={notDesk};Pooling=False"))
        {
            other.Open();
            using var create = other.CreateCommand();
            create.CommandText = "CREATE TABLE notes (id INTEGER PRIMARY KEY)";
            create.ExecuteNonQuery();
        }
        var backup = Path.Combine(_folder, "good.db");
        Assert.Equal(0, await BackupCommand.RunAsync(desk.Services, [backup], new StringWriter()));

        var notDeskOutput = new StringWriter();
        var notDeskExit = await RestoreCommand.RunAsync(SqliteProvider.Instance, $"Data Source={target}", [notDesk, "--force"], notDeskOutput);
        var noForceOutput = new StringWriter();
        var noForceExit = await RestoreCommand.RunAsync(SqliteProvider.Instance, $"Data Source={target}", [backup], noForceOutput);
        var againOutput = new StringWriter();
        var againExit = await BackupCommand.RunAsync(desk.Services, [backup], againOutput);

        Assert.Equal(1, notDeskExit);
        Assert.Contains("not a Desk one", notDeskOutput.ToString());
        Assert.Equal(1, noForceExit);
        Assert.Contains("--force", noForceOutput.ToString());
        Assert.False(File.Exists(target));
        Assert.Equal(1, againExit);
        Assert.Contains("never overwrites", againOutput.ToString());
    }

    [Fact]
    public async Task BackupAndRestore_OnPostgres_RefusePointingToPgDump()
    {
        const string server = "Host=127.0.0.1;Port=5432;Username=desk;Database=desk";
        var backupOutput = new StringWriter();
        var restoreOutput = new StringWriter();

        Assert.Equal(1, await BackupCommand.RunAsync(PostgresProvider.Instance, server, [Path.Combine(_folder, "x.db")], backupOutput));
        Assert.Equal(1, await RestoreCommand.RunAsync(PostgresProvider.Instance, server, [Path.Combine(_folder, "x.db"), "--force"], restoreOutput));
        Assert.Contains("pg_dump --format=custom", backupOutput.ToString());
        Assert.Contains("pg_restore", restoreOutput.ToString());
        Assert.False(File.Exists(Path.Combine(_folder, "x.db")));
    }
}

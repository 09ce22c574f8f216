using System.Diagnostics;
using Desk.Tests.Support;
using Desk.Web.Data;
using MimeKit;
using Xunit.Abstractions;

namespace Desk.Tests.Email;

/// <summary>
/// Nothing lost, nothing doubled, under the worst a machine does: the desk's own process (the real executable, its
/// drop-folder intake on a real SQLite file or PostgreSQL database) is killed with SIGKILL at random points while draining 500 mails,
/// restarted, until no mail is left (at most 20 times; about ten); then left to finish. Exactly 500 tickets, each mail taken in once.
/// </summary>
public abstract class IntakeCrashTests(DatabaseProvider provider, ITestOutputHelper output)
{
    private const int Mails = 500;
    private const int Kills = 20;

    [StorageFact]
    public async Task DropFolderIntake_KilledAtRandomPointsUntilDrained_MakesEveryTicketExactlyOnce()
    {
        var folder = Path.Combine(Path.GetTempPath(), "desk-crash-" + Guid.NewGuid().ToString("N"));
        var inbox = Path.Combine(folder, "inbox");
        Directory.CreateDirectory(inbox);
        // A database the desk itself creates on its first start (a SQLite path, an empty PostgreSQL name).
        using var database = new TestDatabase(provider, migrate: false);
        try
        {
            for (var i = 1; i <= Mails; i++) await WriteMailAsync(inbox, i);
            var random = new Random(20261123);
            var kills = 0;
            // A round once the inbox is empty would kill a desk with nothing left to take in: a whole desk start (four
            // seconds of CPU) that proves nothing. The desk commits 50 mails a batch, so about ten kills land.
            for (var round = 1; round <= Kills && Directory.GetFiles(inbox, "*.eml").Length > 0; round++)
            {
                // The first round's desk creates the database, and is killed only once its intake has begun, so after its
                // migrations (a desk killed in its very first migration is another matter). It used to be started and
                // killed once beforehand just to migrate: a whole desk start that proved nothing more.
                var before = Count(database, "SELECT count(*) FROM \"InboundMails\"");
                using var desk = Start(folder, database);
                // Killed while draining: once intake has begun, after a random further moment.
                await WaitAsync(() => Count(database, "SELECT count(*) FROM \"InboundMails\"") > before || Directory.GetFiles(inbox, "*.eml").Length == 0, desk);
                await Task.Delay(random.Next(0, 250)); // about 100 mails a second here: 20 kills spread over the 500
                desk.Kill(entireProcessTree: true); // SIGKILL: no shutdown, no flush, wherever it was
                await desk.WaitForExitAsync();
                kills++;
                output.WriteLine($"kill {round,2}: {Count(database, "SELECT count(*) FROM \"InboundMails\"")} mails taken in, {Directory.GetFiles(inbox, "*.eml").Length} files left");
            }

            using (var desk = Start(folder, database))
            {
                var deadline = DateTime.UtcNow.AddSeconds(120);
                while (Directory.GetFiles(inbox, "*.eml").Length > 0 && DateTime.UtcNow < deadline && !desk.HasExited) await Task.Delay(200);
                desk.Kill(entireProcessTree: true);
                await desk.WaitForExitAsync();
            }

            Assert.True(kills >= 5, $"only {kills} kills landed while mail was left"); // at most ~80 mails a round
            Assert.Empty(Directory.GetFiles(inbox, "*.eml"));
            Assert.Equal(Mails, Directory.GetFiles(Path.Combine(inbox, "processed"), "*.eml").Length);
            Assert.Equal(Mails, Count(database, "SELECT count(*) FROM \"Tickets\" WHERE \"Subject\" LIKE 'Crash test %'"));
            Assert.Equal(Mails, Count(database, "SELECT count(DISTINCT \"Subject\") FROM \"Tickets\" WHERE \"Subject\" LIKE 'Crash test %'"));
            Assert.Equal(Mails, Count(database, "SELECT count(*) FROM \"InboundMails\""));
            Assert.Equal(Mails, Count(database, "SELECT count(*) FROM \"OutboundMails\" WHERE \"Kind\" = 'Acknowledgement'"));
            Assert.Equal(0, Count(database, "SELECT count(*) FROM \"QuarantinedMails\""));
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Mail number <paramref name="n"/>: every tenth without a Message-ID, so the content hash has to keep it single.</summary>
    private static async Task WriteMailAsync(string inbox, int n)
    {
        var mail = MailDesk.CustomerMail($"crash{n}@customer.test", $"Crash test {n}",
            $"Complaint number {n}.\n\n" + string.Concat(Enumerable.Repeat("The parcel arrived late and the box was crushed. ", 40)), $"Customer {n}");
        if (n % 10 == 0) mail.Headers.Remove(HeaderId.MessageId);
        await File.WriteAllBytesAsync(Path.Combine(inbox, $"mail-{n:D4}.eml"), MailDesk.Bytes(mail));
    }

    private Process Start(string folder, TestDatabase database)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "Desk.Web"))
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Desk__Database__Provider"] = provider.ToString();
        start.Environment["Desk__Database__ConnectionString"] = database.ConnectionString;
        start.Environment["Desk__DemoData__SeedOnFirstRun"] = "false";
        start.Environment["Desk__Mail__DropFolder"] = Path.Combine(folder, "inbox");
        start.Environment["Desk__Mail__PickupFolder"] = Path.Combine(folder, "outbox");
        start.Environment["Desk__Mail__AcknowledgementsPerAddressPerHour"] = "10";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitAsync(Func<bool> condition, Process desk)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition() && !desk.HasExited && DateTime.UtcNow < deadline) await Task.Delay(20);
    }

    private static long Count(TestDatabase database, string sql)
    {
        if (database.Provider == DatabaseProvider.Sqlite && !File.Exists(database.Path)) return 0;
        try
        {
            using var connection = database.OpenConnection();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (System.Data.Common.DbException) // not created yet
        {
            return 0;
        }
    }
}

public sealed class IntakeCrashTestsOnSqlite(ITestOutputHelper output) : IntakeCrashTests(DatabaseProvider.Sqlite, output);

public sealed class IntakeCrashTestsOnPostgres(ITestOutputHelper output) : IntakeCrashTests(DatabaseProvider.Postgres, output), IRunsOnPostgres;

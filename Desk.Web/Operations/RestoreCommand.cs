using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Operations;

/// <summary>
/// <c>dotnet run --project Desk.Web -- restore FILE --force</c>: replaces the desk's SQLite database with a backup made by
/// <see cref="BackupCommand"/>, after checking the file is a Desk database this version can open. SQLite keeps no lock
/// while a desk sits idle between writes, so a running desk cannot be told from a stopped one reliably: the command asks
/// for <c>--force</c>, meaning "every desk on this file is stopped". A restored older backup is migrated at the next start.
/// </summary>
public static class RestoreCommand
{
    public const string Name = "restore";

    public static Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output)
    {
        var (provider, connectionString) = BackupCommand.Database(services);
        return RunAsync(provider, connectionString, args, output);
    }

    /// <summary>Restores into <paramref name="connectionString"/> (the configured database, or another for tests).</summary>
    public static async Task<int> RunAsync(IDeskDatabaseProvider provider, string connectionString, string[] args, TextWriter output)
    {
        var force = args.Contains("--force");
        var files = args.Where(a => a != "--force").ToList();
        if (files is not [var file] || file.StartsWith("--", StringComparison.Ordinal))
        {
            await output.WriteLineAsync("Usage: dotnet run --project Desk.Web -- restore FILE --force  (stop every desk on the database first)");
            return 2;
        }
        if (provider.Backup is not { } copies)
        {
            await output.WriteLineAsync("error: " + BackupCommand.PostgresAdvice);
            return 1;
        }
        var path = Path.GetFullPath(file);
        IReadOnlyCollection<string> known;
        await using (var db = provider.NewContext(connectionString)) known = [.. db.Database.GetMigrations()];
        if (copies.Check(path, known) is { } problem)
        {
            await output.WriteLineAsync("error: " + problem + " Nothing was changed.");
            return 1;
        }
        var target = provider.Describe(connectionString);
        if (!force)
        {
            await output.WriteLineAsync($"error: this replaces {target} with {path}. Desk cannot tell whether a desk is running on it "
                + "(SQLite holds no lock between writes), and restoring under a running desk corrupts what it writes next. "
                + "Stop every desk on this database, then run the command again with --force. Nothing was changed.");
            return 1;
        }
        await output.WriteLineAsync($"Restoring {path} into {target} …");
        await Task.Run(() => copies.Restore(path, connectionString));
        await output.WriteLineAsync("Done: integrity check ok. Start the desk; it applies any newer migrations.");
        return 0;
    }
}

using Desk.Web.Data;
using Microsoft.Extensions.Options;

namespace Desk.Web.Operations;

/// <summary>
/// <c>dotnet run --project Desk.Web -- backup FILE</c>: a consistent copy of the desk's SQLite database, taken while the
/// desk runs and writes (SQLite's online backup API). PostgreSQL has its own tools; the command says which.
/// </summary>
public static class BackupCommand
{
    public const string Name = "backup";

    public const string PostgresAdvice =
        "The desk runs on PostgreSQL: back it up with pg_dump, e.g. pg_dump --format=custom --file=desk.dump \"host=HOST port=5432 user=USER dbname=desk\", "
        + "and restore with pg_restore --clean --if-exists --no-owner --dbname=\"host=HOST port=5432 user=USER dbname=desk\" desk.dump (see README, Operations).";

    public static Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output)
    {
        var (provider, connectionString) = Database(services);
        return RunAsync(provider, connectionString, args, output);
    }

    /// <summary>Backs up the database at <paramref name="connectionString"/> (the configured one, or another for tests).</summary>
    public static async Task<int> RunAsync(IDeskDatabaseProvider provider, string connectionString, string[] args, TextWriter output)
    {
        if (args is not [var file] || file.StartsWith("--", StringComparison.Ordinal))
        {
            await output.WriteLineAsync("Usage: dotnet run --project Desk.Web -- backup FILE");
            return 2;
        }
        if (provider.Backup is not { } copies)
        {
            await output.WriteLineAsync("error: " + PostgresAdvice);
            return 1;
        }
        var path = Path.GetFullPath(file);
        if (File.Exists(path))
        {
            await output.WriteLineAsync($"error: {path} exists; choose a new name (a backup never overwrites a file).");
            return 1;
        }
        if (!File.Exists(provider.Describe(connectionString)))
        {
            await output.WriteLineAsync($"error: there is no database at {provider.Describe(connectionString)} to back up.");
            return 1;
        }
        await output.WriteLineAsync($"Backing up {provider.Describe(connectionString)} to {path} …");
        await Task.Run(() => copies.Backup(connectionString, path));
        await output.WriteLineAsync($"Done: {new FileInfo(path).Length / 1024.0 / 1024.0:N1} MB, integrity check ok.");
        return 0;
    }

    /// <summary>The configured provider and its connection string as the desk uses it (a relative SQLite path made absolute).</summary>
    internal static (IDeskDatabaseProvider Provider, string ConnectionString) Database(IServiceProvider services)
    {
        var provider = services.GetRequiredService<IDeskDatabaseProvider>();
        var settings = services.GetRequiredService<IOptions<DeskDatabaseOptions>>().Value;
        return (provider, provider.Resolve(settings.ConnectionString, services.GetRequiredService<IHostEnvironment>().ContentRootPath));
    }
}

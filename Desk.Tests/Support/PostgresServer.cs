using System.Diagnostics;
using Desk.Web.Data.Postgres;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Desk.Tests.Support;

/// <summary>
/// The tests' private PostgreSQL: one throwaway cluster per test run, started by <c>scripts/postgres</c> on 127.0.0.1
/// (stopped and deleted when the run ends), holding one template database migrated once by the checked-in
/// migrations. Each test database is a clone of the template (CREATE DATABASE … TEMPLATE: tens of milliseconds, far
/// less than migrating), dropped when the test is done. Outside CI a machine without PostgreSQL skips the PostgreSQL
/// tests with <see cref="SkipReason"/>; under CI=true they run and fail if the server cannot start.
/// </summary>
public static class PostgresServer
{
    public const string InitDb = "/usr/lib/postgresql/15/bin/initdb";

    private static readonly string Script = Repository.PathOf("scripts", "postgres");
    private const string FolderPrefix = "desk-tests-postgres-";

    private static readonly string Folder = Path.Combine(Path.GetTempPath(), FolderPrefix + Environment.ProcessId);
    private static readonly string Template = $"desk_template_{Environment.ProcessId}";
    private static readonly Lazy<string> Server = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lock Creating = new();

    /// <summary>True when PostgreSQL 15 is installed (<c>scripts/postgres install</c>).</summary>
    public static bool IsInstalled => File.Exists(InitDb);

    /// <summary>Why PostgreSQL tests are skipped here, or null when they run (always under CI=true, where they must pass).</summary>
    public static string? SkipReason =>
        Environment.GetEnvironmentVariable("CI") == "true" || IsInstalled ? null
        : $"PostgreSQL 15 is not installed ({InitDb}); scripts/postgres install (or .ci/run) installs it.";

    /// <summary>A new database cloned from the migrated template (or an empty name the desk will create, when <paramref name="migrated"/> is false).</summary>
    public static string NewDatabase(bool migrated = true)
    {
        var server = Server.Value;
        var name = "desk_test_" + Guid.NewGuid().ToString("N")[..16];
        if (migrated)
            lock (Creating) // one clone at a time: PostgreSQL refuses a template that another session is copying from
                Execute(server, $"CREATE DATABASE \"{name}\" TEMPLATE \"{Template}\"");
        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    /// <summary>Drops a test database, cutting off any connection still open to it.</summary>
    public static void Drop(string connectionString)
    {
        NpgsqlConnection.ClearAllPools();
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        try
        {
            Execute(Server.Value, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        }
        catch (NpgsqlException)
        {
            // best effort: the cluster goes at the end of the run anyway
        }
    }

    /// <summary>Whether the server has the database of <paramref name="connectionString"/> (a test's own, created or not yet).</summary>
    public static bool Exists(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Server.Value) { Database = "postgres", Pooling = false }.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT COUNT(*) FROM pg_database WHERE datname = @name", connection);
        command.Parameters.AddWithValue("name", name!);
        return (long)command.ExecuteScalar()! > 0;
    }

    private static string Start()
    {
        if (!IsInstalled)
            throw new InvalidOperationException($"PostgreSQL 15 is not installed ({InitDb}): run scripts/postgres install.");
        DestroyAbandoned();
        var server = Run("start", Folder).Trim();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            NpgsqlConnection.ClearAllPools();
            try { Run("destroy", Folder); } catch (InvalidOperationException) { } // best effort at exit
        };
        server = new NpgsqlConnectionStringBuilder(server) { Pooling = false }.ConnectionString;
        var template = new NpgsqlConnectionStringBuilder(server) { Database = Template, Pooling = false }.ConnectionString;
        Execute(server, $"DROP DATABASE IF EXISTS \"{Template}\"");
        using (var db = PostgresProvider.NewPostgresContext(template))
        {
            PostgresProvider.CreateDatabaseAsync(template).GetAwaiter().GetResult();
            db.Database.Migrate();
        }
        NpgsqlConnection.ClearAllPools();
        return new NpgsqlConnectionStringBuilder(server) { Pooling = true }.ConnectionString;
    }

    /// <summary>
    /// The folders of test runs that ended without their exit handler (killed, or a test host torn down), with their
    /// server if it still runs: they piled up in the temp folder. Best effort.
    /// </summary>
    private static void DestroyAbandoned()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            if (!int.TryParse(Path.GetFileName(folder)[FolderPrefix.Length..], out var pid) || Directory.Exists($"/proc/{pid}")) continue;
            try { Run("destroy", folder); }
            catch (InvalidOperationException) { } // not one scripts/postgres made, or it would not go: left alone
        }
    }

    private static void Execute(string server, string sql)
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 120 };
        command.ExecuteNonQuery();
    }

    private static string Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Script);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000)) process.Kill(entireProcessTree: true);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"scripts/postgres {string.Join(' ', arguments)} failed ({process.ExitCode}): {error.Result}");
        return output.Result;
    }
}

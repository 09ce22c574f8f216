using System.Data.Common;
using Desk.Web.Data;
using Desk.Web.Data.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Desk.Tests.Support;

/// <summary>
/// A real database for one test, brought up by the checked-in migrations (never EnsureCreated) and gone when the
/// test ends: a SQLite file in a temp folder, copied from the run's migrated template file, or a database on the run's
/// private PostgreSQL (<see cref="PostgresServer"/>) cloned from a migrated template.
/// </summary>
public sealed class TestDatabase : IDisposable
{
    private readonly string? _folder;

    public TestDatabase(bool migrate = true) : this(DatabaseProvider.Sqlite, migrate)
    {
    }

    public TestDatabase(DatabaseProvider provider, bool migrate = true)
    {
        Provider = provider;
        if (provider == DatabaseProvider.Postgres)
        {
            ConnectionString = PostgresServer.NewDatabase(migrated: migrate);
            return;
        }
        _folder = Directory.CreateTempSubdirectory("desk-test-").FullName;
        Path = System.IO.Path.Combine(_folder, "desk.db");
        ConnectionString = $"Data Source={Path}";
        if (!migrate) return;
        File.Copy(SqliteTemplate.Value, Path);
        using var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        SqliteStore.EnableWriteAheadLog(connection);
    }

    /// <summary>
    /// The run's migrated SQLite file, as PostgreSQL's template database is: brought up once by the checked-in migrations
    /// (about a second each time, hundreds of times a run), then copied for every test (a millisecond). It is closed and
    /// in rollback-journal mode, so the one file holds everything; each copy is switched to WAL as a desk's own file is.
    /// </summary>
    private static readonly Lazy<string> SqliteTemplate = new(() =>
    {
        const string Prefix = "desk-tests-sqlite-";
        // The test host is often ended without ProcessExit: templates of runs whose process is gone are deleted here.
        foreach (var stale in Directory.EnumerateDirectories(System.IO.Path.GetTempPath(), Prefix + "*"))
            if (int.TryParse(System.IO.Path.GetFileName(stale)[Prefix.Length..], out var pid) && !Directory.Exists($"/proc/{pid}"))
                try { Directory.Delete(stale, recursive: true); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), Prefix + Environment.ProcessId);
        Directory.CreateDirectory(folder);
        var template = System.IO.Path.Combine(folder, "template.db");
        foreach (var file in Directory.EnumerateFiles(folder)) File.Delete(file);
        using (var db = SqliteStore.NewContext($"Data Source={template};Pooling=False"))
            db.Database.Migrate();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } // best effort at exit
        };
        return template;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    public DatabaseProvider Provider { get; }

    /// <summary>The SQLite file (SQLite only).</summary>
    public string Path { get => field ?? throw new InvalidOperationException("A PostgreSQL test database has no file."); private init; }

    public string ConnectionString { get; }

    /// <summary>Whether the database is there yet (one made with <c>migrate: false</c> is left for the code under test to create).</summary>
    public bool Exists => Provider == DatabaseProvider.Postgres ? PostgresServer.Exists(ConnectionString) : File.Exists(Path);

    public DeskDbContext NewContext() => DeskDatabaseProviders.For(Provider).NewContext(ConnectionString);

    /// <summary>An open connection set up as every desk connection is (SQLite: the search index's function and pragmas).</summary>
    public DbConnection OpenConnection()
    {
        if (Provider == DatabaseProvider.Postgres)
        {
            var postgres = new NpgsqlConnection(ConnectionString);
            postgres.Open();
            return postgres;
        }
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        SqliteStore.ApplyConnectionPragmas(connection); // as every desk connection: the search index's triggers need its function
        return connection;
    }

    public void Dispose()
    {
        if (Provider == DatabaseProvider.Postgres)
        {
            PostgresServer.Drop(ConnectionString);
            return;
        }
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder!, recursive: true); } catch (IOException) { } // best effort on a temp folder
    }
}

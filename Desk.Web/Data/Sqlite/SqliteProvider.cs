using System.Data.Common;
using Desk.Domain.Search;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Data.Sqlite;

/// <summary>
/// The embedded default: one file, WAL mode, one writer at a time through <see cref="SqliteWriteGate"/>, FTS5 search,
/// prepared-statement bulk inserts.
/// </summary>
public sealed class SqliteProvider : IDeskDatabaseProvider
{
    public static readonly SqliteProvider Instance = new();

    private SqliteProvider()
    {
    }

    public DatabaseProvider Kind => DatabaseProvider.Sqlite;

    public string Name => "SQLite";

    public string? Validate(string connectionString)
    {
        try
        {
            return string.IsNullOrWhiteSpace(new SqliteConnectionStringBuilder(connectionString).DataSource)
                ? "Desk:Database:ConnectionString names no Data Source (a SQLite file, e.g. \"Data Source=desk.db\")."
                : null;
        }
        catch (ArgumentException e)
        {
            return $"Desk:Database:ConnectionString is not a SQLite connection string ({e.Message}); e.g. \"Data Source=desk.db\".";
        }
    }

    public string Resolve(string connectionString, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource is not (":memory:" or "") && !Path.IsPathRooted(builder.DataSource)
            && builder.Mode != SqliteOpenMode.Memory)
            builder.DataSource = Path.Combine(contentRoot, builder.DataSource);
        return builder.ToString();
    }

    public string Describe(string connectionString) => new SqliteConnectionStringBuilder(connectionString).DataSource;

    public Type ContextType => typeof(SqliteDeskDbContext);

    public IDatabaseBackup Backup => SqliteBackup.Instance;

    public void AddContext(IServiceCollection services, Action<IServiceProvider, DbContextOptionsBuilder> configure) =>
        services.AddDbContext<SqliteDeskDbContext>(configure, ServiceLifetime.Scoped, ServiceLifetime.Singleton); // options built once, not per request

    public void AddBackgroundWork(IServiceCollection services)
    {
        services.AddSingleton<SearchIndexMerger>();
        services.AddHostedService(s => s.GetRequiredService<SearchIndexMerger>());
    }

    public void Configure(DbContextOptionsBuilder options, string connectionString) => options.UseDeskSqlite(connectionString);

    public DeskDbContext NewContext(string connectionString) => SqliteStore.NewContext(connectionString);

    /// <summary>Nothing: the file is built (under a temporary name, then renamed) by <see cref="MigrateAsync"/>.</summary>
    public Task EnsureDatabaseAsync(string connectionString, CancellationToken ct) => Task.CompletedTask;

    public async Task MigrateAsync(DeskDbContext db, ILogger log, CancellationToken ct = default)
    {
        var path = db.Database.GetDbConnection().DataSource;
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);

        await CreateWholeAsync(new SqliteConnectionStringBuilder(db.Database.GetConnectionString()), log, ct);
        await db.Database.MigrateAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            SqliteStore.EnableWriteAheadLog(db.Database.GetDbConnection());
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// A new database is built under a temporary name and renamed into place once every migration has run: a desk
    /// killed during its first start leaves no half-migrated file behind (one migration has to run outside a
    /// transaction), only a leftover that the next start deletes and builds again.
    /// </summary>
    private static async Task CreateWholeAsync(SqliteConnectionStringBuilder connection, ILogger log, CancellationToken ct)
    {
        var path = connection.DataSource;
        if (connection.Mode is SqliteOpenMode.Memory or SqliteOpenMode.ReadOnly || path is "" or ":memory:" || path.StartsWith("file:", StringComparison.Ordinal)) return;
        var building = path + ".building";
        foreach (var leftover in new[] { building, building + "-wal", building + "-shm", building + "-journal" })
            if (File.Exists(leftover))
            {
                log.LogWarning("Deleting {File}, left by a first start that did not finish.", leftover);
                File.Delete(leftover);
            }
        if (File.Exists(path)) return;
        CreateOwnerOnly(building);
        await using (var fresh = SqliteStore.NewContext($"Data Source={building};Pooling=False"))
            await fresh.Database.MigrateAsync(ct);
        try
        {
            File.Move(building, path); // the file is closed and has no journal left: rename is atomic
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(building); // another start (or a restore) put a database there meanwhile: that one is used
            return;
        }
        log.LogInformation("Created the database {Path}", path);
    }

    /// <summary>
    /// Creates the empty file readable and writable by the desk's user only (0600), whatever the umask: it holds
    /// customers' complaints. SQLite gives the -wal and -shm files it makes beside it the same mode.
    /// </summary>
    private static void CreateOwnerOnly(string path)
    {
        if (OperatingSystem.IsWindows()) return; // the folder's ACL decides there
        using var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
    }

    public bool IsUnavailable(Exception error) =>
        error is SqliteException { SqliteErrorCode: 5 or 6 or 8 or 10 or 13 or 14 } // busy, locked, read-only, I/O, full, cannot open
        || error.InnerException is { } inner && IsUnavailable(inner);

    public bool IsConflict(Exception error) =>
        error is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 } // a unique index or primary key
        || error.InnerException is { } inner && IsConflict(inner);

    public SemaphoreSlim? WriteGate(string? connectionString) => SqliteWriteGate.For(connectionString);

    /// <summary>Deferred: it takes no lock, and WAL gives it one snapshot from its first read.</summary>
    public Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken ct) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    public ReportDialect Reports => ReportOutcomesSql.Instance;

    public IQueryable<long> TicketSearch(DeskDbContext db, string? typed) =>
        (SearchText.ToMatchQuery(typed) is not { } match
            ? db.Set<SearchHit>().FromSql($"SELECT 0 AS \"TicketId\" WHERE false")
            : db.Set<SearchHit>().FromSql($"SELECT rowid AS \"TicketId\" FROM \"TicketSearch\" WHERE \"TicketSearch\" MATCH {match}"))
        .Select(h => h.TicketId);

    public IBulkInsert<T> BulkInsert<T>(DeskDbContext db) where T : class => new SqliteBulkInsert<T>(db);

    /// <summary>Nothing to do: AUTOINCREMENT moves past explicit ids as they are inserted, and the triggers kept everything else.</summary>
    public void CatchUpAfterBulkLoad(DbConnection connection, IReadOnlyCollection<string> tables)
    {
    }

    public Task<IWorkLease?> TryTakeLeaseAsync(string connectionString, string work, TimeSpan checkEvery, CancellationToken ct) =>
        Task.FromResult(SqliteWorkLease.TryTake(connectionString, work));

    public string ClaimRows => "";

    /// <summary>No: a SQLite file is one process's, whose signals stay in the process.</summary>
    public bool SignalsOtherDesks => false;

    public Task NotifyAsync(string connectionString, string channel, CancellationToken ct) => Task.CompletedTask;

    public async Task ListenAsync(string connectionString, IReadOnlyCollection<string> channels, Action<string> heard, Action listening, CancellationToken ct)
    {
        listening();
        await Task.Delay(Timeout.Infinite, ct);
    }
}

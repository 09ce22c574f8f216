using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Desk.Web.Data.Postgres;

/// <summary>
/// The server database: PostgreSQL 15 or later through Npgsql. Writers are ordered by PostgreSQL's own row locks (no
/// in-process gate, so several desk processes can share one database), search is a <c>tsvector</c> index kept by
/// triggers, bulk writes are binary COPY.
/// </summary>
public sealed class PostgresProvider : IDeskDatabaseProvider
{
    public static readonly PostgresProvider Instance = new();

    private PostgresProvider()
    {
    }

    public DatabaseProvider Kind => DatabaseProvider.Postgres;

    public string Name => "PostgreSQL";

    public string? Validate(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            return $"Desk:Database:ConnectionString is not a PostgreSQL connection string ({e.Message}); e.g. \"Host=127.0.0.1;Port=5432;Username=desk;Password=…;Database=desk\".";
        }
        if (string.IsNullOrWhiteSpace(builder.Host))
            return "Desk:Database:ConnectionString names no Host for PostgreSQL; e.g. \"Host=127.0.0.1;Port=5432;Username=desk;Database=desk\".";
        if (string.IsNullOrWhiteSpace(builder.Database))
            return "Desk:Database:ConnectionString names no Database for PostgreSQL; add e.g. \"Database=desk\" (it is created when missing).";
        return null;
    }

    public string Resolve(string connectionString, string contentRoot) => connectionString;

    public string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database}";
    }

    /// <summary>None: pg_dump and pg_restore do it (README, Operations).</summary>
    public IDatabaseBackup? Backup => null;

    public Type ContextType => typeof(PostgresDeskDbContext);

    public void AddContext(IServiceCollection services, Action<IServiceProvider, DbContextOptionsBuilder> configure) =>
        services.AddDbContext<PostgresDeskDbContext>(configure, ServiceLifetime.Scoped, ServiceLifetime.Singleton); // options built once, not per request

    /// <summary>None: GIN indexes merge their pending entries themselves (autovacuum), and nothing else needs upkeep.</summary>
    public void AddBackgroundWork(IServiceCollection services)
    {
    }

    public void Configure(DbContextOptionsBuilder options, string connectionString) => options.UseDeskPostgres(connectionString);

    public DeskDbContext NewContext(string connectionString) => NewPostgresContext(connectionString);

    public static PostgresDeskDbContext NewPostgresContext(string connectionString) =>
        new(new DbContextOptionsBuilder<PostgresDeskDbContext>().UseDeskPostgres(connectionString).Options);

    public Task EnsureDatabaseAsync(string connectionString, CancellationToken ct) => CreateDatabaseAsync(connectionString, ct);

    public async Task MigrateAsync(DeskDbContext db, ILogger log, CancellationToken ct = default)
    {
        var connectionString = db.Database.GetConnectionString()!;
        if (await CreateDatabaseAsync(connectionString, ct)) log.LogInformation("Created the database {Database}", Describe(connectionString));
        await db.Database.MigrateAsync(ct);
    }

    /// <summary>
    /// Creates the connection string's database when the server has none of that name (connecting to the server's
    /// <c>postgres</c> database to do it); another desk creating it at the same moment is fine. True when this one did.
    /// </summary>
    public static async Task<bool> CreateDatabaseAsync(string connectionString, CancellationToken ct = default)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var name = target.Database!;
        var server = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync(ct);
        await using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection))
        {
            exists.Parameters.AddWithValue("name", name);
            if (await exists.ExecuteScalarAsync(ct) is not null) return false;
        }
        try
        {
            // UTF-8 and the C collation's byte order whatever the server's default: ORDER BY on text is then the same as SQLite's.
            await using var create = new NpgsqlCommand(
                $"CREATE DATABASE {QuoteName(name)} ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8' TEMPLATE template0", connection);
            await create.ExecuteNonQueryAsync(ct);
            return true;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            return false; // another desk created it first
        }
    }

    /// <summary>
    /// Drops the connection string's database if the server has it, cutting off every session still on it (the seed
    /// command's <c>--replace</c>).
    /// </summary>
    public static async Task DropDatabaseAsync(string connectionString, CancellationToken ct = default)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using (var pooled = new NpgsqlConnection(connectionString)) NpgsqlConnection.ClearPool(pooled);
        var server = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync(ct);
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {QuoteName(name)} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync(ct);
    }

    private static string QuoteName(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public bool IsUnavailable(Exception error) => error switch
    {
        PostgresException p => p.IsTransient
            || p.SqlState.StartsWith("08", StringComparison.Ordinal) // connection exceptions
            || p.SqlState.StartsWith("53", StringComparison.Ordinal) // insufficient resources: disk full, out of memory, too many connections
            || p.SqlState.StartsWith("57P", StringComparison.Ordinal) // the server shutting down or starting
            || p.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.LockNotAvailable
                or PostgresErrorCodes.ReadOnlySqlTransaction, // a read-only server or database (a standby, default_transaction_read_only)
        NpgsqlException n => n.IsTransient || n.InnerException is { } inner && IsUnavailable(inner),
        System.Net.Sockets.SocketException or TimeoutException => true,
        _ => error.InnerException is { } inner && IsUnavailable(inner),
    };

    public bool IsConflict(Exception error) =>
        error is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }
        || error.InnerException is { } inner && IsConflict(inner);

    public SemaphoreSlim? WriteGate(string? connectionString) => null;

    /// <summary>Repeatable read: every statement of the transaction sees the snapshot of its first.</summary>
    public async Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken ct)
    {
        var transaction = await ((NpgsqlConnection)connection).BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        await using var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", (NpgsqlConnection)connection, transaction);
        await readOnly.ExecuteNonQueryAsync(ct);
        return transaction;
    }

    public ReportDialect Reports => ReportOutcomesSql.Instance;

    /// <summary>The <c>tsvector</c> index (<see cref="TicketSearchSql"/>), the typed text sent as one parameter.</summary>
    public IQueryable<long> TicketSearch(DeskDbContext db, string? typed) =>
        (TicketSearchSql.ToTsQuery(typed) is not { } query
            ? db.Set<SearchHit>().FromSql($"SELECT 0::bigint AS \"TicketId\" WHERE false")
            : db.Set<SearchHit>().FromSql(TicketSearchSql.Match(query)))
        .Select(h => h.TicketId);

    public IBulkInsert<T> BulkInsert<T>(DeskDbContext db) where T : class => new PostgresBulkInsert<T>(db);

    public void CatchUpAfterBulkLoad(DbConnection connection, IReadOnlyCollection<string> tables) =>
        PostgresBulkLoad.AfterLoadWithTriggers((NpgsqlConnection)connection, tables);

    public Task<IWorkLease?> TryTakeLeaseAsync(string connectionString, string work, TimeSpan checkEvery, CancellationToken ct) =>
        PostgresWorkLease.TryTakeAsync(connectionString, work, checkEvery, ct);

    public string ClaimRows => " FOR UPDATE SKIP LOCKED";

    public bool SignalsOtherDesks => true;

    public Task NotifyAsync(string connectionString, string channel, CancellationToken ct) =>
        PostgresSignals.NotifyAsync(connectionString, channel, ct);

    public Task ListenAsync(string connectionString, IReadOnlyCollection<string> channels, Action<string> heard, Action listening, CancellationToken ct) =>
        PostgresSignals.ListenAsync(connectionString, channels, heard, listening, ct);
}

public static class PostgresStore
{
    /// <summary>Options for a PostgreSQL desk at <paramref name="connectionString"/>.</summary>
    public static TBuilder UseDeskPostgres<TBuilder>(this TBuilder options, string connectionString)
        where TBuilder : DbContextOptionsBuilder =>
        (TBuilder)options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(typeof(PostgresStore).Assembly.FullName)
            // A list in a query goes as one array parameter (= ANY (@ids)): one SQL text for every list, cached by EF.
            .UseParameterizedCollectionMode(ParameterTranslationMode.Parameter))
            .AddInterceptors(DeskDbContext.SaveInterceptors)
            .ConfigureWarnings(DeskDbContext.Warnings);
}

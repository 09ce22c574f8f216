using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Data;

/// <summary>The databases a desk can keep its data in (<c>Desk:Database:Provider</c>).</summary>
public enum DatabaseProvider
{
    /// <summary>The embedded default: one file next to the app, nothing to install.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server: for a desk that outgrows one file, one machine or one process.</summary>
    Postgres,
}

/// <summary>
/// Everything that differs between the databases, in one place per provider (Jellyfin's shape): the provider owns its
/// connection setup, its model hooks and migrations (through its <see cref="DeskDbContext"/> subtype), its full-text
/// search, its bulk writes, its write gate, its reports' SQL and what counts as "the database is unavailable". Features talk to this and
/// to <see cref="DeskDbContext"/>, never to a provider's connection types.
/// </summary>
public interface IDeskDatabaseProvider
{
    DatabaseProvider Kind { get; }

    /// <summary>The provider's name as people read it (health check, logs).</summary>
    string Name { get; }

    /// <summary>Why <paramref name="connectionString"/> is not usable by this provider, or null when it is.</summary>
    string? Validate(string connectionString);

    /// <summary>The connection string as the app uses it (a SQLite file relative to <paramref name="contentRoot"/> made absolute).</summary>
    string Resolve(string connectionString, string contentRoot);

    /// <summary>Where the data is, for logs and the health check: never a password.</summary>
    string Describe(string connectionString);

    /// <summary>This provider's <see cref="DeskDbContext"/> subtype, whose migrations are this provider's.</summary>
    Type ContextType { get; }

    /// <summary>Registers <see cref="ContextType"/> with EF's options set up by <paramref name="configure"/>.</summary>
    void AddContext(IServiceCollection services, Action<IServiceProvider, DbContextOptionsBuilder> configure);

    /// <summary>
    /// Registers this provider's own upkeep (SQLite: the search index merger). Every provider's is registered; each
    /// does nothing unless its provider is the configured one.
    /// </summary>
    void AddBackgroundWork(IServiceCollection services);

    /// <summary>Sets up EF for this provider (its context type's migrations, connection hooks).</summary>
    void Configure(DbContextOptionsBuilder options, string connectionString);

    /// <summary>A context of this provider's type on <paramref name="connectionString"/> (commands, seed, tests, benches).</summary>
    DeskDbContext NewContext(string connectionString);

    /// <summary>
    /// Creates an empty database when the server has none of that name, so that leases can be taken on it before it is
    /// migrated; another desk creating it at the same moment is fine. SQLite: nothing (<see cref="MigrateAsync"/> builds the file).
    /// </summary>
    Task EnsureDatabaseAsync(string connectionString, CancellationToken ct);

    /// <summary>Creates the database when it does not exist and applies every migration; safe to run at each start.</summary>
    Task MigrateAsync(DeskDbContext db, ILogger log, CancellationToken ct = default);

    /// <summary>
    /// Whether <paramref name="error"/> (or an inner one) says the database could not be reached or could not take the write
    /// now — busy, locked, full, gone, a dropped connection — rather than that this input is wrong: intake then leaves the
    /// mail where it is for the next round instead of quarantining it.
    /// </summary>
    bool IsUnavailable(Exception error);

    /// <summary>
    /// Whether <paramref name="error"/> (or an inner one) says another writer stored the same unique row first — two
    /// desks taking in the same mail, or creating the same customer: done again, the work finds theirs.
    /// </summary>
    bool IsConflict(Exception error);

    /// <summary>
    /// The in-process gate every writer of this database waits at, first come first served; null where the database
    /// orders writers itself (PostgreSQL's row locks) or for in-memory databases.
    /// </summary>
    SemaphoreSlim? WriteGate(string? connectionString);

    /// <summary>
    /// A read-only transaction whose reads all see one snapshot (a report reads rollups and their cutoff together).
    /// </summary>
    Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken ct);

    /// <summary>
    /// The reports' kept outcomes and the loyalty cache in this database's SQL: the statements both share, over the
    /// expressions this one writes its own way.
    /// </summary>
    ReportDialect Reports { get; }

    /// <summary>Ids of the tickets matching what someone typed; see <see cref="DeskDbContext.TicketSearch"/>.</summary>
    IQueryable<long> TicketSearch(DeskDbContext db, string? typed);

    /// <summary>
    /// A writer of many new <typeparamref name="T"/> rows in the context's current write transaction, much faster than
    /// change tracking; ids are not read back. Call <see cref="IBulkInsert{T}.Flush"/> before reading what was written.
    /// </summary>
    IBulkInsert<T> BulkInsert<T>(DeskDbContext db) where T : class;

    /// <summary>
    /// After new rows with explicit ids were written into <paramref name="tables"/> past EF, with the indexes and triggers
    /// left on (the first run's demo data): brings up to date what the database derives from the ids. PostgreSQL moves its
    /// identity sequences past them; SQLite's AUTOINCREMENT follows explicit ids by itself.
    /// </summary>
    void CatchUpAfterBulkLoad(DbConnection connection, IReadOnlyCollection<string> tables);

    /// <summary>
    /// The lease on <paramref name="work"/> (see <see cref="IWorkLease"/>) when no desk on this database holds it, else
    /// null at once; a held lease checks it still holds every <paramref name="checkEvery"/>.
    /// </summary>
    Task<IWorkLease?> TryTakeLeaseAsync(string connectionString, string work, TimeSpan checkEvery, CancellationToken ct);

    /// <summary>
    /// What ends a SELECT that claims rows for work in a write transaction: PostgreSQL locks them and skips the rows
    /// another desk's transaction holds (<c>FOR UPDATE SKIP LOCKED</c>); SQLite needs nothing, its write gate lets one
    /// claimant look at a time.
    /// </summary>
    string ClaimRows { get; }

    /// <summary>The desk's own backup and restore of this database; null where the server's tools do it (PostgreSQL: pg_dump).</summary>
    IDatabaseBackup? Backup { get; }

    /// <summary>Whether other desks can share this database, so that <see cref="NotifyAsync"/> and <see cref="ListenAsync"/> carry signals between them.</summary>
    bool SignalsOtherDesks { get; }

    /// <summary>Tells every desk listening on this database that something happened on <paramref name="channel"/> (PostgreSQL: NOTIFY).</summary>
    Task NotifyAsync(string connectionString, string channel, CancellationToken ct);

    /// <summary>
    /// Listens on <paramref name="channels"/> on a connection of its own and calls <paramref name="heard"/> with the
    /// channel of each signal, until <paramref name="ct"/>; throws when the connection fails (the caller listens again).
    /// <paramref name="listening"/> is called once the desk listens, from when on no signal is missed.
    /// </summary>
    Task ListenAsync(string connectionString, IReadOnlyCollection<string> channels, Action<string> heard, Action listening, CancellationToken ct);
}

/// <summary>Many new rows of one entity type, written as they are (build them with their constructors, which check them).</summary>
public interface IBulkInsert<in T> : IDisposable where T : class
{
    void Add(T entity);

    /// <summary>Writes whatever is buffered, so later statements in the transaction see it.</summary>
    void Flush();
}

/// <summary>The providers, by configured kind.</summary>
public static class DeskDatabaseProviders
{
    /// <summary>Every provider: the one place outside a provider's folder that names them.</summary>
    public static readonly IReadOnlyList<IDeskDatabaseProvider> All = [Sqlite.SqliteProvider.Instance, Postgres.PostgresProvider.Instance];

    public static IDeskDatabaseProvider For(DatabaseProvider kind) =>
        All.SingleOrDefault(p => p.Kind == kind) ?? throw new ArgumentOutOfRangeException(nameof(kind), kind, "No such database provider.");
}

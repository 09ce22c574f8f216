using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Desk.Web.Data.Sqlite;

/// <summary>
/// SQLite's connection setup (times and money are stored as on every provider, see <see cref="StoredValues"/>):
/// <list type="bullet">
/// <item>Every connection gets a busy timeout, foreign keys and the search index's text function; the file is put in WAL mode once.
/// Temporary data (statement journals of writes with triggers, sorts) stays in memory: on disk it cost a file
/// created and deleted per write transaction.</item>
/// </list>
/// </summary>
public static class SqliteStore
{
    public const int BusyTimeoutMilliseconds = 5_000;

    /// <summary>SQL's name for <see cref="Email.Outbound.OutboundMail.WithoutPrivateLinks"/> on a desk connection.</summary>
    public const string WithoutPrivateLinksFunction = "desk_without_private_links";

    /// <summary>Options for a SQLite desk at <paramref name="connectionString"/>.</summary>
    public static TBuilder UseDeskSqlite<TBuilder>(this TBuilder options, string connectionString)
        where TBuilder : DbContextOptionsBuilder =>
        (TBuilder)options
            .UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(typeof(SqliteStore).Assembly.FullName)
                // A list in a query (ids.Contains(…)) goes as one JSON parameter: the same SQL for every list, prepared
                // once and cached by EF, instead of new SQL generated per call under a shared lock.
                .UseParameterizedCollectionMode(ParameterTranslationMode.Parameter))
            .AddInterceptors(ConnectionSetup.Instance)
            .AddInterceptors(DeskDbContext.SaveInterceptors)
            .ConfigureWarnings(DeskDbContext.Warnings);

    /// <summary>A context on the SQLite desk at <paramref name="connectionString"/> (the seed, tests, benches).</summary>
    public static SqliteDeskDbContext NewContext(string connectionString) =>
        new(new DbContextOptionsBuilder<SqliteDeskDbContext>().UseDeskSqlite(connectionString).Options);

    /// <summary>WAL lets readers go on while one writer writes; the setting is stored in the file, so once is enough.</summary>
    public static void EnableWriteAheadLog(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
    }

    public static string JournalMode(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    /// <summary>The connection settings and functions every desk connection needs; run on each open (pooled ones too).</summary>
    public static void ApplyConnectionPragmas(DbConnection connection)
    {
        if (connection is SqliteConnection sqlite)
        {
            TicketSearchSql.RegisterFunction(sqlite);
            // For the migration that takes the private links out of mails sent before sent copies lost them.
            sqlite.CreateFunction<string, string>(WithoutPrivateLinksFunction, Email.Outbound.OutboundMail.WithoutPrivateLinks, isDeterministic: true);
        }
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA busy_timeout={BusyTimeoutMilliseconds}; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY;";
        command.ExecuteNonQuery();
    }

    /// <summary>The data-source path of a SQLite connection string, for messages and for the seed command.</summary>
    public static string DataSource(string connectionString) => new SqliteConnectionStringBuilder(connectionString).DataSource;

    private sealed class ConnectionSetup : DbConnectionInterceptor
    {
        public static readonly ConnectionSetup Instance = new();

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) =>
            ApplyConnectionPragmas(connection);

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            ApplyConnectionPragmas(connection);
            return Task.CompletedTask;
        }
    }

}

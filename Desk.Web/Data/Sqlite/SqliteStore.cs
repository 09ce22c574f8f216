using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Desk.Web.Data;

/// <summary>
/// Everything specific to SQLite, the embedded default, lives here; a PostgreSQL desk replaces this
/// class and nothing else in Data/. What it decides:
/// <list type="bullet">
/// <item>UTC times are stored as INTEGER Unix milliseconds (EF's default TEXT dates compare and group slower,
/// and SQLite cannot order DateTimeOffset), read back with <see cref="DateTimeKind.Utc"/>.</item>
/// <item>Money is stored as INTEGER cents, so SQL can sum it exactly.</item>
/// <item>Every connection gets a busy timeout, foreign keys and the search index's text function; the file is put in WAL mode once.
/// Temporary data (statement journals of writes with triggers, sorts) stays in memory: on disk it cost a file
/// created and deleted per write transaction.</item>
/// </list>
/// </summary>
public static class SqliteStore
{
    public const int BusyTimeoutMilliseconds = 5_000;

    public static void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcUnixMillisecondsConverter>();
        configurationBuilder.Properties<decimal>().HaveConversion<CentsConverter>();
    }

    /// <summary>Options for a SQLite desk at <paramref name="connectionString"/>.</summary>
    public static TBuilder UseDeskSqlite<TBuilder>(this TBuilder options, string connectionString)
        where TBuilder : DbContextOptionsBuilder =>
        (TBuilder)options
            .UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(typeof(SqliteStore).Assembly.FullName))
            .AddInterceptors(ConnectionSetup.Instance);

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
        if (connection is SqliteConnection sqlite) TicketSearchSql.RegisterFunction(sqlite);
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

    private sealed class UtcUnixMillisecondsConverter() : ValueConverter<DateTime, long>(
        v => UnixMilliseconds(v),
        v => DateTime.UnixEpoch.AddMilliseconds(v));

    private sealed class CentsConverter() : ValueConverter<decimal, long>(
        v => (long)decimal.Round(v * 100m, 0, MidpointRounding.AwayFromZero),
        v => v / 100m);

    /// <summary>Unix milliseconds of a UTC time; an unspecified kind is taken as UTC, a local one is converted.</summary>
    public static long UnixMilliseconds(DateTime value) =>
        ((value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value) - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMillisecond;
}

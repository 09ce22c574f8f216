using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Desk.Web.Data;
using Desk.Web.Data.Postgres;
using Microsoft.EntityFrameworkCore;

namespace Desk.Bench;

/// <summary>
/// The database a bench measures, on either provider (<c>--provider sqlite|postgres</c>, SQLite by default). The desk under
/// test gets it through its own settings (<see cref="WebEnvironment"/>); everything the bench reads of it itself —
/// landmarks, search terms, counts, checks — goes through a context of the provider's own type and its
/// <see cref="DbConnection"/>, in SQL that both dialects take (quoted identifiers, <c>@</c> parameters).
/// </summary>
/// <param name="ConnectionString">What the desk is given, in the provider's syntax.</param>
/// <param name="ReadConnectionString">What the bench reads with (SQLite: the same file, read-only and unpooled).</param>
public sealed record BenchDatabase(DatabaseProvider Kind, string ConnectionString, string ReadConnectionString)
{
    /// <summary>The private PostgreSQL cluster the benches start (or find running) when no <c>--connection</c> is given.</summary>
    public const string PrivateClusterFolder = "/tmp/desk-bench-postgres";

    public IDeskDatabaseProvider Provider => DeskDatabaseProviders.For(Kind);

    /// <summary>For headers: "SQLite /tmp/desk-bench-1000000.db", "PostgreSQL 127.0.0.1:55432/desk_bench_1000000".</summary>
    public string Description => $"{Provider.Name} {Provider.Describe(ConnectionString)}";

    /// <summary>A SQLite file.</summary>
    public static BenchDatabase SqliteFile(string path) =>
        new(DatabaseProvider.Sqlite, $"Data Source={path}", $"Data Source={path};Mode=ReadOnly;Pooling=False");

    /// <summary>
    /// The pages bench's desk, reused across runs: SQLite, <c>--db FILE</c> (default /tmp/desk-bench-TICKETS.db);
    /// PostgreSQL, the database of <c>--connection</c>, or <c>desk_bench_TICKETS</c> when it names none or is not given
    /// (then on the private cluster).
    /// </summary>
    public static async Task<BenchDatabase> ForPagesAsync(string[] args, int tickets)
    {
        if (ProviderArg(args) == DatabaseProvider.Sqlite)
            return SqliteFile(Path.GetFullPath(QueueBench.StringArg(args, "--db", Path.Combine(Path.GetTempPath(), $"desk-bench-{tickets}.db"))));
        var server = new DbConnectionStringBuilder { ConnectionString = await ServerAsync(args) };
        var named = QueueBench.StringArg(args, "--connection", "") is { Length: > 0 } && server.TryGetValue("Database", out var database)
            && database is string { Length: > 0 };
        return Postgres(server.ConnectionString, named ? null : $"desk_bench_{tickets}");
    }

    /// <summary>
    /// A new, empty database for one run (intake, orders): SQLite, the file <paramref name="sqliteFile"/> (in a folder of
    /// the run's own); PostgreSQL, <c><paramref name="postgresName"/>_RANDOM</c> on the server of <c>--connection</c> (its
    /// own database is not touched) or of the private cluster. The desk creates it at its start; <see cref="DropAsync"/>
    /// removes it.
    /// </summary>
    public static async Task<BenchDatabase> FreshAsync(string[] args, string sqliteFile, string postgresName) =>
        ProviderArg(args) == DatabaseProvider.Postgres
            ? Postgres(await ServerAsync(args), $"{postgresName}_{Guid.NewGuid().ToString("N")[..12]}")
            : SqliteFile(sqliteFile);

    /// <summary>The connection string given with <c>--connection</c>, else the private cluster's (started when it is not running).</summary>
    private static async Task<string> ServerAsync(string[] args) =>
        QueueBench.StringArg(args, "--connection", "") is { Length: > 0 } given ? given : await StartPrivateClusterAsync();

    private static BenchDatabase Postgres(string connectionString, string? database)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (database is not null) builder["Database"] = database;
        return new BenchDatabase(DatabaseProvider.Postgres, builder.ConnectionString, builder.ConnectionString);
    }

    /// <summary>The provider <c>--provider</c> asks for; <c>--db</c> and <c>--connection</c> must belong to it.</summary>
    public static DatabaseProvider ProviderArg(string[] args)
    {
        var provider = QueueBench.StringArg(args, "--provider", "sqlite").ToLowerInvariant() switch
        {
            "sqlite" => DatabaseProvider.Sqlite,
            "postgres" or "postgresql" => DatabaseProvider.Postgres,
            var other => throw new ArgumentException($"--provider must be sqlite or postgres, not \"{other}\"."),
        };
        if (provider == DatabaseProvider.Postgres && args.Contains("--db"))
            throw new ArgumentException("--db names a SQLite file; PostgreSQL takes --connection \"Host=…;Port=…;Username=…;Database=…\".");
        if (provider == DatabaseProvider.Sqlite && args.Contains("--connection"))
            throw new ArgumentException("--connection is for --provider postgres; SQLite takes --db FILE.");
        return provider;
    }

    /// <summary>Drops a PostgreSQL database made by <see cref="FreshAsync"/>; a SQLite file goes with its folder.</summary>
    public async Task DropAsync()
    {
        if (Kind == DatabaseProvider.Postgres) await PostgresProvider.DropDatabaseAsync(ConnectionString);
    }

    /// <summary>The desk's settings for this database, for a desk process the bench starts.</summary>
    public Dictionary<string, string> WebEnvironment() => new()
    {
        ["Desk__Database__Provider"] = Kind.ToString(),
        ["Desk__Database__ConnectionString"] = ConnectionString,
    };

    /// <summary>A context of the provider's type on the desk's own connection string, as the desk opens it.</summary>
    public DeskDbContext NewContext() => Provider.NewContext(ConnectionString);

    /// <summary>A context for the bench's own reads (see <see cref="ReadConnectionString"/>).</summary>
    public DeskDbContext NewReader() => Provider.NewContext(ReadConnectionString);

    /// <summary>Runs <paramref name="sql"/> and reads its rows with <paramref name="read"/>.</summary>
    public async Task<List<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> read, params (string Name, object Value)[] parameters)
    {
        await using var context = NewReader();
        await context.Database.OpenConnectionAsync();
        await using var command = context.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync()) rows.Add(read(reader));
        return rows;
    }

    /// <summary>The first column of the first row as a number (a count).</summary>
    public async Task<long> CountAsync(string sql, params (string Name, object Value)[] parameters) =>
        (await QueryAsync(sql, r => Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture), parameters)).Single();

    /// <summary>
    /// As <see cref="CountAsync"/>, but 0 while there is nothing to count yet: the database, or its tables, not created
    /// (a desk that is still starting).
    /// </summary>
    public async Task<long> CountOrZeroAsync(string sql, params (string Name, object Value)[] parameters)
    {
        try
        {
            return await CountAsync(sql, parameters);
        }
        catch (DbException)
        {
            return 0;
        }
    }

    /// <summary>How many tickets the desk holds; -1 when there is no desk there (no file, no database, no tables).</summary>
    public async Task<long> TicketCountAsync()
    {
        if (Kind == DatabaseProvider.Sqlite && !File.Exists(Provider.Describe(ConnectionString))) return -1;
        try
        {
            return await CountAsync("SELECT count(*) FROM \"Tickets\"");
        }
        catch (DbException)
        {
            return -1;
        }
    }

    /// <summary>Starts (or finds running) the private cluster with <c>scripts/postgres start</c>; its connection string.</summary>
    private static async Task<string> StartPrivateClusterAsync()
    {
        var script = QueueBench.FindScript("postgres") ?? throw new InvalidOperationException("scripts/postgres not found above " + AppContext.BaseDirectory);
        var start = new ProcessStartInfo(script) { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("start");
        start.ArgumentList.Add(PrivateClusterFolder);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(); // its messages go to stderr, which is ours
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"scripts/postgres start {PrivateClusterFolder} failed (exit {process.ExitCode})");
        return output.Trim();
    }
}

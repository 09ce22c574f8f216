using System.ComponentModel.DataAnnotations;
using Desk.Domain.Sla;
using Desk.Domain.Tickets;
using Desk.Web.DemoData;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Desk.Web.Data;

/// <summary>Where the desk keeps its data. The embedded default is a SQLite file next to the app.</summary>
public sealed class DeskDatabaseOptions
{
    public const string Section = "Desk:Database";

    /// <summary>A SQLite connection string; a relative data source is taken from the app's content root.</summary>
    [Required]
    public string ConnectionString { get; set; } = "Data Source=desk.db";

    /// <summary>Days in which a customer's second complaint is flagged as a repeat (a "double deviation").</summary>
    [Range(1, 3650)]
    public int RepeatComplaintWindowDays { get; set; } = 90;

    /// <summary>
    /// Days after closing in which a customer's new message (mail or status page) reopens the ticket; later it opens
    /// a new ticket that follows the old one.
    /// </summary>
    [Range(0, 3650)]
    public int ReopenWindowDays { get; set; } = 30;

    public TimeSpan ReopenWindow => TimeSpan.FromDays(ReopenWindowDays);
}

public static class DeskDatabase
{
    public static WebApplicationBuilder AddDeskDatabase(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DeskDatabaseOptions>()
            .BindConfiguration(DeskDatabaseOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => TryDataSource(o.ConnectionString), "Desk:Database:ConnectionString is not a SQLite connection string with a Data Source.")
            .ValidateOnStart();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddDbContext<DeskDbContext>((services, options) =>
        {
            var configured = services.GetRequiredService<IOptions<DeskDatabaseOptions>>().Value.ConnectionString;
            options.UseDeskSqlite(ResolveDataSource(configured, builder.Environment.ContentRootPath));
        });
        builder.Services.AddScoped(services => new RepeatComplaintPolicy(TimeSpan.FromDays(
            services.GetRequiredService<IOptions<DeskDatabaseOptions>>().Value.RepeatComplaintWindowDays)));
        builder.Services.AddScoped(services =>
            new SlaPolicy(services.GetRequiredService<DeskDbContext>().SlaTargets.AsNoTracking().ToList()));
        builder.Services.AddSingleton<SearchIndexMerger>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SearchIndexMerger>());
        return builder;
    }

    /// <summary>
    /// Brings the database up to date at start: migrations, WAL mode, and demo data when the database is
    /// empty and demo data is enabled. Runs before the app takes requests.
    /// </summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskDbContext>();
        var log = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("Desk.Database");

        var path = db.Database.GetDbConnection().DataSource;
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);

        await CreateWholeAsync(new SqliteConnectionStringBuilder(db.Database.GetConnectionString()), log);
        await db.Database.MigrateAsync();
        await db.Database.OpenConnectionAsync();
        try
        {
            SqliteStore.EnableWriteAheadLog(db.Database.GetDbConnection());
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        log.LogInformation("Database {Path} is up to date", path);
        await Identity.IdentitySetup.EnsureRolesAsync(scope.ServiceProvider);

        await scope.ServiceProvider.GetRequiredService<FirstRunDemoData>().SeedIfEmptyAsync(db);
    }

    /// <summary>
    /// A new database is built under a temporary name and renamed into place once every migration has run: a desk
    /// killed during its first start leaves no half-migrated file behind (one migration has to run outside a
    /// transaction), only a leftover that the next start deletes and builds again.
    /// </summary>
    private static async Task CreateWholeAsync(SqliteConnectionStringBuilder connection, ILogger log)
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
        await using (var fresh = new DeskDbContext(new DbContextOptionsBuilder<DeskDbContext>().UseDeskSqlite($"Data Source={building};Pooling=False").Options))
            await fresh.Database.MigrateAsync();
        File.Move(building, path); // the file is closed and has no journal left: rename is atomic
        log.LogInformation("Created the database {Path}", path);
    }

    private static string ResolveDataSource(string connectionString, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource is not (":memory:" or "") && !Path.IsPathRooted(builder.DataSource)
            && builder.Mode != SqliteOpenMode.Memory)
            builder.DataSource = Path.Combine(contentRoot, builder.DataSource);
        return builder.ToString();
    }

    private static bool TryDataSource(string connectionString)
    {
        try
        {
            return !string.IsNullOrWhiteSpace(new SqliteConnectionStringBuilder(connectionString).DataSource);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

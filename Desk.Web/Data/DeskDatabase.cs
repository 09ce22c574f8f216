using System.ComponentModel.DataAnnotations;
using Desk.Domain.Sla;
using Desk.Domain.Tickets;
using Desk.Web.DemoData;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Desk.Web.Data;

/// <summary>Where the desk keeps its data. The embedded default is a SQLite file next to the app.</summary>
public sealed class DeskDatabaseOptions
{
    public const string Section = "Desk:Database";

    /// <summary>Which database keeps the data: the embedded SQLite file (default) or a PostgreSQL server.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// In the provider's own syntax: for SQLite a data source (relative to the app's content root), for PostgreSQL
    /// Npgsql's "Host=…;Port=…;Username=…;Password=…;Database=…" (the database is created when missing).
    /// </summary>
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
            .Validate(o => DeskDatabaseProviders.For(o.Provider).Validate(o.ConnectionString) is null,
                // The options validator has one message per rule; the provider's own, more precise one is logged at start.
                "Desk:Database:ConnectionString is not a connection string for Desk:Database:Provider (Sqlite: \"Data Source=desk.db\"; Postgres: \"Host=127.0.0.1;Port=5432;Username=desk;Database=desk\").")
            .ValidateOnStart();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(services => DeskDatabaseProviders.For(services.GetRequiredService<IOptions<DeskDatabaseOptions>>().Value.Provider));
        var contentRoot = builder.Environment.ContentRootPath;
        void Configure(IServiceProvider services, DbContextOptionsBuilder options)
        {
            var settings = services.GetRequiredService<IOptions<DeskDatabaseOptions>>().Value;
            var provider = services.GetRequiredService<IDeskDatabaseProvider>();
            provider.Configure(options, provider.Resolve(settings.ConnectionString, contentRoot));
            options.AddInterceptors(services.GetRequiredService<Features.Live.TicketChangeSignal>(), // tells the live feed of ticket changes
                services.GetRequiredService<Features.Shared.ReferenceCache>()); // drops the kept choice lists when they change
        }
        // The context's type is the provider's (its migrations are that type's); everything asks for DeskDbContext, which
        // is the configured provider's. Both are registered and the choice is made when a context is asked for, after
        // every configuration source (tests' settings too) has been read; the other one's options are never built.
        foreach (var provider in DeskDatabaseProviders.All) provider.AddContext(builder.Services, Configure);
        builder.Services.AddScoped(services =>
            (DeskDbContext)services.GetRequiredService(services.GetRequiredService<IDeskDatabaseProvider>().ContextType));
        builder.Services.AddScoped(services => new RepeatComplaintPolicy(TimeSpan.FromDays(
            services.GetRequiredService<IOptions<DeskDatabaseOptions>>().Value.RepeatComplaintWindowDays)));
        builder.Services.AddScoped(services =>
            new SlaPolicy(services.GetRequiredService<Features.Shared.ReferenceCache>().Get(services.GetRequiredService<DeskDbContext>()).SlaTargets));
        foreach (var provider in DeskDatabaseProviders.All) provider.AddBackgroundWork(builder.Services);

        // Work done once however many desks share the database, and the signals between them.
        builder.Services.AddOptions<WorkLeaseOptions>().BindConfiguration(WorkLeaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<WorkLeases>();
        builder.Services.AddSingleton<DeskSignals>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DeskSignals>());
        return builder;
    }

    /// <summary>The lease every desk takes in turn at start, so that desks started at once do not all migrate and seed.</summary>
    public const string StartUpLease = "start-up";

    /// <summary>
    /// Brings the database up to date at start: creates it when missing, migrations, the roles, the Data Protection key
    /// ring, and demo data when the database is empty and demo data is enabled. Runs before the app takes requests.
    /// Several desks may start at once on one database: after creating it (which tolerates a concurrent create) each
    /// takes the <see cref="StartUpLease"/> in turn, and whoever comes second finds every step done (no second demo
    /// data, no second role, one default key that every desk then uses).
    /// </summary>
    /// <param name="app">The desk.</param>
    /// <param name="demoData">
    /// False for a command (<c>create-admin</c>, <c>import-orders</c>): a command never loads demo data, or a real desk
    /// made with <c>create-admin</c> on a new database would start life with demo users and their published password.
    /// </param>
    public static async Task PrepareDatabaseAsync(this WebApplication app, bool demoData = true)
    {
        var ct = app.Lifetime.ApplicationStopping;
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskDbContext>();
        var log = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("Desk.Database");
        var settings = scope.ServiceProvider.GetRequiredService<IOptions<DeskDatabaseOptions>>().Value;
        var problem = db.Provider.Validate(settings.ConnectionString);
        if (problem is not null) throw new InvalidOperationException(problem);

        await db.Provider.EnsureDatabaseAsync(db.Database.GetConnectionString()!, ct);
        await using (await scope.ServiceProvider.GetRequiredService<WorkLeases>().TakeAsync(StartUpLease, ct))
        {
            await db.Provider.MigrateAsync(db, log, ct);
            log.LogInformation("{Provider} database {Where} is up to date", db.Provider.Name, db.Provider.Describe(db.Database.GetConnectionString()!));
            await Identity.IdentitySetup.EnsureRolesAsync(scope.ServiceProvider);
            Identity.IdentitySetup.EnsureKeyRing(scope.ServiceProvider);
            if (demoData) await scope.ServiceProvider.GetRequiredService<FirstRunDemoData>().SeedIfEmptyAsync(db);
        }
    }
}

using System.ComponentModel.DataAnnotations;
using Desk.Seed;
using Desk.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Desk.Web.DemoData;

/// <summary>Demo data for a desk started on an empty database, so a newcomer sees a working desk at once.</summary>
public sealed class DemoDataOptions
{
    public const string Section = "Desk:DemoData";

    /// <summary>Fill an empty database with demo data at start. Turn off for a real desk.</summary>
    public bool SeedOnFirstRun { get; set; } = true;

    [Range(0, 200_000)]
    public int Tickets { get; set; } = 3_000;

    public int Seed { get; set; } = 20_261_123;
}

public sealed class FirstRunDemoData(IOptions<DemoDataOptions> options, TimeProvider clock, ILogger<FirstRunDemoData> log)
{
    public async Task SeedIfEmptyAsync(DeskDbContext db)
    {
        var settings = options.Value;
        if (!settings.SeedOnFirstRun || await db.Tickets.AnyAsync() || await db.Customers.AnyAsync()) return;

        log.LogInformation("Empty database: generating {Tickets:N0} demo tickets (seed {Seed})", settings.Tickets, settings.Seed);
        await db.Database.OpenConnectionAsync();
        try
        {
            var generator = new DemoDataGenerator(new GeneratorOptions(settings.Tickets, settings.Seed, clock.GetUtcNow().UtcDateTime));
            var report = generator.WriteTo((SqliteConnection)db.Database.GetDbConnection());
            log.LogInformation("Demo data: {Tickets:N0} tickets, {Customers:N0} customers, {Orders:N0} orders in {Seconds:0.0} s",
                report.Tickets, report.Customers, report.Orders, report.Elapsed.TotalSeconds);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}

public static class DemoDataRegistration
{
    public static WebApplicationBuilder AddDemoData(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DemoDataOptions>().BindConfiguration(DemoDataOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<FirstRunDemoData>();
        return builder;
    }
}

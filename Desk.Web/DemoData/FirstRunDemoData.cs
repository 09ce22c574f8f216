using System.ComponentModel.DataAnnotations;
using Desk.Seed;
using Desk.Web.Data;
using Desk.Web.Features.Macros;
using Desk.Web.Identity;
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

    /// <summary>The password of every demo user (agents, "maria" the manager, "admin"). Demo only.</summary>
    [MinLength(10)]
    public string UserPassword { get; set; } = "Desk-demo-2026!";
}

public sealed class FirstRunDemoData(IOptions<DemoDataOptions> options, TimeProvider clock, DeskUsers users, ILogger<FirstRunDemoData> log)
{
    /// <summary>
    /// Loads the demo data when it is on and the desk holds nothing at all: no ticket, no customer and no user. A desk with
    /// a real user (its first admin, made with <c>create-admin</c>) or real data never receives demo data, whatever the
    /// setting says.
    /// </summary>
    public async Task SeedIfEmptyAsync(DeskDbContext db)
    {
        var settings = options.Value;
        if (!settings.SeedOnFirstRun || await db.Tickets.AnyAsync() || await db.Customers.AnyAsync() || await db.Users.AnyAsync()) return;

        log.LogInformation("Empty database: generating {Tickets:N0} demo tickets (seed {Seed})", settings.Tickets, settings.Seed);
        await db.Database.OpenConnectionAsync();
        try
        {
            var generator = new DemoDataGenerator(new GeneratorOptions(settings.Tickets, settings.Seed, clock.GetUtcNow().UtcDateTime));
            var report = generator.WriteTo(db.Database.GetDbConnection());
            db.Provider.CatchUpAfterBulkLoad(db.Database.GetDbConnection(), DemoDataGenerator.Tables);
            log.LogInformation("Demo data: {Tickets:N0} tickets, {Customers:N0} customers, {Orders:N0} orders in {Seconds:0.0} s",
                report.Tickets, report.Customers, report.Orders, report.Elapsed.TotalSeconds);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        await CreateDemoUsersAsync(db, settings.UserPassword);
        await CreateDemoMacrosAsync(db);
    }

    private async Task CreateDemoMacrosAsync(DeskDbContext db)
    {
        if (await db.Macros.AnyAsync()) return;
        var now = clock.GetUtcNow().UtcDateTime;
        db.Macros.AddRange(
            new Macro("Sorry — we are on it", "Dear {customer},\n\nthank you for telling us, and I am sorry this happened. I am looking into it now and will write again within a day.\n\n{agent}, customer care ({number})", "admin", now, "Apologies"),
            new Macro("Ask for a photo", "Dear {customer},\n\ncould you send us a photo of the product and of the label on its box? That lets us settle this quickly.\n\n{agent} ({number})", "admin", now, "Questions"),
            new Macro("Refund issued", "Dear {customer},\n\nwe have refunded your order; it reaches your account within 5 working days. If you are not satisfied with how we handled this, simply reply to this message.\n\n{agent} ({number})", "admin", now, "Refunds"),
            new Macro("抱歉，正在处理", "{customer}您好：\n\n非常抱歉给您带来不便，我正在核查此事，一天内会再回复您。\n\n客服 {agent}（{number}）", "admin", now, "Apologies"));
        await db.SaveChangesAsync();
    }

    /// <summary>One sign-in per demo agent (the names the tickets are assigned to), a manager and an admin.</summary>
    private async Task CreateDemoUsersAsync(DeskDbContext db, string password)
    {
        if (await db.Users.AnyAsync()) return;
        var people = DemoDataGenerator.AgentUserNames.Select(name => (name, DeskRoles.Agent))
            .Append(("maria", DeskRoles.Manager)).Append(("admin", DeskRoles.Admin))
            .Select(((string Name, string Role) person) => (person.Name, $"{person.Name}@desk.example", person.Role));
        var refused = await users.CreateWithOnePasswordAsync(people, password);
        if (refused is not null) throw new InvalidOperationException($"Demo user {refused}");
        log.LogInformation("Demo users: the agents ({Agents}), maria (manager) and admin; password in Desk:DemoData:UserPassword",
            string.Join(", ", DemoDataGenerator.AgentUserNames));
    }
}

public static class DemoDataRegistration
{
    public static WebApplicationBuilder AddDemoData(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DemoDataOptions>().BindConfiguration(DemoDataOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<FirstRunDemoData>();
        builder.Services.AddSingleton<DemoDataNotice>();
        return builder;
    }
}

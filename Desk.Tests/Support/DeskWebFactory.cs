using System.Net;
using Desk.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Desk.Tests.Support;

/// <summary>
/// The real web app on a real database (a SQLite file unless a subclass asks for PostgreSQL), first-run demo data and
/// demo users included, with a fake clock.
/// </summary>
public class DeskWebFactory : WebApplicationFactory<Program>
{
    public static readonly DateTime Now = new(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc);

    public const string DemoPassword = "Desk-demo-2026!";

    public DeskWebFactory() : this(DatabaseProvider.Sqlite)
    {
    }

    /// <param name="provider">The database the desk keeps its data in; it is not there until the desk's first start creates it.</param>
    protected DeskWebFactory(DatabaseProvider provider) => Database = new(provider, migrate: false);

    public TestDatabase Database { get; }
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(Now));
    /// <summary>The desk's mail folders (drop folder inbox/, pickup folder outbox/), private to this desk.</summary>
    public string MailFolder { get; } = Path.Combine(Path.GetTempPath(), "desk-mail-" + Guid.NewGuid().ToString("N"));
    public virtual int DemoTickets => 300;
    /// <summary>Public posts per address per window; high by default so tests sharing one desk never trip it.</summary>
    public virtual int PublicPostsPerWindow => 10_000;
    /// <summary>Off by default: the scheduler's own loop would race a test's hand-run rounds.</summary>
    public virtual bool FollowUpSchedulerEnabled => false;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Desk:Database:Provider", Database.Provider.ToString());
        builder.UseSetting("Desk:Database:ConnectionString", Database.ConnectionString);
        builder.UseSetting("Desk:DemoData:SeedOnFirstRun", DemoTickets > 0 ? "true" : "false");
        builder.UseSetting("Desk:DemoData:Tickets", DemoTickets.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Desk:Mail:DropFolder", Path.Combine(MailFolder, "inbox"));
        builder.UseSetting("Desk:Mail:PickupFolder", Path.Combine(MailFolder, "outbox"));
        builder.UseSetting("Desk:PublicForm:PostsPerWindow", PublicPostsPerWindow.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // Tests run the follow-up scheduler by hand (FollowUpScheduler.RunAsync) at the fake clock's time of their choosing.
        builder.UseSetting("Desk:FollowUp:Enabled", FollowUpSchedulerEnabled ? "true" : "false");
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
    }

    /// <summary>A client (cookies kept, redirects not followed) signed in through the real sign-in form.</summary>
    public async Task<HttpClient> SignedInAsync(string userName, string password = DemoPassword)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await Forms.PostAsync(client, "/account/login", "/account/login",
            new() { ["UserName"] = userName, ["Password"] = password });
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Sign-in as {userName} answered {(int)response.StatusCode}, not a redirect.");
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Database.Dispose();
            try { if (Directory.Exists(MailFolder)) Directory.Delete(MailFolder, recursive: true); }
            catch (IOException) { } // a sender still writing: the temp folder is cleaned by the system
        }
    }
}

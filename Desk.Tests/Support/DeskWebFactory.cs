using System.Net;
using Desk.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Desk.Tests.Support;

/// <summary>
/// The real web app on a real database (a SQLite file; <see cref="PostgresDesk"/>: a PostgreSQL database), first-run
/// demo data and demo users included, with a fake clock.
/// </summary>
public class DeskWebFactory : WebApplicationFactory<Program>
{
    public static readonly DateTime Now = new(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc);

    public const string DemoPassword = "Desk-demo-2026!";

    /// <summary>The database the desk runs on; its subclasses choose.</summary>
    public virtual DatabaseProvider Provider => _shared?.Provider ?? DatabaseProvider.Sqlite;

    /// <summary>
    /// The desk's database, made when first asked for (before the desk starts, for a test that prepares it): a copy of the
    /// run's migrated SQLite template or a PostgreSQL database cloned from the migrated template (the desk finds nothing
    /// left to migrate); with <see cref="DeskCreatesItsDatabase"/>, a SQLite path the desk creates itself.
    /// </summary>
    public TestDatabase Storage => _database ??= _shared ?? new TestDatabase(Provider, migrate: !(DeskCreatesItsDatabase && Provider == DatabaseProvider.Sqlite));

    /// <summary>
    /// True for a test of the desk's own first start on SQLite (the file built under a temporary name, its mode): the desk
    /// is given a path with no file. Otherwise the file is a copy of the migrated template, as PostgreSQL's is a clone:
    /// migrating a new file took about a second of each desk's start, for nothing the test looked at.
    /// </summary>
    public virtual bool DeskCreatesItsDatabase => false;

    private readonly TestDatabase? _shared;

    public DeskWebFactory()
    {
    }

    /// <summary>
    /// A desk on <paramref name="shared"/>, which its owner disposes: several desks on one database, or one across restarts
    /// (<see cref="SharedDesk"/>). Protected: a class fixture may have one public constructor.
    /// </summary>
    protected DeskWebFactory(TestDatabase shared) => _shared = shared;

    /// <summary>A plain desk on <paramref name="shared"/>, which its owner disposes.</summary>
    public static DeskWebFactory On(TestDatabase shared) => new(shared);

    /// <summary>
    /// <see cref="Storage"/> once the desk has started (migrated, demo data in): what a test reads or writes beside
    /// the running desk, whatever order its tests run in.
    /// </summary>
    public TestDatabase Database
    {
        get
        {
            _ = Services; // starts the desk
            return Storage;
        }
    }

    private TestDatabase? _database;
    public DeskClock Clock { get; } = new(new DateTimeOffset(Now));
    /// <summary>
    /// The mail with <paramref name="messageId"/> as the customer gets it: waits for the background sender to write it into
    /// the pickup folder. (The desk's own copy loses its private links once sent.)
    /// </summary>
    public async Task<MimeKit.MimeMessage> PickedUpAsync(string messageId)
    {
        var folder = Path.Combine(MailFolder, "outbox");
        for (var i = 0; i < 100; i++)
        {
            if (Directory.Exists(folder))
                foreach (var file in Directory.EnumerateFiles(folder, "*.eml"))
                {
                    var message = await MimeKit.MimeMessage.LoadAsync(file);
                    if (message.MessageId == messageId) return message;
                }
            await Task.Delay(100);
        }
        throw new TimeoutException($"No mail {messageId} in {folder} after 10 s.");
    }

    /// <summary>The desk's mail folders (drop folder inbox/, pickup folder outbox/), private to this desk.</summary>
    public string MailFolder { get; } = Path.Combine(Path.GetTempPath(), "desk-mail-" + Guid.NewGuid().ToString("N"));
    public virtual int DemoTickets => 300;
    /// <summary>Public posts per address per window; high by default so tests sharing one desk never trip it.</summary>
    public virtual int PublicPostsPerWindow => 10_000;
    /// <summary>Off by default: the scheduler's own loop would race a test's hand-run rounds.</summary>
    public virtual bool FollowUpSchedulerEnabled => false;
    /// <summary>Off by default, for the same reason; a test of the running scheduler turns it on.</summary>
    public virtual bool DigestSchedulerEnabled => false;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Desk:Database:Provider", Provider.ToString());
        builder.UseSetting("Desk:Database:ConnectionString", Storage.ConnectionString);
        builder.UseSetting("Desk:DemoData:SeedOnFirstRun", DemoTickets > 0 ? "true" : "false");
        builder.UseSetting("Desk:DemoData:Tickets", DemoTickets.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Desk:Mail:DropFolder", Path.Combine(MailFolder, "inbox"));
        builder.UseSetting("Desk:Mail:PickupFolder", Path.Combine(MailFolder, "outbox"));
        builder.UseSetting("Desk:PublicForm:PostsPerWindow", PublicPostsPerWindow.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // Tests run the follow-up scheduler by hand (FollowUpScheduler.RunAsync) at the fake clock's time of their choosing.
        builder.UseSetting("Desk:FollowUp:Enabled", FollowUpSchedulerEnabled ? "true" : "false");
        // Tests run the SLA watch by hand too (SlaWatch.RunAsync): on its own it would escalate demo tickets under them.
        builder.UseSetting("Desk:Notifications:SlaWatchEnabled", "false");
        // And the report digest (DigestScheduler.RunAsync), at the clock's time a test chooses.
        builder.UseSetting("Desk:Digest:Enabled", DigestSchedulerEnabled ? "true" : "false");
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            // PBKDF2's work factor is a production setting no test here measures, and at Identity's 100,000 rounds each
            // sign-in cost about 0.1 s of CPU, over some 400 sign-ins a run. Hashing and checking are otherwise the real ones
            // (the rounds travel inside each hash); desks started as processes (cluster, crash tests) keep the default.
            services.Configure<Microsoft.AspNetCore.Identity.PasswordHasherOptions>(o => o.IterationCount = 1_000);
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
            if (_shared is null) _database?.Dispose();
            try { if (Directory.Exists(MailFolder)) Directory.Delete(MailFolder, recursive: true); }
            catch (IOException) { } // a sender still writing: the temp folder is cleaned by the system
        }
    }
}

/// <summary>The same desk on PostgreSQL (the run's private server, <see cref="PostgresServer"/>).</summary>
public class PostgresDesk : DeskWebFactory
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}

/// <summary>A desk on a database its test owns: several desks on one database, or one desk across restarts.</summary>
public class SharedDesk(TestDatabase shared) : DeskWebFactory(shared);

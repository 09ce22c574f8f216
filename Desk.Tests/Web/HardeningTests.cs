using System.Data.Common;
using System.Net;
using System.Text.RegularExpressions;
using Desk.Tests.Support;
using Desk.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Desk.Tests.Web;

/// <summary>
/// What every response carries (no framing, no sniffing, a script policy), and how the desk behaves when its database
/// stops taking writes: /healthz says so, and a page that fails to save asks to try again in a minute (503), not a 500.
/// </summary>
public abstract partial class HardeningTests(DeskWebFactory desk)
{
    [StorageFact]
    public async Task Pages_EveryResponseOfAVisit_CarryNoFramingNoSniffingAndAContentPolicy()
    {
        var admin = await desk.SignedInAsync("admin");
        var anonymous = desk.CreateClient();

        foreach (var (client, path) in new[]
        {
            (admin, "/"), (admin, "/macros"), (admin, "/workflow"), (admin, "/admin/users"), (admin, "/reports/recovery"),
            (admin, "/nowhere"), (anonymous, "/complain"), (anonymous, "/complain"), (anonymous, "/account/login"),
        })
        {
            var response = await client.GetAsync(path);
            Assert.True(response.Headers.TryGetValues("X-Frame-Options", out var frame), $"{path} has no X-Frame-Options");
            Assert.Equal("DENY", frame.Single());
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            var policy = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("frame-ancestors 'none'", policy);
            Assert.Contains("object-src 'none'", policy);
        }
    }

    [StorageFact]
    public async Task Page_InlineScripts_RunOnlyWithThisResponsesNonce()
    {
        var agent = await desk.SignedInAsync("alice");

        var first = await agent.GetAsync("/workflow");
        var second = await agent.GetAsync("/workflow");

        var nonce = NonceOf(first);
        Assert.NotEqual(nonce, NonceOf(second));
        var scripts = ScriptTag().Matches(await first.Content.ReadAsStringAsync()).Select(m => m.Value).ToList();
        Assert.NotEmpty(scripts);
        Assert.All(scripts, script => Assert.Contains($"nonce=\"{nonce}\"", script));
    }

    [StorageFact]
    public async Task ReadOnlyDatabase_HealthzSaysUnwritableAndPagesAnswer503TryAgain()
    {
        await using var readOnly = new ReadOnlySwitchDesk(desk.Provider);
        var agent = await readOnly.SignedInAsync("alice");
        var anonymous = readOnly.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);

        readOnly.Switch.On = true;
        readOnly.Services.GetRequiredService<Desk.Web.Health.WriteProbe>().Forget(); // else the last probe's answer is reused for 5 s
        var health = await anonymous.GetAsync("/healthz");
        var complaint = await Forms.PostAsync(anonymous, "/complain", "/complain", new()
        {
            ["Name"] = "Nora Quinn", ["Email"] = "nora.read-only@example.org", ["Subject"] = "Blender", ["Description"] = "Broken.",
        });
        var macro = await Forms.PostAsync(agent, "/macros", "/macros", new() { ["Title"] = "Sorry", ["Body"] = "We are sorry." });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Contains("unwritable", await health.Content.ReadAsStringAsync());
        foreach (var page in new[] { complaint, macro })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(60), page.Headers.RetryAfter!.Delta);
            var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
            Assert.Contains("The desk cannot save right now.", html);
            Assert.DoesNotContain("It has been logged", html);
        }

        readOnly.Switch.On = false;
        readOnly.Services.GetRequiredService<Desk.Web.Health.WriteProbe>().Forget();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
    }

    private static string NonceOf(HttpResponseMessage response) =>
        Regex.Match(response.Headers.GetValues("Content-Security-Policy").Single(), "'nonce-([^']+)'").Groups[1].Value;

    [GeneratedRegex("<script(?! type=)[^>]*>")] // the scripts that run; a data block (type="text/plain") needs no nonce
    private static partial Regex ScriptTag();

    /// <summary>
    /// Makes every database connection the desk opens read-only while <see cref="On"/>: SQLite's query_only (the tests
    /// run as root, whom a read-only file mode does not stop; SQLite answers both with SQLITE_READONLY), PostgreSQL's
    /// default_transaction_read_only (as on a standby or a database set read-only).
    /// </summary>
    public sealed class ReadOnlySwitch : DbConnectionInterceptor
    {
        public volatile bool On;

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            using var command = Command(connection);
            command.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            await using var command = Command(connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        private DbCommand Command(DbConnection connection)
        {
            var command = connection.CreateCommand();
            command.CommandText = connection is Microsoft.Data.Sqlite.SqliteConnection
                ? $"PRAGMA query_only = {(On ? 1 : 0)}"
                : $"SET SESSION default_transaction_read_only = {(On ? "on" : "off")}";
            return command;
        }
    }

    private sealed class ReadOnlySwitchDesk(DatabaseProvider provider) : DeskWebFactory
    {
        public ReadOnlySwitch Switch { get; } = new();
        public override DatabaseProvider Provider => provider;
        public override int DemoTickets => 10;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services =>
            {
                services.ConfigureDbContext<Desk.Web.Data.Sqlite.SqliteDeskDbContext>(o => o.AddInterceptors(Switch));
                services.ConfigureDbContext<Desk.Web.Data.Postgres.PostgresDeskDbContext>(o => o.AddInterceptors(Switch));
            });
        }
    }
}

public sealed class HardeningTestsOnSqlite(DeskWebFactory desk) : HardeningTests(desk), IClassFixture<DeskWebFactory>;

public sealed class HardeningTestsOnPostgres(PostgresDesk desk) : HardeningTests(desk), IClassFixture<PostgresDesk>, IRunsOnPostgres;

using System.Data.Common;
using System.Net;
using Desk.Tests.Support;
using Desk.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Desk.Tests.Operations;

/// <summary>
/// Liveness says the process answers and never asks the database; readiness (and /healthz, kept for balancers set up
/// before the split) says the database is there: with the database gone, an orchestrator keeps the desk running and a
/// balancer sends it no one.
/// </summary>
public abstract class HealthEndpointsTests(DatabaseProvider provider) : IAsyncLifetime
{
    private readonly GoneDatabaseDesk _desk = new(provider);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _desk.DisposeAsync();

    [StorageFact]
    public async Task Health_DatabaseGone_ReadinessAnd503LivenessStill200()
    {
        var client = _desk.CreateClient();
        foreach (var path in new[] { "/healthz/live", "/healthz/ready", "/healthz" })
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path)).StatusCode);

        _desk.Gone.On = true;
        _desk.Services.GetRequiredService<Desk.Web.Health.WriteProbe>().Forget();
        var live = await client.GetAsync("/healthz/live");
        var ready = await client.GetAsync("/healthz/ready");
        var healthz = await client.GetAsync("/healthz");
        Assert.True(_desk.Gone.Refused > 0); // readiness did ask the database, which refused
        var liveAgain = await client.GetAsync("/healthz/live");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Contains("\"status\": \"Healthy\"", await live.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, liveAgain.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, healthz.StatusCode);
        var body = await ready.Content.ReadAsStringAsync();
        Assert.Contains("\"database\"", body);
        Assert.Contains("cannot be read", body);

        _desk.Gone.On = false;
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz/ready")).StatusCode);
    }

    /// <summary>Refuses every connection the desk opens while <see cref="On"/>, as a stopped server or a lost disk would.</summary>
    public sealed class GoneSwitch : DbConnectionInterceptor
    {
        public volatile bool On;
        private int _refused;

        public int Refused => Volatile.Read(ref _refused);

        public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
        {
            Refuse();
            return result;
        }

        public override ValueTask<InterceptionResult> ConnectionOpeningAsync(DbConnection connection, ConnectionEventData eventData,
            InterceptionResult result, CancellationToken cancellationToken = default)
        {
            Refuse();
            return ValueTask.FromResult(result);
        }

        private void Refuse()
        {
            if (!On) return;
            Interlocked.Increment(ref _refused);
            throw new InvalidOperationException("The database server is gone (test).");
        }
    }

    private sealed class GoneDatabaseDesk(DatabaseProvider provider) : DeskWebFactory
    {
        public GoneSwitch Gone { get; } = new();
        public override DatabaseProvider Provider => provider;
        public override int DemoTickets => 10;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services =>
            {
                services.ConfigureDbContext<Desk.Web.Data.Sqlite.SqliteDeskDbContext>(o => o.AddInterceptors(Gone));
                services.ConfigureDbContext<Desk.Web.Data.Postgres.PostgresDeskDbContext>(o => o.AddInterceptors(Gone));
            });
        }
    }
}

public sealed class HealthEndpointsTestsOnSqlite() : HealthEndpointsTests(DatabaseProvider.Sqlite);

public sealed class HealthEndpointsTestsOnPostgres() : HealthEndpointsTests(DatabaseProvider.Postgres), IRunsOnPostgres;

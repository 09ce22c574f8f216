using System.Text.Json;
using Desk.Web.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Desk.Web.Health;

/// <summary>
/// The health endpoints, for load balancers, orchestrators and people, each one JSON answer per check:
/// <list type="bullet">
/// <item><c>/healthz/live</c> — liveness: the process answers requests. It runs no check and touches no database, so an
/// orchestrator never restarts a desk because its database is away (a restart would not bring it back).</item>
/// <item><c>/healthz/ready</c> — readiness: every check (the database reachable, migrated and writable; no mail source
/// stale); 503 while one fails, so a balancer sends no one to a desk that cannot save.</item>
/// <item><c>/healthz</c> — the same as readiness, kept for balancers configured before the split.</item>
/// </list>
/// </summary>
public static class HealthEndpoints
{
    public static WebApplicationBuilder AddDeskHealthChecks(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<WriteProbe>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return builder;
    }

    public static void MapDeskHealthChecks(this IEndpointRouteBuilder app)
    {
        // Open to anyone: load balancers and monitors call them without signing in.
        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = WriteAsync }).AllowAnonymous();
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions { ResponseWriter = WriteAsync }).AllowAnonymous();
        app.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync }).AllowAnonymous();
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            // Which database the desk runs on (SQLite or PostgreSQL); where it is stays out of an anonymous answer.
            provider = context.RequestServices.GetRequiredService<IDeskDatabaseProvider>().Name,
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description ?? e.Value.Exception?.Message,
                durationMs = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
            }),
        }, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
    }
}

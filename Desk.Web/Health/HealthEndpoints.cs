using System.Text.Json;
using Desk.Web.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Desk.Web.Health;

/// <summary>/healthz: one JSON answer for load balancers and people, per check (the database now; mailboxes later).</summary>
public static class HealthEndpoints
{
    public static WebApplicationBuilder AddDeskHealthChecks(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<WriteProbe>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return builder;
    }

    public static IEndpointConventionBuilder MapDeskHealthChecks(this IEndpointRouteBuilder app) =>
        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = WriteAsync }).AllowAnonymous(); // for load balancers and monitors

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

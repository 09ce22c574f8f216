using System.Security.Cryptography;
using System.Text;
using Desk.Web.Identity;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Desk.Web.Operations;

/// <summary>The metrics settings (<c>Desk:Metrics</c>).</summary>
public sealed class MetricsOptions
{
    public const string Section = "Desk:Metrics";

    /// <summary>
    /// The bearer token a Prometheus scraper sends (<c>Authorization: Bearer …</c>) to read <c>/metrics</c>; admins signed in
    /// read it without one. Unset: only admins. Keep it out of the repository (environment variable or user secrets).
    /// </summary>
    [System.ComponentModel.DataAnnotations.MinLength(16)]
    public string? ScrapeToken { get; set; }
}

/// <summary>
/// OpenTelemetry metrics — ASP.NET Core's (<c>http.server.request.duration</c>, …), HttpClient's, the .NET runtime's
/// built-in ones are not added — and the desk's own (<see cref="DeskMeters"/>), exposed for Prometheus at <c>/metrics</c>
/// to admins and to a scraper holding <see cref="MetricsOptions.ScrapeToken"/>; anyone else gets 401 (403 when signed in).
/// </summary>
public static class MetricsSetup
{
    public const string Path = "/metrics";

    public static WebApplicationBuilder AddDeskMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<DeskMeters>();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("desk"))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddMeter(DeskMeters.MeterName)
                .AddPrometheusExporter());
        return builder;
    }

    /// <summary>
    /// The endpoint is anonymous to the desk's policies (whose fallback would send a scraper to the sign-in page) and
    /// checks who asks itself, in front of the exporter: the admin's cookie has been read by then.
    /// </summary>
    public static WebApplication MapDeskMetrics(this WebApplication app)
    {
        _ = app.Services.GetRequiredService<DeskMeters>(); // its gauges exist from the start
        app.MapPrometheusScrapingEndpoint(Path, meterProvider: null, configureBranchedPipeline: branch => branch.Use(async (context, next) =>
            {
                if (context.User.IsInRole(DeskRoles.Admin) || HoldsScrapeToken(context))
                {
                    await next(context);
                    return;
                }
                var signedIn = context.User.Identity?.IsAuthenticated == true;
                if (!signedIn) context.Response.Headers.WWWAuthenticate = "Bearer";
                context.Response.StatusCode = signedIn ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized;
            }), optionsName: null).AllowAnonymous();
        return app;
    }

    private static bool HoldsScrapeToken(HttpContext context)
    {
        var expected = context.RequestServices.GetRequiredService<IOptions<MetricsOptions>>().Value.ScrapeToken;
        var header = context.Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(expected) || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return false;
        // Compared as hashes in fixed time: the answer's timing tells nothing about the token.
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(header[7..].Trim())),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
    }
}

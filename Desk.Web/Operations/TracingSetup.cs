using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;

namespace Desk.Web.Operations;

/// <summary>The tracing settings (<c>Desk:Tracing</c>).</summary>
public sealed class TracingOptions
{
    public const string Section = "Desk:Tracing";

    /// <summary>
    /// An OpenTelemetry collector's OTLP/HTTP address (<c>http://collector:4318</c>): set, the desk sends its traces there
    /// (to <c>/v1/traces</c>, protobuf); unset, it traces nothing.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>The share of requests traced (a request whose caller traces it is traced whatever this says).</summary>
    [System.ComponentModel.DataAnnotations.Range(0.0, 1.0)]
    public double SampleRatio { get; set; } = 1.0;

    /// <summary>How long finished spans wait to be sent together (OpenTelemetry's default: 5 s).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 60_000)]
    public int ExportDelayMilliseconds { get; set; } = 5_000;
}

/// <summary>
/// OpenTelemetry traces, when <see cref="TracingOptions.OtlpEndpoint"/> is set: a span per request (ASP.NET Core; not
/// <c>/metrics</c> and the health checks, which a scraper and a balancer call every few seconds), per outgoing HTTP call
/// (OAuth2 tokens, webhooks), per database command (EF Core's, on SQLite and PostgreSQL, and Npgsql's own), exported by
/// OTLP over HTTP. The service is named <c>desk</c> (the metrics' resource).
/// </summary>
public static class TracingSetup
{
    public static WebApplicationBuilder AddDeskTracing(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(TracingOptions.Section);
        builder.Services.AddOptions<TracingOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        var options = section.Get<TracingOptions>() ?? new TracingOptions();
        if (string.IsNullOrWhiteSpace(options.OtlpEndpoint)) return builder;
        if (!Uri.TryCreate(options.OtlpEndpoint.TrimEnd('/') + "/v1/traces", UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
            throw new InvalidOperationException($"{TracingOptions.Section}:OtlpEndpoint is not an http(s) address: '{options.OtlpEndpoint}'.");

        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing
            .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(options.SampleRatio)))
            .AddAspNetCoreInstrumentation(o => o.Filter = context =>
                !context.Request.Path.StartsWithSegments(MetricsSetup.Path) && !context.Request.Path.StartsWithSegments("/healthz"))
            .AddHttpClientInstrumentation()
            .AddEntityFrameworkCoreInstrumentation()
            .AddSource("Npgsql")
            .AddOtlpExporter(o =>
            {
                o.Endpoint = endpoint;
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
                o.BatchExportProcessorOptions.ScheduledDelayMilliseconds = options.ExportDelayMilliseconds;
            }));
        return builder;
    }
}

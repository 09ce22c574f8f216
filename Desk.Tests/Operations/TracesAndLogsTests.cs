using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Desk.Tests.Cluster;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Desk.Tests.Operations;

/// <summary>
/// What an operations team plugs in, against a desk running as its own process (as deployed: settings from the
/// environment, its console as the log): traces sent by OTLP/HTTP to a collector on 127.0.0.1, and JSON console logs.
/// </summary>
public sealed class TracesAndLogsTests
{
    [Fact]
    public async Task Desk_WithAnOtlpEndpointAndJsonLogs_SendsRequestAndDatabaseSpans_AndLogsOneJsonObjectPerLine()
    {
        // A collector: takes OTLP/HTTP trace exports as they come (protobuf; its strings are UTF-8 inside).
        var exports = new ConcurrentQueue<byte[]>();
        var collectorBuilder = WebApplication.CreateSlimBuilder();
        collectorBuilder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var collector = collectorBuilder.Build();
        collector.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            exports.Enqueue(body.ToArray());
            return Results.Ok();
        });
        await collector.StartAsync();

        var folder = Directory.CreateTempSubdirectory("desk-traces-").FullName;
        try
        {
            using var desk = new DeskProcess("traced", DeskProcess.FreePort(), folder, new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["Desk__Database__Provider"] = "Sqlite",
                ["Desk__Database__ConnectionString"] = $"Data Source={Path.Combine(folder, "desk.db")}",
                ["Desk__DemoData__SeedOnFirstRun"] = "false",
                ["Desk__Mail__DropFolder"] = Path.Combine(folder, "mail", "inbox"),
                ["Desk__Mail__PickupFolder"] = Path.Combine(folder, "mail", "outbox"),
                ["Desk__Tracing__OtlpEndpoint"] = collector.Urls.Single(),
                ["Desk__Tracing__ExportDelayMilliseconds"] = "200",
                ["Logging__Console__FormatterName"] = "json",
                ["Logging__LogLevel__Default"] = "Information",
            });
            await desk.StartAsync();

            // An API call with a key nobody issued: the desk looks the key up in the database (EF Core) and refuses it.
            using var client = new HttpClient { BaseAddress = new Uri(desk.Url) };
            client.DefaultRequestHeaders.Add("X-Api-Key", "no-such-key-0123456789");
            var refused = await client.GetAsync("/api/v1/tickets");
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz/ready")).StatusCode);

            string Received() => string.Join("\n", exports.Select(e => Encoding.UTF8.GetString(e)));
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!(Received() is var text && text.Contains("/api/v1/tickets") && text.Contains("OpenTelemetry.Instrumentation.EntityFrameworkCore"))
                   && DateTime.UtcNow < deadline)
                await Task.Delay(100);

            var received = Received();
            Assert.Contains("/api/v1/tickets", received); // the request's span (its route)
            Assert.Contains("Microsoft.AspNetCore", received); // by ASP.NET Core's instrumentation
            Assert.Contains("OpenTelemetry.Instrumentation.EntityFrameworkCore", received); // the key's look-up
            Assert.Contains("ApiKeys", received); // …whose statement names the table
            Assert.Contains("desk", received); // the service
            Assert.DoesNotContain("/healthz", received); // the balancer's checks are not traced

            // The console: one JSON object per line, none in the plain formatter's "info: Category[0]" shape.
            var lines = File.ReadAllLines(desk.LogPath).Where(l => l.Length > 0 && !l.StartsWith("--- ", StringComparison.Ordinal)).ToList();
            Assert.DoesNotContain(lines, l => l.StartsWith("info:", StringComparison.Ordinal) || l.StartsWith("warn:", StringComparison.Ordinal)
                || l.StartsWith("fail:", StringComparison.Ordinal));
            var entries = lines.Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.Contains(entries, e => e.GetProperty("Category").GetString() == "Microsoft.Hosting.Lifetime"
                && e.GetProperty("LogLevel").GetString() == "Information" && e.GetProperty("Message").GetString()!.Contains("listening", StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

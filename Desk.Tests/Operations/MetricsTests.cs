using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Desk.Tests.Support;
using Desk.Web.Email.Intake;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Desk.Tests.Operations;

/// <summary>
/// /metrics, in Prometheus's text format: ASP.NET Core's request durations and the desk's own meters for an admin or a
/// scraper with the configured token; nobody else. Alone in the process (<see cref="OneDeskInProcess"/>): a desk's
/// OpenTelemetry reader listens to every meter of its names in the process, so another test's desk, stopping meanwhile,
/// would take the shared instruments' series with it.
/// </summary>
[Collection(nameof(OneDeskInProcess))]
public sealed class MetricsTests(MetricsTests.MetricsDesk desk) : IClassFixture<MetricsTests.MetricsDesk>
{
    private const string Token = "scrape-token-for-tests-0123456789";

    [Fact]
    public async Task Metrics_AdminScrape_ShowsRequestDurationsAndTheDesksMeters()
    {
        var admin = await desk.SignedInAsync("admin");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/")).StatusCode);
        await using (var scope = desk.Services.CreateAsyncScope())
        {
            var raw = Encoding.ASCII.GetBytes("From: Mia Park <mia.metrics@example.org>\r\nTo: desk@example.com\r\nSubject: Kettle leaks\r\n"
                + $"Message-ID: <{Guid.NewGuid():N}@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nIt leaks.\r\n");
            var result = await scope.ServiceProvider.GetRequiredService<MailIntake>().TakeAsync(raw, "metrics test", CancellationToken.None);
            Assert.Equal(IntakeOutcome.Opened, result.Outcome);
        }

        var response = await admin.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("http_server_request_duration_seconds_bucket{", text);
        Assert.True(Value(text, "desk_mail_taken_total", "outcome=\"opened\"") >= 1, "the mail just taken in is counted");
        Assert.InRange(Value(text, "desk_outbox_depth"), 0, 10_000);
        Assert.InRange(Value(text, "desk_reports_backlog"), 0, 10_000);
        Assert.InRange(Value(text, "desk_mail_poll_lag_seconds", $"source=\"{DropFolderIntake.Source}\""), 0, 86_400);
    }

    [Fact]
    public async Task Metrics_AnonymousAgentOrWrongToken_RefusedScraperTokenAccepted()
    {
        var anonymous = desk.CreateClient(new() { AllowAutoRedirect = false });
        var agent = await desk.SignedInAsync("alice");
        var wrong = desk.CreateClient(new() { AllowAutoRedirect = false });
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token-0123456789");
        var scraper = desk.CreateClient(new() { AllowAutoRedirect = false });
        scraper.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);

        var refused = await anonymous.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.DoesNotContain("desk_", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/metrics")).StatusCode);
        var scraped = await scraper.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        Assert.Contains("desk_outbox_depth", await scraped.Content.ReadAsStringAsync());
    }

    /// <summary>The value of the first sample of <paramref name="metric"/> whose labels contain <paramref name="label"/>.</summary>
    private static double Value(string text, string metric, string label = "")
    {
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(metric, StringComparison.Ordinal)
            && (l.Length > metric.Length && l[metric.Length] is '{' or ' ') && l.Contains(label, StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"No {metric} {label} in:\n{text}");
        var sample = line[(line.LastIndexOf('}') + 1)..].Trim(); // "value" or "value timestamp"
        if (!line.Contains('}')) sample = line[metric.Length..].Trim();
        return double.Parse(sample.Split(' ')[0], CultureInfo.InvariantCulture);
    }

    public sealed class MetricsDesk : DeskWebFactory
    {
        public override int DemoTickets => 10;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Desk:Metrics:ScrapeToken", Token);
            // The exporter reuses an answer for 300 ms: a test's scrape right after another's would read the earlier one.
            builder.ConfigureServices(services => services.Configure<OpenTelemetry.Exporter.PrometheusAspNetCoreOptions>(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        }
    }
}

/// <summary>Tests that must be the only desk in the test process: they run after the parallel ones, one at a time.</summary>
[CollectionDefinition(nameof(OneDeskInProcess), DisableParallelization = true)]
public sealed class OneDeskInProcess;

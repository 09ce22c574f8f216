using System.Diagnostics.Metrics;
using Desk.Web.Data;
using Desk.Web.Email.Intake;
using Desk.Web.Email.Outbound;
using Desk.Web.Features.Reports;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Operations;

/// <summary>
/// The desk's own meters (meter <see cref="MeterName"/>), beside ASP.NET Core's and HttpClient's: mails taken in by
/// outcome (a counter this desk adds to), and gauges read from the database — the outbox's depth, each mail source's
/// poll lag, the customers whose report rows wait to be rebuilt. The gauges describe the whole database, so every desk
/// reports the same values; they are read at most once per <see cref="ReadEvery"/> (three small indexed reads), however
/// often Prometheus scrapes.
/// </summary>
public sealed class DeskMeters
{
    public const string MeterName = "Desk";

    /// <summary>How long a reading of the gauges is reused.</summary>
    public static readonly TimeSpan ReadEvery = TimeSpan.FromSeconds(10);

    private readonly Counter<long> _mailsTaken;
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _clock;
    private readonly ILogger<DeskMeters> _log;
    private readonly Lock _reading = new();
    private Reading? _last;

    public DeskMeters(IMeterFactory meters, IServiceScopeFactory scopes, TimeProvider clock, ILogger<DeskMeters> log)
    {
        _scopes = scopes;
        _clock = clock;
        _log = log;
        var meter = meters.Create(MeterName);
        _mailsTaken = meter.CreateCounter<long>("desk.mail.taken", "{mail}",
            "Mails taken in by this desk, by outcome (opened, added, robot, own, duplicate, quarantined).");
        meter.CreateObservableGauge("desk.outbox.depth", () => Read().OutboxDepth, "{mail}", "Mails in the outbox waiting to be sent.");
        meter.CreateObservableGauge("desk.mail.poll_lag", () => Read().PollLag.Select(s => new Measurement<double>(s.Seconds,
            new KeyValuePair<string, object?>("source", s.Source))), "s", "Seconds since each mail source's last successful poll.");
        meter.CreateObservableGauge("desk.reports.backlog", () => Read().ReportBacklog, "{customer}",
            "Customers whose report rows wait to be rebuilt.");
    }

    /// <summary>Counts mails a source handed to intake, by what became of each.</summary>
    public void Taken(IEnumerable<IntakeResult> results)
    {
        foreach (var outcome in results.GroupBy(r => r.Outcome))
            _mailsTaken.Add(outcome.Count(), new KeyValuePair<string, object?>("outcome", outcome.Key.ToString().ToLowerInvariant()));
    }

    private sealed record Reading(long At, long OutboxDepth, long ReportBacklog, IReadOnlyList<(string Source, double Seconds)> PollLag);

    /// <summary>The last reading when fresh, else a new one (one scrape reads; concurrent ones wait for it).</summary>
    private Reading Read()
    {
        lock (_reading)
        {
            if (_last is { } last && System.Diagnostics.Stopwatch.GetElapsedTime(last.At) < ReadEvery) return last;
            try
            {
                return _last = ReadAsync().GetAwaiter().GetResult(); // the exporter's callbacks are synchronous
            }
            catch (Exception e)
            {
                // The database is away: /healthz/ready says so; the metrics keep the last values rather than fail the scrape.
                _log.LogWarning("Could not read the desk's gauges ({Error}).", e.Message);
                return _last ?? new Reading(System.Diagnostics.Stopwatch.GetTimestamp(), 0, 0, []);
            }
        }
    }

    private async Task<Reading> ReadAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var ct = timeout.Token;
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskDbContext>();
        var outbox = await db.OutboundMails.CountAsync(m => m.State == OutboundState.Queued, ct);
        var backlog = await ReportOutcomes.BacklogAsync(db, ct);
        var now = _clock.GetUtcNow().UtcDateTime;
        var sources = await scope.ServiceProvider.GetRequiredService<MailStatus>().SourcesAsync(ct);
        var lag = sources.Select(s => (s.Source, Math.Max(0, (now - (s.LastSuccessAt ?? s.PolledSince ?? now)).TotalSeconds))).ToList();
        return new Reading(System.Diagnostics.Stopwatch.GetTimestamp(), outbox, backlog, lag);
    }
}

using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Desk.Web.Health;

/// <summary>
/// The database can be read (a migrated table has rows) and written: a desk that can show pages but not save a
/// complaint is not healthy, whether the file is read-only, the disk is full or PostgreSQL is read-only. The write is
/// probed at most once per <see cref="WriteProbe.Every"/> per desk (<see cref="WriteProbe"/>): /healthz is open to anyone,
/// and a write on every call let a loop of requests hold SQLite's write gate against the agents (99 probes a second
/// took it whole).
/// </summary>
internal sealed class DatabaseHealthCheck(DeskDbContext db, WriteProbe probe) : IHealthCheck
{
    private static readonly TimeSpan GateWait = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
    {
        var failed = context.Registration.FailureStatus;
        try
        {
            if (!await db.SlaTargets.AnyAsync(ct)) return new HealthCheckResult(failed, "The database is empty or not migrated.");
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            return new HealthCheckResult(failed, "The database cannot be read.", e);
        }
        if (probe.Recent() is { } known) return known;
        var result = await ProbeWriteAsync(failed, ct);
        probe.Remember(result);
        return result;
    }

    private async Task<HealthCheckResult> ProbeWriteAsync(HealthStatus failed, CancellationToken ct)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(GateWait);
        WriteTransaction write;
        try
        {
            write = await db.BeginWriteAsync(wait.Token); // SQLite's write gate: the probe queues behind the desk's own writes
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // A long write (a large import) holds the gate: the database is working, not broken; a balancer keeps the desk.
            return HealthCheckResult.Degraded("The database is busy with a long write; its writability was not checked this time.");
        }
        catch (Exception e) when (!ct.IsCancellationRequested) // the caller hanging up says nothing about the database
        {
            return new HealthCheckResult(failed, "The database is unwritable (read-only or full): the desk cannot save.", e);
        }
        try
        {
            await using (write)
            {
                await db.Database.ExecuteSqlAsync(WriteProbeSql.Touch, ct);
                await write.CommitAsync(ct);
            }
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            return new HealthCheckResult(failed, "The database is unwritable (read-only or full): the desk cannot save.", e);
        }
        return HealthCheckResult.Healthy();
    }
}

/// <summary>The last write probe's answer, reused for <see cref="Every"/> (per desk process).</summary>
public sealed class WriteProbe
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(5);

    private volatile Answer? _last; // a reference: read and replaced whole by concurrent calls

    public HealthCheckResult? Recent() =>
        _last is { } last && System.Diagnostics.Stopwatch.GetElapsedTime(last.At) < Every ? last.Result : null;

    public void Remember(HealthCheckResult result) => _last = new Answer(result, System.Diagnostics.Stopwatch.GetTimestamp());

    /// <summary>Forgets the last answer: the next call probes (for tests that change the database under a desk).</summary>
    public void Forget() => _last = null;

    private sealed record Answer(HealthCheckResult Result, long At);
}

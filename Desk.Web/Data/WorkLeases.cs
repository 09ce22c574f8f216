using Microsoft.Extensions.Options;

namespace Desk.Web.Data;

/// <summary>
/// A turn at work that one desk at a time must do (a mailbox's poller, the follow-up scheduler, the reports' refresher,
/// the loyalty run), held until disposed. PostgreSQL holds it as a session advisory lock on a connection of its own, so
/// a desk that dies — killed, or cut off from the database — loses it with its connection and another desk takes over;
/// SQLite, where one process is the supported setup, holds it in the process.
/// </summary>
public interface IWorkLease : IAsyncDisposable
{
    /// <summary>The work this lease is for.</summary>
    string Work { get; }

    /// <summary>Cancelled when the lease is lost (its connection dropped): the holder must stop, another desk may be doing the work now.</summary>
    CancellationToken Lost { get; }
}

/// <summary>The lease settings (<c>Desk:Leases</c>).</summary>
public sealed class WorkLeaseOptions
{
    public const string Section = "Desk:Leases";

    /// <summary>
    /// How often a desk that does not hold a lease tries to take it, and how often a holder checks it still does: a desk
    /// that dies is replaced within about this long.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(0.05, 300)]
    public double CheckSeconds { get; set; } = 2;

    public TimeSpan CheckEvery => TimeSpan.FromSeconds(CheckSeconds);
}

/// <summary>
/// Runs background work that must be done once however many desks share the database: each desk offers to do it, the
/// one holding the work's lease does it, and when that one stops or dies another takes the lease over within
/// <see cref="WorkLeaseOptions.CheckSeconds"/>.
/// </summary>
public sealed class WorkLeases(IDeskDatabaseProvider provider, IOptions<DeskDatabaseOptions> database, IOptions<WorkLeaseOptions> options,
    IHostEnvironment environment, ILogger<WorkLeases> log)
{
    private string ConnectionString => provider.Resolve(database.Value.ConnectionString, environment.ContentRootPath);

    /// <summary>The lease on <paramref name="work"/> when no desk holds it, else null at once.</summary>
    public Task<IWorkLease?> TryTakeAsync(string work, CancellationToken ct) =>
        provider.TryTakeLeaseAsync(ConnectionString, work, options.Value.CheckEvery, ct);

    /// <summary>The lease on <paramref name="work"/>, waiting for the desk that holds it to let go (start-up: one desk migrates at a time).</summary>
    public async Task<IWorkLease> TakeAsync(string work, CancellationToken ct)
    {
        while (true)
        {
            if (await TryTakeAsync(work, ct) is { } lease) return lease;
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(250, options.Value.CheckEvery.TotalMilliseconds)), ct);
        }
    }

    /// <summary>
    /// Runs <paramref name="run"/> whenever this desk holds the lease on <paramref name="work"/>, until
    /// <paramref name="stopping"/>: its token is cancelled when the desk stops or the lease is lost, and it is run again
    /// once the lease is back. A failure to reach the database is logged and the lease tried again.
    /// </summary>
    public async Task RunWhileHeldAsync(string work, Func<CancellationToken, Task> run, CancellationToken stopping)
    {
        var waiting = false;
        while (!stopping.IsCancellationRequested)
        {
            IWorkLease? lease = null;
            try
            {
                lease = await TryTakeAsync(work, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogWarning("Could not ask for the lease on {Work} ({Error}); asking again shortly.", work, e.Message);
            }
            if (lease is null)
            {
                if (!waiting) log.LogInformation("{Work}: another desk is doing it; this one takes over if that one stops.", work);
                waiting = true;
                try { await Task.Delay(options.Value.CheckEvery, stopping); }
                catch (OperationCanceledException) { return; }
                continue;
            }

            await using (lease)
            {
                if (waiting) log.LogInformation("{Work}: this desk took it over.", work);
                waiting = false;
                using var turn = CancellationTokenSource.CreateLinkedTokenSource(stopping, lease.Lost);
                try
                {
                    await run(turn.Token);
                }
                catch (OperationCanceledException) when (turn.IsCancellationRequested)
                {
                }
                if (lease.Lost.IsCancellationRequested && !stopping.IsCancellationRequested)
                    log.LogWarning("{Work}: the lease was lost (the database connection dropped); this desk stops it and asks again.", work);
            }
            if (!stopping.IsCancellationRequested && !lease.Lost.IsCancellationRequested)
            {
                // The work ended by itself (it is off): nothing more to do here.
                return;
            }
        }
    }
}

using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Desk.Web.Health;

/// <summary>
/// The database can be read (a migrated table has rows) and written: a desk that can show pages but not save a
/// complaint is not healthy, whether the file is read-only, the disk is full or PostgreSQL is read-only.
/// </summary>
internal sealed class DatabaseHealthCheck(DeskDbContext db) : IHealthCheck
{
    private static readonly TimeSpan GateWait = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
    {
        var failed = context.Registration.FailureStatus;
        try
        {
            if (!await db.SlaTargets.AnyAsync(ct)) return new HealthCheckResult(failed, "The database is empty or not migrated.");
        }
        catch (Exception e)
        {
            return new HealthCheckResult(failed, "The database cannot be read.", e);
        }
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
        catch (Exception e)
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
        catch (Exception e)
        {
            return new HealthCheckResult(failed, "The database is unwritable (read-only or full): the desk cannot save.", e);
        }
        return HealthCheckResult.Healthy();
    }
}

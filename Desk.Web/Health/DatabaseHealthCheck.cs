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
        try
        {
            await using var write = await db.BeginWriteAsync(ct); // SQLite's write gate: the probe queues behind the desk's own writes
            await db.Database.ExecuteSqlAsync(WriteProbeSql.Touch, ct);
            await write.CommitAsync(ct);
        }
        catch (Exception e)
        {
            return new HealthCheckResult(failed, "The database is unwritable (read-only or full): the desk cannot save.", e);
        }
        return HealthCheckResult.Healthy();
    }
}

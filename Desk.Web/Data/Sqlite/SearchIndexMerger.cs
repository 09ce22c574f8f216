using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Desk.Web.Data.Sqlite;

/// <summary>
/// Merges the search index's segments in the background (see <see cref="TicketSearchSql.MergeInTheBackground"/>):
/// every half second, small steps of at most <see cref="PagesPerStep"/> pages, each in a write transaction of its own
/// behind the file's write gate, so an agent's note waits at most one small step rather than a whole merge. It
/// stops as soon as FTS5 finds nothing worth merging, so an idle desk does nothing.
/// </summary>
public sealed class SearchIndexMerger(IServiceScopeFactory scopes, ILogger<SearchIndexMerger> log) : BackgroundService
{
    /// <summary>About 200 KB written per step: a few milliseconds.</summary>
    public const int PagesPerStep = 50;

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using (var scope = scopes.CreateScope())
            if (scope.ServiceProvider.GetRequiredService<DeskDbContext>().Provider.Kind != DatabaseProvider.Sqlite) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, stoppingToken);
                var steps = await MergeAsync(stoppingToken);
                if (steps > 0) log.LogDebug("Search index: {Steps} merge steps.", steps);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A busy or locked file, a full disk: searches still work on unmerged segments; try again later.
                log.LogWarning("Search index merge failed ({Error}); trying again shortly.", e.Message);
                try { await Task.Delay(TimeSpan.FromSeconds(10), stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>Merges until nothing is left worth merging or <paramref name="maxSteps"/> steps are done; returns the steps that merged something.</summary>
    public async Task<int> MergeAsync(CancellationToken ct, int maxSteps = 200)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskDbContext>();
        await db.Database.OpenConnectionAsync(ct); // total_changes() counts per connection
        var steps = 0;
        while (steps < maxSteps)
        {
            long changed;
            await using (var transaction = await db.BeginWriteAsync(ct))
            {
                var before = await TotalChangesAsync(db, ct);
                await db.Database.ExecuteSqlRawAsync(TicketSearchSql.MergeStep(PagesPerStep), ct);
                changed = await TotalChangesAsync(db, ct) - before;
                await transaction.CommitAsync(ct);
            }
            if (changed < 2) break; // FTS5: nothing was merged
            steps++;
        }
        return steps;
    }

    private static async Task<long> TotalChangesAsync(DeskDbContext db, CancellationToken ct)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = "SELECT total_changes();";
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }
}

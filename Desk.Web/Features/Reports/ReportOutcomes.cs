using Desk.Web.Data;

namespace Desk.Web.Features.Reports;

/// <summary>
/// Keeps the reports' outcome tables (<see cref="ReportOutcomesSql"/>) current. Every report calls
/// <see cref="RefreshAsync"/> first, so it never reads a row older than the data: usually nothing is marked and the
/// check is one read; after an agent's change, that customer's rows are rewritten in a few milliseconds. The
/// background <see cref="ReportOutcomesRefresher"/> works through large marks (an import, a new repurchase window)
/// in batches, so a manager rarely waits and an agent's write waits at most one batch.
/// </summary>
public static class ReportOutcomes
{
    private static readonly TimeSpan Year = TimeSpan.FromDays(365);

    /// <summary>Brings every marked customer's rows up to date (all of them in one write). Returns the customers rewritten.</summary>
    public static Task<long> RefreshAsync(DeskDbContext db, CancellationToken ct) => RefreshAsync(db, batch: null, ct);

    /// <summary>
    /// Rewrites at most <paramref name="batch"/> marked customers (null: all) in one write transaction behind the
    /// file's write gate; inside a transaction already open on <paramref name="db"/>, in that one. Returns how many
    /// customers were rewritten (0 when nothing was out of date).
    /// </summary>
    public static async Task<long> RefreshAsync(DeskDbContext db, int? batch, CancellationToken ct)
    {
        var settings = await ReportSql.SettingsAsync(db, ct);
        var parameters = new Dictionary<string, object?>
        {
            ["$window"] = settings.RepurchaseWindow, ["$year"] = Year, ["$batch"] = batch ?? 0, ["$upto"] = null,
        };
        if (!await ScalarAsync(db, ReportOutcomesSql.NeedsRefresh, parameters, ct)) return 0;

        if (db.Database.CurrentTransaction is not null) return await RewriteAsync(db, batch, parameters, ct);
        await using var write = await db.BeginWriteAsync(ct);
        var rewritten = await RewriteAsync(db, batch, parameters, ct);
        await write.CommitAsync(ct);
        return rewritten;
    }

    private static async Task<long> RewriteAsync(DeskDbContext db, int? batch, Dictionary<string, object?> parameters, CancellationToken ct)
    {
        // Checked again inside the write: another refresh may have done the work while this one waited for the gate.
        if (!await ScalarAsync(db, ReportOutcomesSql.NeedsRefresh, parameters, ct)) return 0;
        await using (var rebuild = await ReportSql.CommandAsync(db, """SELECT (SELECT "WindowMs" FROM "OutcomesState") IS NOT $window""", parameters, ct))
        {
            if (Convert.ToInt64(await rebuild.ExecuteScalarAsync(ct)) != 0)
                await ExecuteAsync(db, ReportOutcomesSql.StartRebuild, parameters, ct);
        }
        if (batch is not null)
        {
            await using var end = await ReportSql.CommandAsync(db, ReportOutcomesSql.BatchEnd, parameters, ct);
            parameters["$upto"] = await end.ExecuteScalarAsync(ct) is long upto ? upto : null;
        }
        await using (var count = await ReportSql.CommandAsync(db,
            """SELECT COUNT(*) FROM "OutcomesDirty" WHERE $upto IS NULL OR "CustomerId" <= $upto""", parameters, ct))
        {
            var customers = Convert.ToInt64(await count.ExecuteScalarAsync(ct));
            await ExecuteAsync(db, ReportOutcomesSql.Refresh, parameters, ct);
            return customers;
        }
    }

    private static async Task<bool> ScalarAsync(DeskDbContext db, string sql, IReadOnlyDictionary<string, object?> parameters, CancellationToken ct)
    {
        await using var command = await ReportSql.CommandAsync(db, sql, parameters, ct);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct)) != 0;
    }

    private static async Task ExecuteAsync(DeskDbContext db, string sql, IReadOnlyDictionary<string, object?> parameters, CancellationToken ct)
    {
        await using var command = await ReportSql.CommandAsync(db, sql, parameters, ct);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>
/// Works through marked customers in the background, <see cref="Batch"/> at a time, each batch its own write: after an
/// import of a million orders the reports' tables catch up without holding the write gate for long.
/// </summary>
public sealed class ReportOutcomesRefresher(IServiceScopeFactory scopes, ILogger<ReportOutcomesRefresher> log) : BackgroundService
{
    public const int Batch = 2_000;

    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, stoppingToken);
                long total = 0, step;
                var started = System.Diagnostics.Stopwatch.StartNew();
                do
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<DeskDbContext>();
                    step = await ReportOutcomes.RefreshAsync(db, Batch, stoppingToken);
                    total += step;
                    if (step > 0 && started.Elapsed > TimeSpan.FromSeconds(10))
                    {
                        log.LogInformation("Report outcomes: {Customers} customers brought up to date so far.", total);
                        started.Restart();
                    }
                }
                while (step > 0 && !stoppingToken.IsCancellationRequested);
                if (total > 0) log.LogDebug("Report outcomes: {Customers} customers brought up to date.", total);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A busy file or a full disk: the reports refresh for themselves; try again later.
                log.LogWarning("Report outcomes refresh failed ({Error}); trying again shortly.", e.Message);
                try { await Task.Delay(TimeSpan.FromSeconds(10), stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }
}

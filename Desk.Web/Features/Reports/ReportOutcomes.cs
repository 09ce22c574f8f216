using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Desk.Domain.Loyalty;
using Desk.Domain.Recovery;
using Desk.Web.Data;

namespace Desk.Web.Features.Reports;

/// <summary>
/// Keeps the reports' outcome tables (<see cref="ReportDialect"/>, each provider's through <see cref="IDeskDatabaseProvider.Reports"/>) current. Every report calls
/// <see cref="RefreshAsync"/> first, so it never reads a row older than the data: usually nothing is marked and the
/// check is one read; after an agent's change, that customer's rows are rewritten in a few milliseconds. The
/// background <see cref="ReportOutcomesRefresher"/> works through large marks (an import, a new repurchase window)
/// in batches, so a manager rarely waits and an agent's write waits at most one batch.
/// </summary>
public static class ReportOutcomes
{
    private static readonly TimeSpan Year = TimeSpan.FromDays(365);

    private static readonly LoyaltyThresholds Defaults = new();

    /// <summary>How far the rollups may lag behind the clock before a report moves them on (the rows in between are read live).</summary>
    public static readonly TimeSpan AdvanceEvery = TimeSpan.FromHours(1);

    /// <summary>
    /// Brings every marked customer's rows up to date and, when they lag by more than <see cref="AdvanceEvery"/>, moves
    /// the rollups on to <paramref name="now"/>. Returns the rollups' cutoff: rows settled by then are in the rollups,
    /// the others are read live; null when a report must read everything live (no cutoff, or a clock before it).
    /// </summary>
    public static async Task<long?> PrepareAsync(DeskDbContext db, DateTime now, CancellationToken ct, LoyaltyThresholds? thresholds = null) =>
        (await PrepareWithSettingsAsync(db, now, ct, thresholds)).Cutoff;

    /// <summary>
    /// <see cref="PrepareAsync"/>, then a read transaction for the report's statements: the rollups and the cutoff they
    /// were built to are read from one snapshot, so a refresh moving the rollups on meanwhile cannot count a row twice.
    /// </summary>
    public static async Task<ReportRead> ReadAsync(DeskDbContext db, DateTime now, CancellationToken ct, LoyaltyThresholds? thresholds = null)
    {
        var (_, settings) = await PrepareWithSettingsAsync(db, now, ct, thresholds);
        var read = await ReportRead.BeginAsync(db, settings, ct);
        await using var command = await ReportSql.CommandAsync(db, ReportDialect.Cutoff, new Dictionary<string, object?>(), ct);
        read.Cutoff = Usable(await command.ExecuteScalarAsync(ct) as long?, now);
        return read;
    }

    /// <summary><see cref="PrepareAsync"/>, with the recovery settings it read (a report needs them too: one read fewer).</summary>
    public static async Task<(long? Cutoff, RecoverySettings Settings)> PrepareWithSettingsAsync(DeskDbContext db, DateTime now, CancellationToken ct,
        LoyaltyThresholds? thresholds = null)
    {
        var settings = await ReportSql.SettingsAsync(db, ct);
        return (await CutoffAsync(db, now, settings, ct, thresholds), settings);
    }

    private static async Task<long?> CutoffAsync(DeskDbContext db, DateTime now, RecoverySettings settings, CancellationToken ct,
        LoyaltyThresholds? thresholds = null)
    {
        var (_, cutoff, known) = await RefreshCoreAsync(db, now, batch: null, ct, settings, thresholds);
        if (known) return Usable(cutoff, now);
        await using var command = await ReportSql.CommandAsync(db, ReportDialect.Cutoff, new Dictionary<string, object?>(), ct);
        return Usable(await command.ExecuteScalarAsync(ct) as long?, now);
    }

    private static long? Usable(long? cutoff, DateTime now) => cutoff is { } c && c <= StoredValues.UnixMilliseconds(now) ? c : null;

    /// <summary>
    /// Rewrites at most <paramref name="batch"/> marked customers (null: all) in one write transaction behind the
    /// provider's write gate (inside a transaction already open on <paramref name="db"/>, in that one), one refresh at a
    /// time however many desks share the database, then moves the rollups on if they lag. Returns how many customers
    /// were rewritten (0 when nothing was out of date).
    /// </summary>
    public static async Task<long> RefreshAsync(DeskDbContext db, DateTime now, int? batch, CancellationToken ct, LoyaltyThresholds? thresholds = null) =>
        (await RefreshCoreAsync(db, now, batch, ct, await ReportSql.SettingsAsync(db, ct), thresholds)).Rewritten;

    /// <summary>The refresh; when nothing was out of date, the cutoff the check read with it (one query for both).</summary>
    private static async Task<(long Rewritten, long? Cutoff, bool CutoffKnown)> RefreshCoreAsync(DeskDbContext db, DateTime now, int? batch,
        CancellationToken ct, RecoverySettings settings, LoyaltyThresholds? thresholds = null)
    {
        var parameters = new Dictionary<string, object?>
        {
            ["@window"] = settings.RepurchaseWindow, ["@major"] = settings.MajorLossAmount, ["@year"] = Year,
            ["@now"] = StoredValues.UnixMilliseconds(now) - (long)AdvanceEvery.TotalMilliseconds, ["@batch"] = batch ?? 0, ["@upto"] = null,
            // The loyalty class kept on each complaint follows the three faces report's thresholds; the others leave them be.
            ["@highLoyalty"] = thresholds?.HighLoyaltyMinScore, ["@highSales"] = thresholds?.HighSalesMinScore,
            ["@defaultHighLoyalty"] = Defaults.HighLoyaltyMinScore, ["@defaultHighSales"] = Defaults.HighSalesMinScore,
        };
        await using (var check = await ReportSql.CommandAsync(db, ReportDialect.NeedsRefreshAndCutoff, parameters, ct))
        await using (var reader = await check.ExecuteReaderAsync(ct))
        {
            if (await reader.ReadAsync(ct) && !reader.GetBoolean(0)) return (0, reader.IsDBNull(1) ? null : reader.GetInt64(1), true);
        }

        if (db.Database.CurrentTransaction is not null) return (await RewriteAsync(db, now, batch, parameters, ct), null, false);
        await using var write = await db.BeginWriteAsync(ct);
        var rewritten = await RewriteAsync(db, now, batch, parameters, ct);
        await write.CommitAsync(ct);
        return (rewritten, null, false);
    }

    private static async Task<long> RewriteAsync(DeskDbContext db, DateTime now, int? batch, Dictionary<string, object?> parameters, CancellationToken ct)
    {
        var sql = db.Provider.Reports;
        // One refresh at a time (SQLite: the write gate already saw to it), then checked again: another refresh may have
        // done the work while this one waited.
        if (sql.Exclusive("ReportOutcomes") is { } exclusive) await ExecuteAsync(db, exclusive, parameters, ct);
        if (!await ScalarAsync(db, ReportDialect.NeedsRefresh, parameters, ct)) return 0;
        await using (var newest = await ReportSql.CommandAsync(db, ReportDialect.NewestOrder, parameters, ct))
            parameters["@newest"] = Convert.ToInt64(await newest.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        if (await ScalarAsync(db, ReportDialect.NeedsRebuild, parameters, ct)) await ExecuteAsync(db, ReportDialect.StartRebuild, parameters, ct);
        else await ExecuteAsync(db, ReportDialect.MarkNewOrders, parameters, ct);
        await using (var state = await ReportSql.CommandAsync(db, ReportDialect.MarkFromAndCutoff, parameters, ct))
        await using (var row = await state.ExecuteReaderAsync(ct))
        {
            await row.ReadAsync(ct);
            parameters["@markFrom"] = row.IsDBNull(0) ? null : row.GetInt64(0);
            parameters["@cutoff"] = row.IsDBNull(1) ? null : row.GetInt64(1);
        }
        // A rebuild marks its customers a slice at a time (all that are left when the caller takes everything).
        if (parameters["@markFrom"] is not null)
        {
            parameters["@markTo"] = null;
            if (batch is > 0)
            {
                await using var end = await ReportSql.CommandAsync(db, ReportDialect.MarkEnd, parameters, ct);
                parameters["@markTo"] = await end.ExecuteScalarAsync(ct) is long markTo ? markTo : null;
            }
            await ExecuteAsync(db, ReportDialect.MarkNext, parameters, ct);
        }
        if (batch is not null)
        {
            await using var end = await ReportSql.CommandAsync(db, ReportDialect.BatchEnd, parameters, ct);
            parameters["@upto"] = await end.ExecuteScalarAsync(ct) is long upto ? upto : null;
        }
        long customers;
        if (sql.ClaimMarked is { } claim)
        {
            await using var claiming = await ReportSql.CommandAsync(db, claim, parameters, ct);
            customers = await claiming.ExecuteNonQueryAsync(ct);
        }
        else
        {
            await using var count = await ReportSql.CommandAsync(db, ReportDialect.CountMarked, parameters, ct);
            customers = Convert.ToInt64(await count.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        }
        if (customers > 0) await ExecuteAsync(db, sql.Refresh, parameters, ct);

        // Moved on only once every customer is up to date: the rollups add up settled rows as they are.
        if (!await ScalarAsync(db, ReportDialect.AnyMarked, parameters, ct))
        {
            var at = StoredValues.UnixMilliseconds(now);
            if (parameters["@cutoff"] is not long cutoff || at - cutoff > (long)AdvanceEvery.TotalMilliseconds)
            {
                parameters["@now"] = at;
                await ExecuteAsync(db, sql.Advance, parameters, ct);
                if (parameters["@cutoff"] is null) await ExecuteAsync(db, ReportDialect.Analyze, parameters, ct);
            }
        }
        return customers;
    }

    /// <summary>
    /// How many customers' rows wait to be brought up to date: every customer when the rows were built for other settings,
    /// else the marked ones and those with new orders. Cheap when nothing waits (one read).
    /// </summary>
    public static async Task<long> BacklogAsync(DeskDbContext db, CancellationToken ct, LoyaltyThresholds? thresholds = null)
    {
        var settings = await ReportSql.SettingsAsync(db, ct);
        var parameters = new Dictionary<string, object?>
        {
            ["@window"] = settings.RepurchaseWindow, ["@major"] = settings.MajorLossAmount,
            ["@highLoyalty"] = thresholds?.HighLoyaltyMinScore, ["@highSales"] = thresholds?.HighSalesMinScore,
            ["@now"] = long.MinValue, // the cutoff's lag is no backlog
        };
        if (!await ScalarAsync(db, ReportDialect.NeedsRefresh, parameters, ct)) return 0;
        await using var command = await ReportSql.CommandAsync(db, ReportDialect.Backlog, parameters, ct);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<bool> ScalarAsync(DeskDbContext db, string sql, IReadOnlyDictionary<string, object?> parameters, CancellationToken ct)
    {
        await using var command = await ReportSql.CommandAsync(db, sql, parameters, ct);
        return Convert.ToBoolean(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture); // 0/1 on SQLite, boolean on PostgreSQL
    }

    private static async Task ExecuteAsync(DeskDbContext db, string sql, IReadOnlyDictionary<string, object?> parameters, CancellationToken ct)
    {
        await using var command = await ReportSql.CommandAsync(db, sql, parameters, ct);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>
/// A report's read transaction, one snapshot for all its reads (<see cref="IDeskDatabaseProvider.BeginSnapshotAsync"/>); none when the context is in a transaction already, which then serves. Rolled back on dispose.
/// </summary>
public sealed class ReportRead : IAsyncDisposable
{
    private readonly DeskDbContext _db;
    private readonly System.Data.Common.DbTransaction? _transaction;

    private ReportRead(DeskDbContext db, RecoverySettings settings, System.Data.Common.DbTransaction? transaction) =>
        (_db, Settings, _transaction) = (db, settings, transaction);

    /// <summary>The recovery settings the rows were brought up to date for.</summary>
    public RecoverySettings Settings { get; }

    /// <summary>The rollups' cutoff as this snapshot sees it (null: read everything live).</summary>
    public long? Cutoff { get; internal set; }

    internal static async Task<ReportRead> BeginAsync(DeskDbContext db, RecoverySettings settings, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is not null) return new ReportRead(db, settings, null);
        await db.Database.OpenConnectionAsync(ct);
        var transaction = await db.Provider.BeginSnapshotAsync(db.Database.GetDbConnection(), ct);
        await db.Database.UseTransactionAsync(transaction, ct);
        return new ReportRead(db, settings, transaction);
    }

    public async ValueTask DisposeAsync()
    {
        if (_transaction is null) return;
        await _db.Database.UseTransactionAsync(null);
        await _transaction.DisposeAsync();
        await _db.Database.CloseConnectionAsync();
    }
}

/// <summary>
/// Works through marked customers in the background, a slice at a time, each slice its own short write: after an import
/// of a million orders, or a change of the repurchase window that rebuilds every row, the reports' tables catch up
/// while agents write between the slices. A slice is sized to take about <see cref="SliceTarget"/>: an agent's note that
/// arrives during one waits at most that long for the write gate (SQLite), and the slice's row locks are as short on
/// PostgreSQL. Fixed 2,000-customer batches took 300–500 ms each at a million tickets, and every note waited behind one.
/// </summary>
public sealed class ReportOutcomesRefresher(IServiceScopeFactory scopes, TimeProvider clock, IOptions<ReportsOptions> options,
    IOptions<LoyaltyThresholds> thresholds, WorkLeases leases, ILogger<ReportOutcomesRefresher> log) : BackgroundService
{
    /// <summary>The most customers in one slice (and the first slice's size is <see cref="FirstSlice"/>).</summary>
    public const int Batch = 2_000;

    /// <summary>The size of a first slice, before the refresher has timed one.</summary>
    public const int FirstSlice = 50;

    /// <summary>How long a slice should take on SQLite: short enough that a writer waiting at the gate hardly notices it.</summary>
    public static readonly TimeSpan SliceTarget = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// How long a slice should take on PostgreSQL, where no writer waits for it (it locks only its own customers' marks) and
    /// each statement is a round trip: at 5 ms slices shrank to 10 customers and a million took half an hour.
    /// </summary>
    public static readonly TimeSpan PostgresSliceTarget = TimeSpan.FromMilliseconds(50);

    /// <summary>The slice target on <paramref name="kind"/>.</summary>
    public static TimeSpan SliceTargetOn(DatabaseProvider kind) => kind == DatabaseProvider.Postgres ? PostgresSliceTarget : SliceTarget;

    /// <summary>
    /// The next slice's size after <paramref name="size"/> customers took <paramref name="took"/>: scaled toward
    /// <paramref name="target"/> (<see cref="SliceTarget"/> when not given), at most doubled or halved at a time (one slow slice from a busy disk does not shrink it
    /// to nothing), between 10 and <see cref="Batch"/>.
    /// </summary>
    public static int NextSlice(int size, long customers, TimeSpan took, TimeSpan? target = null)
    {
        if (customers < size) return size; // a short last slice says nothing about the rate
        var scaled = took <= TimeSpan.Zero ? size * 2.0 : size * ((target ?? SliceTarget) / took);
        return (int)Math.Clamp(Math.Clamp(scaled, size / 2.0, size * 2.0), 10, Batch);
    }

    /// <summary>
    /// Whether the background work is happening: on, and its last round did not fail. Reports only say they are catching
    /// up while it is; otherwise they bring the rows up to date themselves (and a failure shows as the error it is).
    /// </summary>
    public bool CatchingUp => options.Value.RefreshInBackground && !Failing;

    private volatile bool _failing;

    private int _slice = FirstSlice; // only the lease holder's loop reads and writes it

    private bool Failing { get => _failing; set => _failing = value; }

    /// <summary>On every desk; the one holding the refresher's lease does the work, and another takes over when it dies.</summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.RefreshInBackground ? leases.RunWhileHeldAsync("report outcomes refresher", RefreshLoopAsync, stoppingToken) : Task.CompletedTask;

    private async Task RefreshLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(options.Value.RefreshIntervalSeconds), stoppingToken);
                long total = 0, step;
                var started = System.Diagnostics.Stopwatch.StartNew();
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<DeskDbContext>();
                int size;
                do
                {
                    var slice = System.Diagnostics.Stopwatch.StartNew();
                    size = _slice;
                    step = await ReportOutcomes.RefreshAsync(db, clock.GetUtcNow().UtcDateTime, size, stoppingToken, thresholds.Value);
                    _slice = NextSlice(size, step, slice.Elapsed, SliceTargetOn(db.Provider.Kind));
                    db.ChangeTracker.Clear();
                    total += step;
                    // The gate's waiters queue in order: a writer that came during the slice goes before the next one.
                    if (step > 0) await Task.Yield();
                    if (step > 0 && started.Elapsed > TimeSpan.FromSeconds(10))
                    {
                        log.LogInformation("Report outcomes: {Customers} customers brought up to date so far.", total);
                        started.Restart();
                    }
                }
                // A slice that found fewer than it could take has caught up: what intake marks from now on waits for the next
                // round, a few customers a slice rather than one slice per complaint, each paying the refresh's fixed cost.
                while (step >= size && !stoppingToken.IsCancellationRequested);
                if (total > 0) log.LogDebug("Report outcomes: {Customers} customers brought up to date.", total);
                Failing = false;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A busy file or a full disk: the reports refresh for themselves; try again later.
                log.LogWarning("Report outcomes refresh failed ({Error}); trying again shortly.", e.Message);
                Failing = true;
                try { await Task.Delay(TimeSpan.FromSeconds(10), stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }
}

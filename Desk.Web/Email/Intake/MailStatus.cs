using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Desk.Web.Email.Intake;

/// <summary>
/// How each mail source's polling goes, for /healthz and the admin page, which report a poller that stopped. Kept in
/// the database (<see cref="MailSourceState"/>), so every desk behind a load balancer reports the same: the one holding a
/// source's lease writes, all read. The poller's calls (<see cref="Expect"/>, <see cref="Succeeded"/>,
/// <see cref="Failed"/>) never wait for the database: they note the news here and a writer of this class's own stores
/// it — at once when the state changes (polling began, a failure, a recovery, IDLE on or off), otherwise at most once
/// every <see cref="WriteEvery"/> per source, so a busy intake costs no more than a row update every few seconds. A source
/// whose desk died is not written any more and turns stale after <see cref="MailOptions.StaleAfterMinutes"/>.
/// </summary>
public sealed class MailStatus(TimeProvider clock, IServiceScopeFactory scopes, IOptions<MailOptions> options, ILogger<MailStatus> log)
    : BackgroundService
{
    /// <summary>How often a source's unchanged news (another good poll, mails taken) is written at most.</summary>
    public static readonly TimeSpan WriteEvery = TimeSpan.FromSeconds(3);

    /// <summary>
    /// One source as the desks see it. <paramref name="PolledSince"/>: when the desk polling it now began to (null before
    /// any did); <paramref name="PolledBy"/>: which desk that is.
    /// </summary>
    public sealed record SourceStatus(string Source, DateTime? LastSuccessAt, DateTime? LastFailureAt, string? LastError, long Taken, bool Idle,
        DateTime? PolledSince = null, string? PolledBy = null);

    private static readonly string ThisDesk = $"{Environment.MachineName}:{Environment.ProcessId}";
    private readonly DateTime _startedAt = clock.GetUtcNow().UtcDateTime;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, News> _news = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _changed = new(0);

    /// <summary>What this desk saw of a source it polls and has not written yet.</summary>
    private sealed class News
    {
        public DateTime? PolledSince;
        public DateTime? LastSuccessAt;
        public DateTime? LastFailureAt;
        public string? LastError;
        public bool ErrorCleared;
        public bool? Idle;
        public long Taken;
        public bool Pending;
        public bool Urgent;
        public bool Ok; // the last poll succeeded: what the next is compared with
        public long WrittenAt = long.MinValue; // Environment.TickCount64 of the last write
    }

    /// <summary>This desk begins to poll <paramref name="source"/> (it took the source's lease).</summary>
    public void Expect(string source) => Note(source, n =>
    {
        n.PolledSince = clock.GetUtcNow().UtcDateTime;
        return true;
    });

    public void Succeeded(string source, int taken = 0, bool idle = false) => Note(source, n =>
    {
        var changed = !n.Ok || n.Idle != idle;
        n.Ok = true;
        n.LastSuccessAt = clock.GetUtcNow().UtcDateTime;
        n.ErrorCleared = true;
        n.LastError = null;
        n.Idle = idle;
        n.Taken += taken;
        return changed;
    });

    public void Failed(string source, string error) => Note(source, n =>
    {
        var changed = n.Ok || n.LastError != error;
        n.Ok = false;
        n.LastFailureAt = clock.GetUtcNow().UtcDateTime;
        n.LastError = error;
        n.ErrorCleared = false;
        return changed;
    });

    /// <summary>Every configured source, as the database has it and with this desk's news not yet written; read by any desk.</summary>
    public async Task<IReadOnlyList<SourceStatus>> SourcesAsync(CancellationToken ct = default)
    {
        List<string> names;
        Dictionary<string, MailSourceState> stored;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DeskDbContext>();
            var fromPage = await db.MailServers.AsNoTracking().Where(s => s.Kind == Servers.MailServerKind.Imap && s.Enabled).Select(s => s.Name).ToListAsync(ct);
            // The drop folder set on the page counts while it is on, whatever the settings say.
            var dropFolder = await db.MailServers.AsNoTracking().Where(s => s.Kind == Servers.MailServerKind.DropFolder).Select(s => (bool?)s.Enabled).FirstOrDefaultAsync(ct);
            var configured = Configured().Where(n => dropFolder is null || n != DropFolderIntake.Source);
            if (dropFolder == true) configured = configured.Append(DropFolderIntake.Source);
            names = [.. configured.Concat(fromPage).Distinct(StringComparer.Ordinal)];
            stored = await db.MailSources.AsNoTracking().Where(s => names.Contains(s.Source)).ToDictionaryAsync(s => s.Source, ct);
        }
        lock (_lock)
        {
            return names.Order(StringComparer.Ordinal).Select(name =>
            {
                var row = stored.GetValueOrDefault(name);
                var status = row is null
                    ? new SourceStatus(name, null, null, null, 0, false)
                    : new SourceStatus(name, row.LastSuccessAt, row.LastFailureAt, row.LastError, row.Taken, row.Idle, row.PolledSince, row.PolledBy);
                return _news.TryGetValue(name, out var news) && news.Pending ? WithNews(status, news) : status;
            }).ToList();
        }
    }

    /// <summary>
    /// <see cref="SourcesAsync"/>, waiting for it: for callers that cannot await. Pages and the health check use
    /// <see cref="SourcesAsync"/>.
    /// </summary>
    public IReadOnlyList<SourceStatus> Sources => SourcesAsync().GetAwaiter().GetResult();

    /// <summary>
    /// Stale: no successful poll for longer than <paramref name="staleAfter"/>, counted from when the desk polling it now
    /// began (or, before any desk did, from this desk's start) when that is later.
    /// </summary>
    public bool IsStale(SourceStatus status, TimeSpan staleAfter)
    {
        var since = status.PolledSince ?? _startedAt;
        if (status.LastSuccessAt > since) since = status.LastSuccessAt.Value;
        return clock.GetUtcNow().UtcDateTime - since > staleAfter;
    }

    /// <summary>Writes the news: changes at once, the rest every <see cref="WriteEvery"/>; whatever is left when the desk stops.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _changed.WaitAsync(WriteEvery, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            await WriteAsync(all: false, stoppingToken);
        }
        await WriteAsync(all: true, CancellationToken.None);
    }

    /// <summary>Writes every source's news now (tests; the last write when the desk stops).</summary>
    public Task FlushAsync(CancellationToken ct = default) => WriteAsync(all: true, ct);

    /// <summary>The settings file's sources (its mailboxes, or the drop folder); the page's mailboxes are read with the rows.</summary>
    private IReadOnlyList<string> Configured() =>
        options.Value.Mailboxes.Count > 0 ? [.. options.Value.Mailboxes.Select(m => m.DisplayName)] : [DropFolderIntake.Source];

    private void Note(string source, Func<News, bool> update)
    {
        bool urgent;
        lock (_lock)
        {
            if (!_news.TryGetValue(source, out var news)) _news[source] = news = new News();
            var changed = update(news);
            news.Pending = true;
            news.Urgent |= changed;
            urgent = news.Urgent;
        }
        if (urgent) _changed.Release();
    }

    private static SourceStatus WithNews(SourceStatus status, News news) => status with
    {
        LastSuccessAt = Later(status.LastSuccessAt, news.LastSuccessAt),
        LastFailureAt = Later(status.LastFailureAt, news.LastFailureAt),
        LastError = news.LastError ?? (news.ErrorCleared ? null : status.LastError),
        Idle = news.Idle ?? status.Idle,
        Taken = status.Taken + news.Taken,
        PolledSince = news.PolledSince ?? status.PolledSince,
        PolledBy = news.PolledSince is null ? status.PolledBy : ThisDesk,
    };

    private static DateTime? Later(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private async Task WriteAsync(bool all, CancellationToken ct)
    {
        List<(string Source, News News)> due;
        var now = Environment.TickCount64;
        lock (_lock)
        {
            due = [.. _news.Where(n => n.Value.Pending && (all || n.Value.Urgent || now - n.Value.WrittenAt >= WriteEvery.TotalMilliseconds))
                .Select(n => (n.Key, Take(n.Value, now)))];
        }
        foreach (var (source, news) in due)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<DeskDbContext>();
                var row = await db.MailSources.SingleOrDefaultAsync(s => s.Source == source, ct);
                if (row is null) db.MailSources.Add(row = new MailSourceState(source) { PolledSince = news.PolledSince ?? clock.GetUtcNow().UtcDateTime });
                if (news.PolledSince is { } since)
                {
                    row.PolledSince = since;
                    row.PolledBy = ThisDesk;
                }
                row.LastSuccessAt = Later(row.LastSuccessAt, news.LastSuccessAt);
                row.LastFailureAt = Later(row.LastFailureAt, news.LastFailureAt);
                if (news.LastError is not null) row.LastError = news.LastError;
                else if (news.ErrorCleared) row.LastError = null;
                if (news.Idle is { } idle) row.Idle = idle;
                row.Taken += news.Taken;
                await db.SaveChangesAsync(ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // Kept for the next round (the database may be away: then every page says so anyway).
                log.LogWarning("Could not store the status of mail source {Source} ({Error}); trying again shortly.", source, e.Message);
                Restore(source, news);
            }
        }
    }

    /// <summary>The news to write, leaving an empty record (its write time set) to gather what comes next.</summary>
    private News Take(News news, long now)
    {
        var taken = new News
        {
            PolledSince = news.PolledSince, LastSuccessAt = news.LastSuccessAt, LastFailureAt = news.LastFailureAt, LastError = news.LastError,
            ErrorCleared = news.ErrorCleared, Idle = news.Idle, Taken = news.Taken,
        };
        news.PolledSince = null;
        news.LastSuccessAt = null;
        news.LastFailureAt = null;
        news.ErrorCleared = false;
        news.Taken = 0;
        news.Pending = false;
        news.Urgent = false;
        news.WrittenAt = now;
        // LastError and Idle stay: they are what this desk last saw, which the next news is compared with.
        return taken;
    }

    /// <summary>Puts back news whose write failed, under whatever came since.</summary>
    private void Restore(string source, News failed)
    {
        lock (_lock)
        {
            var news = _news[source];
            news.PolledSince ??= failed.PolledSince;
            news.LastSuccessAt = Later(failed.LastSuccessAt, news.LastSuccessAt);
            news.LastFailureAt = Later(failed.LastFailureAt, news.LastFailureAt);
            news.ErrorCleared |= failed.ErrorCleared && news.LastError is null;
            news.Taken += failed.Taken;
            news.Pending = true;
        }
    }
}

using System.Collections.Concurrent;

namespace Desk.Web.Email.Intake;

/// <summary>How each mail source's polling goes, in this process: /healthz and the admin page report a poller that stopped.</summary>
public sealed class MailStatus(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, SourceStatus> _sources = new();
    private readonly DateTime _startedAt = clock.GetUtcNow().UtcDateTime;

    public sealed record SourceStatus(string Source, DateTime? LastSuccessAt, DateTime? LastFailureAt, string? LastError, long Taken, bool Idle);

    public void Expect(string source) => _sources.TryAdd(source, new SourceStatus(source, null, null, null, 0, false));

    public void Succeeded(string source, int taken = 0, bool idle = false) => _sources.AddOrUpdate(source,
        _ => new SourceStatus(source, clock.GetUtcNow().UtcDateTime, null, null, taken, idle),
        (_, s) => s with { LastSuccessAt = clock.GetUtcNow().UtcDateTime, LastError = null, Taken = s.Taken + taken, Idle = idle });

    public void Failed(string source, string error) => _sources.AddOrUpdate(source,
        _ => new SourceStatus(source, null, clock.GetUtcNow().UtcDateTime, error, 0, false),
        (_, s) => s with { LastFailureAt = clock.GetUtcNow().UtcDateTime, LastError = error });

    public IReadOnlyList<SourceStatus> Sources => _sources.Values.OrderBy(s => s.Source, StringComparer.Ordinal).ToList();

    /// <summary>Stale: no successful poll for longer than <paramref name="staleAfter"/> (counted from start before the first one).</summary>
    public bool IsStale(SourceStatus status, TimeSpan staleAfter) =>
        clock.GetUtcNow().UtcDateTime - (status.LastSuccessAt ?? _startedAt) > staleAfter;
}

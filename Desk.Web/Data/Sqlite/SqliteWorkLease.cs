using System.Collections.Concurrent;

namespace Desk.Web.Data.Sqlite;

/// <summary>
/// A lease held in this process: SQLite's file is one process's (the write gate is in-process too), so the only other
/// claimant is another desk hosted in the same process on the same file (tests). Never lost.
/// </summary>
public sealed class SqliteWorkLease : IWorkLease
{
    private static readonly ConcurrentDictionary<(string Database, string Work), SemaphoreSlim> Held = new();

    private readonly SemaphoreSlim _held;
    private int _released;

    private SqliteWorkLease(string work, SemaphoreSlim held)
    {
        Work = work;
        _held = held;
    }

    public string Work { get; }

    public CancellationToken Lost => CancellationToken.None;

    public static IWorkLease? TryTake(string connectionString, string work)
    {
        var held = Held.GetOrAdd((connectionString, work), _ => new SemaphoreSlim(1, 1));
        return held.Wait(0) ? new SqliteWorkLease(work, held) : null;
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0) _held.Release();
        return ValueTask.CompletedTask;
    }
}

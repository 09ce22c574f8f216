using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage;

namespace Desk.Web.Data;

/// <summary>
/// One writer at a time per database file, in arrival order. SQLite lets one connection write while the others
/// wait on its busy handler, which polls with growing sleeps: a writer that keeps coming back (e-mail intake
/// working through a mailbox) then starves an agent's note for hundreds of milliseconds. Waiting here instead
/// is first come, first served, and an agent's write starts the moment the previous one commits. Readers are
/// never gated (WAL). Writers in other processes still meet SQLite's busy timeout, as before.
/// </summary>
public static class SqliteWriteGate
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> ByFile = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, SemaphoreSlim?> ByConnectionString = new(StringComparer.Ordinal);

    /// <summary>The gate of the file <paramref name="connectionString"/> points at; null for in-memory databases.</summary>
    public static SemaphoreSlim? For(string? connectionString) =>
        string.IsNullOrEmpty(connectionString) ? null : ByConnectionString.GetOrAdd(connectionString, static cs =>
        {
            var builder = new SqliteConnectionStringBuilder(cs);
            if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:") return null;
            return ByFile.GetOrAdd(Path.GetFullPath(builder.DataSource), _ => new SemaphoreSlim(1, 1));
        });
}

/// <summary>A transaction that holds the file's write gate until it is committed, rolled back or disposed.</summary>
public sealed class WriteTransaction : IAsyncDisposable
{
    private readonly IDbContextTransaction _transaction;
    private SemaphoreSlim? _gate;

    internal WriteTransaction(IDbContextTransaction transaction, SemaphoreSlim? gate)
    {
        _transaction = transaction;
        _gate = gate;
    }

    public async Task CommitAsync(CancellationToken ct = default)
    {
        await _transaction.CommitAsync(ct);
        Release();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _transaction.DisposeAsync(); // rolls back when not committed
        }
        finally
        {
            Release();
        }
    }

    private void Release() => Interlocked.Exchange(ref _gate, null)?.Release();
}

using Microsoft.EntityFrameworkCore.Storage;

namespace Desk.Web.Data;

/// <summary>A transaction that holds the provider's write gate (SQLite's per-file gate; none on PostgreSQL) until it is committed, rolled back or disposed.</summary>
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

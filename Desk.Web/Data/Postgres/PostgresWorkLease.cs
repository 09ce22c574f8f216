using Npgsql;

namespace Desk.Web.Data.Postgres;

/// <summary>
/// A session advisory lock on a connection of its own (never pooled: closing it must end the session). PostgreSQL
/// releases it when the session ends, so a desk killed or cut off loses its leases with its connection and another
/// desk's next try takes them. The holder checks its connection every <c>checkEvery</c>; when the check fails (the
/// server restarted, the network dropped) <see cref="Lost"/> is cancelled.
/// </summary>
public sealed class PostgresWorkLease : IWorkLease
{
    /// <summary>The first of the two lock keys: Desk's leases apart from anything else taking advisory locks on the database.</summary>
    private const int Space = 0x4465736B; // "Desk"

    private readonly NpgsqlConnection _connection;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watch;

    private PostgresWorkLease(string work, NpgsqlConnection connection, TimeSpan checkEvery)
    {
        Work = work;
        _connection = connection;
        _watch = WatchAsync(checkEvery);
    }

    public string Work { get; }

    public CancellationToken Lost => _lost.Token;

    public static async Task<IWorkLease?> TryTakeAsync(string connectionString, string work, TimeSpan checkEvery, CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            ApplicationName = "Desk lease: " + work,
            // The server notices a vanished desk machine (not only a killed process) by TCP keepalive.
            KeepAlive = 10,
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            await using var take = new NpgsqlCommand("SELECT pg_try_advisory_lock(@space, hashtext(@work))", connection);
            take.Parameters.AddWithValue("space", Space);
            take.Parameters.AddWithValue("work", work);
            if (await take.ExecuteScalarAsync(ct) is true) return new PostgresWorkLease(work, connection, checkEvery);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        await connection.DisposeAsync();
        return null;
    }

    private async Task WatchAsync(TimeSpan checkEvery)
    {
        try
        {
            while (true)
            {
                await Task.Delay(checkEvery, _stop.Token);
                await using var check = new NpgsqlCommand("SELECT 1", _connection);
                await check.ExecuteScalarAsync(_stop.Token);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception)
        {
            // The session is gone and the lock with it.
            await _lost.CancelAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watch;
        // Closing the session releases the lock (an explicit unlock first would be one more round trip for nothing).
        await _connection.DisposeAsync();
        _stop.Dispose(); // _lost stays usable: the holder reads Lost after letting go
    }
}

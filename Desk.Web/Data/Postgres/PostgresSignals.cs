using Npgsql;

namespace Desk.Web.Data.Postgres;

/// <summary>LISTEN/NOTIFY between the desks sharing a database.</summary>
public static class PostgresSignals
{
    public static async Task NotifyAsync(string connectionString, string channel, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, '')", connection);
        notify.Parameters.AddWithValue("channel", channel);
        await notify.ExecuteNonQueryAsync(ct);
    }

    public static async Task ListenAsync(string connectionString, IReadOnlyCollection<string> channels, Action<string> heard, Action listening,
        CancellationToken ct)
    {
        // Its own session, never pooled: LISTEN belongs to the session, and a pooled connection would carry it to others.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, ApplicationName = "Desk signals", KeepAlive = 10 };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(ct);
        connection.Notification += (_, e) => heard(e.Channel);
        foreach (var channel in channels)
        {
            await using var listen = new NpgsqlCommand($"LISTEN \"{channel.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            await listen.ExecuteNonQueryAsync(ct);
        }
        listening();
        while (true)
        {
            // Waits for a notification; with nothing heard for a while, a round trip proves the connection still there.
            if (!await connection.WaitAsync(TimeSpan.FromSeconds(30), ct))
            {
                await using var ping = new NpgsqlCommand("SELECT 1", connection);
                await ping.ExecuteScalarAsync(ct);
            }
        }
    }
}

using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Desk.Web.Data.Sqlite;

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

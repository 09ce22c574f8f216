using System.Collections.Concurrent;
using Desk.Domain.Search;
using Desk.Web.Data.Sqlite;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Desk.Seed;

/// <summary>
/// Builds the search index beside the bulk load, on a thread and a file of its own: the generator hands over each ticket's
/// text (<see cref="TicketText"/>), this thread indexes it into an FTS5 table of the same definition in a scratch file
/// next to the desk's, and merges it into one segment while the desk's other indexes are built. <see cref="CopyInto"/>
/// then copies the finished index's tables into the desk's (empty) <see cref="TicketSearchSql.Table"/>. The load's writer
/// keeps one core; this uses what the generator leaves of the other, instead of reading every message back after the
/// load and indexing a million tickets on one thread (80 s of a 174 s seed at a million tickets).
/// </summary>
internal sealed class SqliteSearchIndexBuild : IDisposable
{
    /// <summary>The tables FTS5 keeps a contentless index in; its _config (the desk's merge settings) stays the desk's.</summary>
    private static readonly string[] IndexTables = [$"{TicketSearchSql.Table}_data", $"{TicketSearchSql.Table}_idx", $"{TicketSearchSql.Table}_docsize"];

    private readonly string _path;
    private readonly BlockingCollection<IReadOnlyList<TicketText>> _queue = new(boundedCapacity: 4);
    private readonly Thread _thread;
    private Exception? _failure;
    private bool _done;

    public SqliteSearchIndexBuild(string deskPath)
    {
        _path = deskPath + ".search-build";
        DeleteScratch();
        _thread = new Thread(Run) { IsBackground = true, Name = "search index build" };
        _thread.Start();
    }

    /// <summary>Queues one batch's texts; waits while the index is four batches behind.</summary>
    public void Add(IReadOnlyList<TicketText> texts)
    {
        if (_failure is not null || _queue.IsAddingCompleted) return; // the failure surfaces in Finish
        try { _queue.Add(texts); }
        catch (InvalidOperationException) when (_queue.IsAddingCompleted) { }
    }

    /// <summary>Waits until every text is indexed and the index merged; throws what the build ran into.</summary>
    public void Finish()
    {
        if (!_done)
        {
            _queue.CompleteAdding();
            _thread.Join();
            _done = true;
        }
        if (_failure is not null) throw new InvalidOperationException($"Building the search index failed: {_failure.Message}", _failure);
    }

    /// <summary>
    /// Replaces the desk's search index with the one built here, on the desk's load connection (no journal, nobody else on
    /// the file). The desk's table was made by its migration with the same definition, so the copied pages are its own.
    /// </summary>
    public void CopyInto(SqliteConnection desk)
    {
        Finish();
        Execute(desk, $"ATTACH DATABASE '{_path.Replace("'", "''", StringComparison.Ordinal)}' AS search_build;");
        try
        {
            using var transaction = desk.BeginTransaction();
            foreach (var table in IndexTables)
                Execute(desk, $"""DELETE FROM main."{table}"; INSERT INTO main."{table}" SELECT * FROM search_build."{table}";""");
            transaction.Commit();
        }
        finally
        {
            Execute(desk, "DETACH DATABASE search_build;");
        }
        DeleteScratch();
    }

    private void Run()
    {
        try
        {
            using var connection = new SqliteConnection($"Data Source={_path};Pooling=False");
            connection.Open();
            // A scratch file: no journal, no fsync; a crash only means seeding again.
            Execute(connection, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-16384; PRAGMA temp_store=MEMORY;");
            Execute(connection, TicketSearchSql.CreateTable);
            // Larger in-memory runs before each flush: fewer, bigger segments, so less merging on the way and at the end.
            Execute(connection, $"""INSERT INTO "{TicketSearchSql.Table}" ("{TicketSearchSql.Table}", rank) VALUES ('hashsize', 8388608);""");
            Execute(connection, "BEGIN;");
            var db = connection.Handle!;
            Check(db, raw.sqlite3_prepare_v2(db, $"""INSERT INTO "{TicketSearchSql.Table}" (rowid, "Text") VALUES (?, ?)""", out var insert));
            using (insert)
            {
                var utf8 = new byte[16_384];
                foreach (var texts in _queue.GetConsumingEnumerable())
                    foreach (var (ticketId, plain) in texts)
                    {
                        var text = SearchText.ForIndex(plain);
                        var needed = System.Text.Encoding.UTF8.GetMaxByteCount(text.Length);
                        if (utf8.Length < needed) utf8 = new byte[Math.Max(needed, utf8.Length * 2)];
                        var length = System.Text.Encoding.UTF8.GetBytes(text, utf8);
                        Check(db, raw.sqlite3_bind_int64(insert, 1, ticketId));
                        Check(db, raw.sqlite3_bind_text(insert, 2, utf8.AsSpan(0, length)));
                        var result = raw.sqlite3_step(insert);
                        raw.sqlite3_reset(insert);
                        if (result != raw.SQLITE_DONE) Check(db, result);
                    }
            }
            // One segment, as TicketSearchSql.Rebuild leaves it: the desk's first writes then merge nothing big.
            Execute(connection, $"""INSERT INTO "{TicketSearchSql.Table}" ("{TicketSearchSql.Table}") VALUES ('optimize');""");
            Execute(connection, "COMMIT;");
        }
        catch (Exception e)
        {
            _failure = e;
            _queue.CompleteAdding(); // the generator stops waiting on a build that will take nothing more
        }
    }

    private void DeleteScratch()
    {
        foreach (var file in new[] { _path, _path + "-journal", _path + "-wal", _path + "-shm" })
            File.Delete(file);
    }

    public void Dispose()
    {
        if (!_done)
        {
            _queue.CompleteAdding();
            _thread.Join();
            _done = true;
        }
        _queue.Dispose();
        DeleteScratch();
    }

    private static void Check(sqlite3 db, int result)
    {
        if (result is not (raw.SQLITE_OK or raw.SQLITE_DONE))
            throw new InvalidOperationException($"{raw.sqlite3_errmsg(db).utf8_to_string()} (code {result})");
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        command.ExecuteNonQuery();
    }
}

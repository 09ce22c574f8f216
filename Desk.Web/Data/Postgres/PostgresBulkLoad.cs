using Npgsql;

namespace Desk.Web.Data.Postgres;

/// <summary>
/// What a PostgreSQL desk needs around a bulk load of new rows with explicit ids (the demo data's binary COPY).
/// <para>
/// A big load into a database nobody else is using (the seed command) goes through <see cref="Begin"/>: the loaded
/// tables' secondary indexes and foreign keys are dropped and their user triggers (the queue counters, and with them
/// whatever other trigger a later feature puts on those tables) disabled, so each row costs one heap insert;
/// afterwards <see cref="BuildIndexes"/>, <see cref="CatchUp"/> and <see cref="Analyze"/> build the indexes from the
/// whole tables, check the foreign keys in one pass each, and count, number and measure what was loaded. Everything
/// is read from the catalog (pg_indexes, pg_constraint), so nothing here lists the model's indexes again.
/// </para>
/// <para>
/// A small load with everything left on (the first run's demo data) needs only <see cref="AfterLoadWithTriggers"/>.
/// </para>
/// </summary>
/// <remarks>
/// The drops and the disabled triggers are catalog changes, not session settings: a load that fails half-way leaves
/// the tables without them. That is fine for what this is for — demo data into a new database, run again with the
/// seed command's <c>--replace</c>, which drops the database — and it is why nothing else should use it on a live desk.
/// </remarks>
public sealed class PostgresBulkLoad
{
    private readonly NpgsqlConnection _connection;
    private readonly string[] _tables;
    private readonly List<(string Table, string Name, string Sql)> _indexes = [];
    private readonly List<(string Table, string Name, string Definition)> _foreignKeys = [];

    private PostgresBulkLoad(NpgsqlConnection connection, string[] tables)
    {
        _connection = connection;
        _tables = tables;
    }

    /// <summary>
    /// Prepares <paramref name="tables"/> (on an open connection that the load then uses) for a load with COPY: their
    /// secondary indexes and foreign keys dropped, their user triggers disabled, their autovacuum paused.
    /// </summary>
    public static PostgresBulkLoad Begin(NpgsqlConnection connection, IReadOnlyCollection<string> tables)
    {
        var load = new PostgresBulkLoad(connection, [.. tables]);
        // The batches' commits need not wait for the disk: a load that is cut off is run again.
        load.Execute("SET synchronous_commit = off");
        using (var command = new NpgsqlCommand("""
            SELECT i.tablename, i.indexname, i.indexdef FROM pg_indexes AS i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(@tables)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint AS k
                              WHERE k.conrelid = format('%I.%I', i.schemaname, i.tablename)::regclass AND k.conname = i.indexname
                                AND k.contype IN ('p', 'u', 'x'))
            ORDER BY i.tablename, i.indexname
            """, connection))
        {
            command.Parameters.AddWithValue("tables", load._tables);
            using var reader = command.ExecuteReader();
            while (reader.Read()) load._indexes.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }
        using (var command = new NpgsqlCommand("""
            SELECT c.relname, k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint AS k
            JOIN pg_class AS c ON c.oid = k.conrelid JOIN pg_namespace AS n ON n.oid = c.relnamespace
            WHERE k.contype = 'f' AND n.nspname = current_schema() AND c.relname = ANY(@tables)
            ORDER BY c.relname, k.conname
            """, connection))
        {
            command.Parameters.AddWithValue("tables", load._tables);
            using var reader = command.ExecuteReader();
            while (reader.Read()) load._foreignKeys.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        foreach (var (table, name, _) in load._foreignKeys) load.Execute($"ALTER TABLE {Quote(table)} DROP CONSTRAINT {Quote(name)}");
        foreach (var (_, name, _) in load._indexes) load.Execute($"DROP INDEX {Quote(name)}");
        foreach (var table in load._tables)
        {
            // Counted afterwards in one statement each (queue counters) or rebuilt whole (search index) instead of row by row.
            load.Execute($"ALTER TABLE {Quote(table)} DISABLE TRIGGER USER");
            // Autovacuum would analyse and vacuum the growing tables again and again, on the cores the load needs.
            load.Execute($"ALTER TABLE {Quote(table)} SET (autovacuum_enabled = false)");
        }
        // The reports' marking triggers sit on loaded tables and are disabled with the rest: as on SQLite, a new desk's
        // report outcomes are built whole on first use (OutcomesState starts with no window) instead of marked row by row.
        return load;
    }

    /// <summary>The secondary indexes built from the loaded tables (a duplicate in a unique one fails here, loudly), then the foreign keys checked and restored.</summary>
    public void BuildIndexes()
    {
        // Sorting a few million keys in memory rather than in temporary files (for this session, and never less than the server gives).
        Execute("SELECT set_config('maintenance_work_mem', '512MB', false) WHERE pg_size_bytes(current_setting('maintenance_work_mem')) < pg_size_bytes('512MB')");
        foreach (var (_, _, sql) in _indexes) Execute(sql);
        _indexes.Clear();
        foreach (var (table, name, definition) in _foreignKeys) Execute($"ALTER TABLE {Quote(table)} ADD CONSTRAINT {Quote(name)} {definition}");
        _foreignKeys.Clear();
        Execute("RESET maintenance_work_mem");
    }

    /// <summary>
    /// The triggers back on, and what they would have kept brought up to date: the identity sequences moved past the
    /// loaded ids, the queue counters counted again, the search index rebuilt.
    /// </summary>
    public void CatchUp()
    {
        foreach (var table in _tables) Execute($"ALTER TABLE {Quote(table)} ENABLE TRIGGER USER");
        Execute(PostgresSql.ResetIdentitySequences);
        Execute(QueueCounterKeys.Recount());
        // The search index's triggers were disabled with the others during the load: it holds none of the loaded tickets.
        RebuildSearch();
        Execute("RESET synchronous_commit");
    }

    /// <summary>Planner statistics for the loaded tables, and autovacuum back on for them.</summary>
    public void Analyze()
    {
        foreach (var table in _tables) Execute($"ALTER TABLE {Quote(table)} RESET (autovacuum_enabled)");
        Execute($"ANALYZE {string.Join(", ", _tables.Select(Quote))}");
    }

    /// <summary>
    /// After a load with the indexes, foreign keys and triggers left on (the first run's few thousand tickets): the
    /// counters and the search index are right already, only the identity sequences need moving past the loaded ids.
    /// Statistics too, so the desk's first pages are planned for the rows that are there.
    /// </summary>
    public static void AfterLoadWithTriggers(NpgsqlConnection connection, IReadOnlyCollection<string> tables)
    {
        var load = new PostgresBulkLoad(connection, [.. tables]);
        load.Execute(PostgresSql.ResetIdentitySequences);
        load.Execute($"ANALYZE {string.Join(", ", load._tables.Select(Quote))}");
    }

    /// <summary>
    /// <see cref="TicketSearchSql.Rebuild"/> with its documents written by one connection per core, each a range of
    /// ticket ids (at a million tickets the documents took two minutes of one core).
    /// </summary>
    private void RebuildSearch()
    {
        Execute(TicketSearchSql.EmptyForRebuild);
        long first, last;
        using (var range = new NpgsqlCommand("""SELECT COALESCE(MIN("Id"), 0), COALESCE(MAX("Id"), -1) FROM "Tickets" """, _connection))
        using (var reader = range.ExecuteReader())
        {
            reader.Read();
            (first, last) = (reader.GetInt64(0), reader.GetInt64(1));
        }
        var parts = Math.Max(1, Environment.ProcessorCount);
        var size = (last - first) / parts + 1;
        Parallel.For(0, parts, part =>
        {
            // A clone keeps the password, which an open connection's string no longer shows.
            using var connection = (NpgsqlConnection)((ICloneable)_connection).Clone();
            connection.Open();
            using var fill = new NpgsqlCommand(TicketSearchSql.FillRange, connection) { CommandTimeout = 0 };
            fill.Parameters.AddWithValue("from", first + part * size);
            fill.Parameters.AddWithValue("to", Math.Min(last, first + (part + 1) * size - 1));
            fill.ExecuteNonQuery();
        });
        Execute(TicketSearchSql.IndexAfterRebuild);
    }

    private void Execute(string sql)
    {
        using var command = new NpgsqlCommand(sql, _connection) { CommandTimeout = 0 };
        command.ExecuteNonQuery();
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

namespace Desk.Web.Data.Postgres;

/// <summary>
/// The queue counters' PostgreSQL triggers (see <see cref="QueueCounterKeys"/>): row triggers on Tickets that add and
/// take away the ticket's keys in the same transaction as the ticket, as SQLite's do.
/// </summary>
public static class QueueCounterSql
{
    private const string Table = QueueCounterKeys.Table;

    private static string KeysOf(string row) => QueueCounterKeys.KeysOf(row);

    private static string Add(string deltas) => $"""
        INSERT INTO "{Table}" ("Key", "Count")
        SELECT deltas.k, SUM(deltas.d) FROM ({deltas}) AS deltas GROUP BY deltas.k HAVING SUM(deltas.d) <> 0
        ON CONFLICT ("Key") DO UPDATE SET "Count" = "{Table}"."Count" + excluded."Count";
        """;

    private static string Function(string name, string body) => $$"""
        CREATE FUNCTION "{{name}}"() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
        {{body}}
        RETURN NULL;
        END $fn$;
        """;

    /// <summary>The functions and triggers, as the migration installs them.</summary>
    public static string CreateTriggers() => $"""
        {Function("desk_queue_counters_insert", Add($"SELECT n.k, 1 AS d FROM ({KeysOf("NEW")}) AS n"))}
        {Function("desk_queue_counters_update", Add($"SELECT n.k, 1 AS d FROM ({KeysOf("NEW")}) AS n UNION ALL SELECT o.k, -1 AS d FROM ({KeysOf("OLD")}) AS o"))}
        {Function("desk_queue_counters_delete", Add($"SELECT o.k, -1 AS d FROM ({KeysOf("OLD")}) AS o"))}
        CREATE TRIGGER "Tickets_QueueCounters_Insert" AFTER INSERT ON "Tickets"
            FOR EACH ROW EXECUTE FUNCTION "desk_queue_counters_insert"();
        CREATE TRIGGER "Tickets_QueueCounters_Update" AFTER UPDATE OF "State", "AssignedTo" ON "Tickets"
            FOR EACH ROW WHEN (OLD."State" IS DISTINCT FROM NEW."State" OR OLD."AssignedTo" IS DISTINCT FROM NEW."AssignedTo")
            EXECUTE FUNCTION "desk_queue_counters_update"();
        CREATE TRIGGER "Tickets_QueueCounters_Delete" AFTER DELETE ON "Tickets"
            FOR EACH ROW EXECUTE FUNCTION "desk_queue_counters_delete"();
        """;

    public const string DropTriggers = """
        DROP TRIGGER IF EXISTS "Tickets_QueueCounters_Insert" ON "Tickets";
        DROP TRIGGER IF EXISTS "Tickets_QueueCounters_Update" ON "Tickets";
        DROP TRIGGER IF EXISTS "Tickets_QueueCounters_Delete" ON "Tickets";
        DROP FUNCTION IF EXISTS "desk_queue_counters_insert"();
        DROP FUNCTION IF EXISTS "desk_queue_counters_update"();
        DROP FUNCTION IF EXISTS "desk_queue_counters_delete"();
        """;

    /// <summary>Counts everything again from the Tickets table: after a bulk load, and to check the triggers.</summary>
    public static string Recount() => QueueCounterKeys.Recount();
}

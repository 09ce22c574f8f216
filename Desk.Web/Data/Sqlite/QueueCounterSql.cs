using Desk.Domain.Tickets;

namespace Desk.Web.Data.Sqlite;

/// <summary>The queue counters' SQLite triggers (see <see cref="QueueCounterKeys"/>).</summary>
public static class QueueCounterSql
{
    private const string Table = QueueCounterKeys.Table;

    private static string KeysOf(string row) => QueueCounterKeys.KeysOf(row);

    private static string Add(string deltas) => $"""
        INSERT INTO "{Table}" ("Key", "Count")
        SELECT k, SUM(d) FROM ({deltas}) WHERE true GROUP BY k
        ON CONFLICT ("Key") DO UPDATE SET "Count" = "Count" + excluded."Count";
        """;

    /// <summary>The triggers, as the migration installs them.</summary>
    public static string CreateTriggers() => $"""
        CREATE TRIGGER "Tickets_QueueCounters_Insert" AFTER INSERT ON "Tickets" BEGIN
        {Add($"SELECT k, 1 AS d FROM ({KeysOf("NEW")})")}
        END;
        CREATE TRIGGER "Tickets_QueueCounters_Update" AFTER UPDATE OF "State", "AssignedTo" ON "Tickets"
        WHEN OLD."State" IS NOT NEW."State" OR OLD."AssignedTo" IS NOT NEW."AssignedTo" BEGIN
        {Add($"SELECT k, 1 AS d FROM ({KeysOf("NEW")}) UNION ALL SELECT k, -1 AS d FROM ({KeysOf("OLD")})")}
        END;
        CREATE TRIGGER "Tickets_QueueCounters_Delete" AFTER DELETE ON "Tickets" BEGIN
        {Add($"SELECT k, -1 AS d FROM ({KeysOf("OLD")})")}
        END;
        """;

    public const string DropTriggers = """
        DROP TRIGGER IF EXISTS "Tickets_QueueCounters_Insert";
        DROP TRIGGER IF EXISTS "Tickets_QueueCounters_Update";
        DROP TRIGGER IF EXISTS "Tickets_QueueCounters_Delete";
        """;

    /// <summary>Counts everything again from the Tickets table: after a migration, after a bulk load, and to check the triggers.</summary>
    public static string Recount() => QueueCounterKeys.Recount();
}

using Desk.Domain.Tickets;

namespace Desk.Web.Data;

/// <summary>
/// The queue's counters (tickets per state, open, unassigned, open per agent) kept by SQLite triggers on
/// Tickets, so navigation reads a handful of rows instead of counting a million. Triggers, not application
/// code, because every writer — the web app, e-mail intake, the bulk seed, a hand-run SQL fix — moves tickets,
/// and the count must change in the same transaction as the ticket.
/// </summary>
public static class QueueCounterSql
{
    public const string Table = "QueueCounters";

    /// <summary>Key of the open tickets assigned to <paramref name="agent"/>.</summary>
    public static string AgentKey(string agent) => "agent:" + agent;

    /// <summary>Key of the tickets in <paramref name="state"/>.</summary>
    public static string StateKey(TicketState state) => "state:" + state;

    public const string OpenKey = "open";
    public const string UnassignedKey = "unassigned";

    /// <summary>The counter keys one Tickets row (<paramref name="row"/>: NEW, OLD or a table alias) counts in, as a SELECT of column k.</summary>
    public static string KeysOf(string row)
    {
        var open = $"{row}.\"State\" IN ({string.Join(", ", TicketStates.Open.Select(s => $"'{s}'"))})";
        return $"""
            SELECT 'state:' || {row}."State" AS k
            UNION ALL SELECT '{OpenKey}' WHERE {open}
            UNION ALL SELECT '{UnassignedKey}' WHERE {open} AND {row}."AssignedTo" IS NULL
            UNION ALL SELECT 'agent:' || {row}."AssignedTo" WHERE {open} AND {row}."AssignedTo" IS NOT NULL
            """;
    }

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
    public static string Recount()
    {
        var open = $"\"State\" IN ({string.Join(", ", TicketStates.Open.Select(s => $"'{s}'"))})";
        return $"""
            DELETE FROM "{Table}";
            INSERT INTO "{Table}" ("Key", "Count")
            SELECT 'state:' || "State", COUNT(*) FROM "Tickets" GROUP BY "State"
            UNION ALL SELECT '{OpenKey}', COUNT(*) FROM "Tickets" WHERE {open}
            UNION ALL SELECT '{UnassignedKey}', COUNT(*) FROM "Tickets" WHERE {open} AND "AssignedTo" IS NULL
            UNION ALL SELECT 'agent:' || "AssignedTo", COUNT(*) FROM "Tickets" WHERE {open} AND "AssignedTo" IS NOT NULL GROUP BY "AssignedTo";
            """;
    }
}

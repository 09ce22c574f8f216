using Desk.Domain.Tickets;

namespace Desk.Web.Data;

/// <summary>
/// The queue's counters (tickets per state, open, unassigned, open per agent) kept by database triggers on Tickets
/// (each provider's QueueCounterSql), so navigation reads a handful of rows instead of counting a million. Triggers,
/// not application code, because every writer — the web app, e-mail intake, the bulk seed, a hand-run SQL fix —
/// moves tickets, and the count must change in the same transaction as the ticket. These are the rows' keys.
/// </summary>
public static class QueueCounterKeys
{
    public const string Table = "QueueCounters";

    /// <summary>Key of the open tickets assigned to <paramref name="agent"/>.</summary>
    public static string AgentKey(string agent) => "agent:" + agent;

    /// <summary>Key of the tickets in <paramref name="state"/>.</summary>
    public static string StateKey(TicketState state) => "state:" + state;

    public const string OpenKey = "open";
    public const string UnassignedKey = "unassigned";

    /// <summary>
    /// The counter keys one Tickets row (<paramref name="row"/>: NEW, OLD or a table alias) counts in, as a SELECT of
    /// column k: SQL both providers' triggers read the same.
    /// </summary>
    public static string KeysOf(string row)
    {
        var open = $"{row}.\"State\" IN ({OpenStates})";
        return $"""
            SELECT 'state:' || {row}."State" AS k
            UNION ALL SELECT '{OpenKey}' WHERE {open}
            UNION ALL SELECT '{UnassignedKey}' WHERE {open} AND {row}."AssignedTo" IS NULL
            UNION ALL SELECT 'agent:' || {row}."AssignedTo" WHERE {open} AND {row}."AssignedTo" IS NOT NULL
            """;
    }

    /// <summary>The open states as a SQL list of literals.</summary>
    public static string OpenStates => string.Join(", ", TicketStates.Open.Select(s => $"'{s}'"));

    /// <summary>
    /// Counts everything again from the Tickets table (SQL both providers read the same): after a migration, after a
    /// bulk load that ran without the triggers, and to check them.
    /// </summary>
    public static string Recount()
    {
        var open = $"\"State\" IN ({OpenStates})";
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

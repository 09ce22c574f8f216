namespace Desk.Web.Data;

/// <summary>The webhook sender's claim, written once for both providers.</summary>
public static class WebhookSql
{
    /// <summary>
    /// The next pending deliveries whose time has come, of hooks that are on, oldest first, claimed for this sender
    /// ({0}: now in Unix ms; {1}: how many) — but only the earliest pending one of each hook and ticket: a later event of a
    /// ticket waits while an earlier one is failing (or claimed by another sender), so a receiver sees each ticket's events
    /// in order. Run in a write transaction, which then moves their next attempt past the claim. On PostgreSQL the lock
    /// is on the delivery rows only (the hook and the earlier rows are read in subqueries), so several desks claim at once.
    /// </summary>
    public static string Due(IDeskDatabaseProvider provider) => $"""
        SELECT * FROM "WebhookDeliveries" AS d
        WHERE d."State" = 'Pending' AND d."NextAttemptAt" <= {"{0}"}
          AND EXISTS (SELECT 1 FROM "Webhooks" AS h WHERE h."Id" = d."WebhookId" AND h."DisabledAt" IS NULL)
          AND NOT EXISTS (SELECT 1 FROM "WebhookDeliveries" AS e
                          WHERE e."WebhookId" = d."WebhookId" AND e."TicketId" = d."TicketId" AND e."State" = 'Pending' AND e."Id" < d."Id")
        ORDER BY d."NextAttemptAt", d."Id" LIMIT {"{1}"}{provider.ClaimRows}
        """;
}

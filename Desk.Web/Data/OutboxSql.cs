namespace Desk.Web.Data;

/// <summary>The outbox's claim, written once for both providers.</summary>
public static class OutboxSql
{
    /// <summary>
    /// The next queued mails whose time has come, oldest first, claimed for this sender ({0}: now in Unix ms; {1}: how
    /// many). Run in a write transaction, which then moves their next attempt past the claim.
    /// </summary>
    public static string Due(IDeskDatabaseProvider provider) => $"""
        SELECT * FROM "OutboundMails" WHERE "State" = 'Queued' AND "NextAttemptAt" <= {"{0}"}
        ORDER BY "NextAttemptAt", "Id" LIMIT {"{1}"}{provider.ClaimRows}
        """;
}

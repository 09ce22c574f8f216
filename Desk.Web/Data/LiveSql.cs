namespace Desk.Web.Data;

/// <summary>The live feed's presence writes, once for both providers (both take <c>ON CONFLICT … DO UPDATE</c> with <c>excluded</c>).</summary>
public static class LiveSql
{
    /// <summary>An agent is on a ticket's page ({0} ticket id, {1} user, {2} now in Unix ms): renews their row, keeps their typing time.</summary>
    public const string Here = """
        INSERT INTO "TicketPresence" ("TicketId", "UserName", "SeenAt", "TypingAt") VALUES ({0}, {1}, {2}, NULL)
        ON CONFLICT ("TicketId", "UserName") DO UPDATE SET "SeenAt" = excluded."SeenAt"
        """;

    /// <summary>An agent typed on a ticket's page ({0} ticket id, {1} user, {2} now in Unix ms).</summary>
    public const string Typing = """
        INSERT INTO "TicketPresence" ("TicketId", "UserName", "SeenAt", "TypingAt") VALUES ({0}, {1}, {2}, {2})
        ON CONFLICT ("TicketId", "UserName") DO UPDATE SET "SeenAt" = excluded."SeenAt", "TypingAt" = excluded."TypingAt"
        """;
}

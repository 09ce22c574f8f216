namespace Desk.Web.Data;

/// <summary>The API's calls per key and minute (<c>ApiRequestCounts</c>), written once for both providers.</summary>
public static class ApiRequestCountSql
{
    /// <summary>
    /// Counts one call of key <paramref name="apiKeyId"/> in the minute starting at <paramref name="windowStart"/> (Unix ms)
    /// and returns the minute's count so far, this call included: one statement, so desks counting at once each get their
    /// own number (PostgreSQL's row lock; SQLite's write gate).
    /// </summary>
    public static FormattableString Count(long apiKeyId, long windowStart) => $"""
        INSERT INTO "ApiRequestCounts" ("ApiKeyId", "WindowStart", "Count") VALUES ({apiKeyId}, {windowStart}, 1)
        ON CONFLICT ("ApiKeyId", "WindowStart") DO UPDATE SET "Count" = "ApiRequestCounts"."Count" + 1
        RETURNING "Count" AS "Value"
        """;
}

namespace Desk.Web.Data;

/// <summary>The public form's post counts (<c>PublicPostCounts</c>), written once for both providers.</summary>
public static class PublicPostCountSql
{
    /// <summary>
    /// Counts one post for <paramref name="key"/> in the window starting at <paramref name="windowStart"/> (Unix ms) and
    /// returns the window's count so far, this post included: one statement, so desks posting at once each get their own
    /// number (PostgreSQL's row lock; SQLite's write gate).
    /// </summary>
    public static FormattableString Count(string key, long windowStart) => $"""
        INSERT INTO "PublicPostCounts" ("Key", "WindowStart", "Count") VALUES ({key}, {windowStart}, 1)
        ON CONFLICT ("Key", "WindowStart") DO UPDATE SET "Count" = "PublicPostCounts"."Count" + 1
        RETURNING "Count" AS "Value"
        """;
}

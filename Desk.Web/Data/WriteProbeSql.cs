namespace Desk.Web.Data;

/// <summary>The health check's write, written once for both providers.</summary>
public static class WriteProbeSql
{
    /// <summary>
    /// Rewrites one SLA target with its own values: a real write that is committed (a read-only database, a full disk or
    /// a read-only PostgreSQL transaction refuses it) and changes nothing anyone reads.
    /// </summary>
    public static FormattableString Touch => $"""
        UPDATE "SlaTargets" SET "FirstResponseMinutes" = "FirstResponseMinutes"
        WHERE "Id" = (SELECT MIN("Id") FROM "SlaTargets")
        """;
}

using Desk.Domain.Customers;

namespace Desk.Web.Data.Sqlite;

/// <summary>
/// The reports' outcome tables: every complaint's repurchase outcome and every silent customer's baseline, worked out
/// once from tickets, customers and orders and kept current, so a report adds up a narrow table instead of looking
/// into five million orders for a million complaints.
/// <list type="bullet">
/// <item><c>ComplaintOutcomes</c>: one row per complaint (kind Complaint, not rejected) with what every report cuts it by
/// and its anchor (resolution, or receipt while unresolved), the revenue of the repurchase window after it (NULL when
/// nothing was bought), the first order after it, the revenue of the year before receipt and, on the customer's latest
/// complaint, the customer's lifetime value and last order. Nothing in it depends on the clock: a report decides what
/// is pending (anchor + window after now) when it runs.</item>
/// <item><c>BaselineOutcomes</c>: customers with orders and no ticket at all, one row per tenure band they ordered in
/// (their first order in it) and one with band -1 (their first order): the "did not complain" column.</item>
/// <item>SQLite triggers on tickets, customers, the taxonomy and changed or deleted orders mark the customers whose rows
/// are out of date in <c>OutcomesDirty</c>, in the same transaction as the change, whoever writes it (the desk, an
/// import, the demo load); new orders are found by their ids (<see cref="MarkNewOrders"/>). <c>OutcomesState.WindowMs</c> is the repurchase window the rows were built for; NULL or another window than
/// the admins' means every row is rebuilt.</item>
/// </list>
/// <see cref="Features.Reports.ReportOutcomes"/> brings the rows up to date before a report reads them.
/// </summary>
public static class ReportOutcomesSql
{
    /// <summary>The survey's scores, as the three faces report reads them.</summary>
    public static readonly string[] Scores =
        ["OutcomeSatisfaction", "HandlingSatisfaction", "Intention", "Reliability", "Responsiveness", "Assurance", "Empathy", "Tangibles"];

    /// <summary>
    /// What one complaint adds to the three faces report as of <c>at</c> (SQL over kept row <c>f</c>): nothing before its
    /// survey went out; then sent, answered, each score's sum and count, and — once answered — measured (its window
    /// ended by then), pending (not yet) and bought again (measured with an order in the window).
    /// </summary>
    public static readonly (string Name, Func<string, string> Of)[] FacesMeasures =
    [
        ("Sent", at => $"f.\"SurveySentAt\" <= {at}"),
        ("Answered", at => $"f.\"SurveySentAt\" <= {at} AND f.\"SurveyAnsweredAt\" IS NOT NULL"),
        .. Scores.SelectMany(score => new (string, Func<string, string>)[]
        {
            (score + "Sum", at => $"CASE WHEN f.\"SurveySentAt\" <= {at} THEN f.\"{score}\" END"),
            (score + "N", at => $"f.\"SurveySentAt\" <= {at} AND f.\"{score}\" IS NOT NULL"),
        }),
        ("Measured", at => $"f.\"SurveySentAt\" <= {at} AND f.\"SurveyAnsweredAt\" IS NOT NULL AND f.\"Anchor\" + $window <= {at}"),
        ("Pending", at => $"f.\"SurveySentAt\" <= {at} AND f.\"SurveyAnsweredAt\" IS NOT NULL AND f.\"Anchor\" + $window > {at}"),
        ("Repurchased", at => $"f.\"SurveySentAt\" <= {at} AND f.\"SurveyAnsweredAt\" IS NOT NULL AND f.\"Anchor\" + $window <= {at} AND f.\"Revenue\" IS NOT NULL"),
    ];

    /// <summary>The three faces rollup's key over kept row <c>f</c>: class, cause (-1 for none), month sent, level, band, week received.</summary>
    public static readonly string FacesKey =
        $"f.\"LoyaltyClass\", COALESCE(f.\"RootTop\", -1), strftime('%Y-%m', f.\"SurveySentAt\" / 1000, 'unixepoch'), f.\"Level\", f.\"Band\", {Week("f.\"ReceivedAt\"")}";

    /// <summary>
    /// Each measure as of <paramref name="at"/> (minus as of <paramref name="before"/>, when given), summed, in
    /// <see cref="FacesMeasures"/>' order; <paramref name="sign"/> "-" takes them away.
    /// </summary>
    public static string FacesSums(string at, string? before = null, string sign = "") => string.Join(", ", FacesMeasures.Select(m =>
        before is null ? $"{sign}COALESCE(SUM({m.Of(at)}), 0)" : $"{sign}(COALESCE(SUM({m.Of(at)}), 0) - COALESCE(SUM({m.Of(before)}), 0))"));

    /// <summary>
    /// <c>LoyaltyRules.ClassOf</c> over a <c>CustomerLoyalty</c> row (LEFT JOINed: no row, no orders), with the thresholds
    /// the kept rows were built for (<c>OutcomesState</c>); the three faces report holds them to its own.
    /// </summary>
    public static string ClassOf(string l, string highLoyalty = "(SELECT \"HighLoyalty\" FROM \"OutcomesState\")",
        string highSales = "(SELECT \"HighSales\" FROM \"OutcomesState\")") => $"""
        CASE WHEN {l}."CustomerId" IS NULL OR {l}."OrderCount" = 0 THEN 'NoPurchases'
             WHEN {l}."Recency" + {l}."Frequency" >= {highLoyalty}
                  THEN CASE WHEN {l}."Monetary" >= {highSales} THEN 'LoyalHighSales' ELSE 'LoyalLowSales' END
             WHEN {l}."Monetary" >= {highSales} THEN 'NotLoyalHighSales' ELSE 'NotLoyalLowSales' END
        """;

    /// <summary>
    /// The tables as the migrations create them (migration ReportOutcomes carries a copy; a test holds the two together,
    /// so a change here needs a migration of its own).
    /// </summary>
    public static readonly string CreateTables = $$"""
        CREATE TABLE "ComplaintOutcomes" (
            "TicketId" INTEGER NOT NULL PRIMARY KEY,
            "CustomerId" INTEGER NOT NULL,
            "ReceivedAt" INTEGER NOT NULL,
            "Severity" INTEGER NOT NULL,
            "IsRepeat" INTEGER NOT NULL,
            "Cell" INTEGER NOT NULL,
            "Sought" INTEGER NULL,
            "Given" INTEGER NULL,
            "RemedyCost" INTEGER NOT NULL,
            "RootCauseId" INTEGER NULL,
            "RootTop" INTEGER NULL,
            "Channel" TEXT NOT NULL,
            "Product" TEXT NULL,
            "Agent" TEXT NOT NULL,
            "FirstRespondedAt" INTEGER NULL,
            "FirstResponseDueAt" INTEGER NOT NULL,
            "ResolvedAt" INTEGER NULL,
            "ResolutionDueAt" INTEGER NOT NULL,
            "Level" TEXT NOT NULL,
            "Tenure" INTEGER NOT NULL,
            "Band" INTEGER NOT NULL,
            "SlaSettledAt" INTEGER NOT NULL,
            "Anchor" INTEGER NOT NULL,
            "Revenue" INTEGER NULL,
            "NextOrderAt" INTEGER NULL,
            "RevenueYearBefore" INTEGER NOT NULL,
            "IsLatest" INTEGER NOT NULL,
            "CustomerValue" INTEGER NULL,
            "LastOrderAt" INTEGER NULL,
            "LoyaltyClass" TEXT NOT NULL,
            "SurveySentAt" INTEGER NULL,
            "SurveyAnsweredAt" INTEGER NULL,
            {{string.Join(",\n    ", Scores.Select(score => $"\"{score}\" INTEGER NULL"))}});
        CREATE INDEX "IX_ComplaintOutcomes_SurveySentAt" ON "ComplaintOutcomes" ("SurveySentAt") WHERE "SurveySentAt" IS NOT NULL;
        CREATE INDEX "IX_ComplaintOutcomes_CustomerId" ON "ComplaintOutcomes" ("CustomerId");
        CREATE INDEX "IX_ComplaintOutcomes_ReceivedAt" ON "ComplaintOutcomes" ("ReceivedAt");
        CREATE INDEX "IX_ComplaintOutcomes_Anchor" ON "ComplaintOutcomes"
            ("Anchor", "IsRepeat", "Severity", "Cell", "Sought", "Given", "Revenue", "RemedyCost", "ReceivedAt", "Level", "Tenure");
        CREATE INDEX "IX_ComplaintOutcomes_Lost" ON "ComplaintOutcomes" ("RootTop", "CustomerId", "Anchor", "RevenueYearBefore", "ReceivedAt", "Level", "Tenure")
            WHERE "Revenue" IS NULL AND "RootTop" IS NOT NULL;
        CREATE INDEX "IX_ComplaintOutcomes_SlaSettledAt" ON "ComplaintOutcomes" ("SlaSettledAt");
        CREATE INDEX "IX_ComplaintOutcomes_Pareto" ON "ComplaintOutcomes" ("RootTop", "Severity", "Channel", "ReceivedAt", "Product");
        CREATE INDEX "IX_ComplaintOutcomes_WinBack" ON "ComplaintOutcomes" ("CustomerValue" DESC, "TicketId" DESC)
            WHERE "IsLatest" = 1 AND "NextOrderAt" IS NULL;
        CREATE TABLE "BaselineOutcomes" (
            "CustomerId" INTEGER NOT NULL,
            "Band" INTEGER NOT NULL,
            "Anchor" INTEGER NOT NULL,
            "Amount" INTEGER NOT NULL,
            "Revenue" INTEGER NULL,
            "Level" TEXT NOT NULL,
            PRIMARY KEY ("CustomerId", "Band")) WITHOUT ROWID;
        CREATE INDEX "IX_BaselineOutcomes_Band" ON "BaselineOutcomes" ("Band", "Anchor", "Amount", "Revenue", "Level");
        CREATE INDEX "IX_BaselineOutcomes_Anchor" ON "BaselineOutcomes" ("Anchor");
        CREATE TABLE "MatrixRollup" (
            "Week" INTEGER NOT NULL, "Level" TEXT NOT NULL, "Band" INTEGER NOT NULL, "IsRepeat" INTEGER NOT NULL, "Severity" INTEGER NOT NULL,
            "Cell" INTEGER NOT NULL, "Sought" INTEGER NOT NULL, "Given" INTEGER NOT NULL,
            "N" INTEGER NOT NULL, "Repurchased" INTEGER NOT NULL, "Revenue" INTEGER NOT NULL, "RemedyCost" INTEGER NOT NULL,
            PRIMARY KEY ("IsRepeat", "Severity", "Cell", "Sought", "Given", "Level", "Band", "Week")) WITHOUT ROWID;
        CREATE TABLE "PendingRollup" (
            "IsRepeat" INTEGER NOT NULL, "Severity" INTEGER NOT NULL, "Cell" INTEGER NOT NULL, "Sought" INTEGER NOT NULL, "Given" INTEGER NOT NULL,
            "Level" TEXT NOT NULL, "Band" INTEGER NOT NULL, "Week" INTEGER NOT NULL, "N" INTEGER NOT NULL, "RemedyCost" INTEGER NOT NULL,
            PRIMARY KEY ("IsRepeat", "Severity", "Cell", "Sought", "Given", "Level", "Band", "Week")) WITHOUT ROWID;
        CREATE TABLE "FacesRollup" (
            "Class" TEXT NOT NULL, "Cause" INTEGER NOT NULL, "Month" TEXT NOT NULL, "Level" TEXT NOT NULL, "Band" INTEGER NOT NULL, "Week" INTEGER NOT NULL,
            {{string.Join(", ", FacesMeasures.Select(m => $"\"{m.Name}\" INTEGER NOT NULL"))}},
            PRIMARY KEY ("Class", "Cause", "Month", "Level", "Band", "Week")) WITHOUT ROWID;
        CREATE TABLE "SlaRollup" (
            "Week" INTEGER NOT NULL, "Level" TEXT NOT NULL, "Band" INTEGER NOT NULL, "Severity" INTEGER NOT NULL, "Agent" TEXT NOT NULL,
            "Tickets" INTEGER NOT NULL, "FirstMet" INTEGER NOT NULL, "ResolutionMet" INTEGER NOT NULL, "Resolved" INTEGER NOT NULL, "ToResolve" INTEGER NOT NULL,
            PRIMARY KEY ("Week", "Level", "Band", "Severity", "Agent")) WITHOUT ROWID;
        CREATE TABLE "BaselineRollup" (
            "Band" INTEGER NOT NULL, "Week" INTEGER NOT NULL, "Level" TEXT NOT NULL, "Major" INTEGER NOT NULL,
            "N" INTEGER NOT NULL, "Repurchased" INTEGER NOT NULL, "Revenue" INTEGER NOT NULL,
            PRIMARY KEY ("Band", "Week", "Level", "Major")) WITHOUT ROWID;
        CREATE TABLE "OutcomesDirty" ("CustomerId" INTEGER NOT NULL PRIMARY KEY);
        CREATE TABLE "OutcomesState" ("Id" INTEGER NOT NULL PRIMARY KEY CHECK ("Id" = 1), "WindowMs" INTEGER NULL, "MajorCents" INTEGER NULL, "Cutoff" INTEGER NULL,
            "LastOrderId" INTEGER NOT NULL, "HighLoyalty" INTEGER NULL, "HighSales" INTEGER NULL);
        INSERT INTO "OutcomesState" ("Id", "WindowMs", "MajorCents", "Cutoff", "LastOrderId") VALUES (1, NULL, NULL, NULL, 0);
        """;

    private static string Mark(string customerId) => $"""INSERT OR IGNORE INTO "OutcomesDirty" ("CustomerId") VALUES ({customerId});""";

    /// <summary>Every column of a ticket a report reads; other changes (a note, a version bump) mark nothing.</summary>
    private const string TicketColumns = """
        "CustomerId", "Kind", "State", "Severity", "IsRepeatComplaint", "RemedyCost", "RemedySoughtId", "RemedyGivenId",
        "RootCauseId", "ReceivedAt", "ResolvedAt", "ResolutionDueAt", "FirstRespondedAt", "FirstResponseDueAt", "AssignedTo",
        "Channel", "Product"
        """;

    public static readonly string CreateTriggers = $"""
        CREATE TRIGGER "Outcomes_Order_Update" AFTER UPDATE OF "CustomerId", "PlacedAt", "Amount" ON "Orders" BEGIN
            {Mark("OLD.\"CustomerId\"")} {Mark("NEW.\"CustomerId\"")} END;
        CREATE TRIGGER "Outcomes_Order_Delete" AFTER DELETE ON "Orders" BEGIN {Mark("OLD.\"CustomerId\"")} END;
        CREATE TRIGGER "Outcomes_Ticket_Insert" AFTER INSERT ON "Tickets" BEGIN {Mark("NEW.\"CustomerId\"")} END;
        CREATE TRIGGER "Outcomes_Ticket_Update" AFTER UPDATE OF {TicketColumns} ON "Tickets" BEGIN
            {Mark("OLD.\"CustomerId\"")} {Mark("NEW.\"CustomerId\"")} END;
        CREATE TRIGGER "Outcomes_Ticket_Delete" AFTER DELETE ON "Tickets" BEGIN {Mark("OLD.\"CustomerId\"")} END;
        CREATE TRIGGER "Outcomes_Customer_Update" AFTER UPDATE OF "Level", "FirstSeenAt" ON "Customers" BEGIN {Mark("NEW.\"Id\"")} END;
        CREATE TRIGGER "Outcomes_Customer_Delete" AFTER DELETE ON "Customers" BEGIN {Mark("OLD.\"Id\"")} END;
        CREATE TRIGGER "Outcomes_Survey_Insert" AFTER INSERT ON "Surveys" BEGIN {Mark("NEW.\"CustomerId\"")} END;
        CREATE TRIGGER "Outcomes_Survey_Update" AFTER UPDATE OF "TicketId", "CustomerId", "SentAt", "AnsweredAt", {string.Join(", ", Scores.Select(x => $"\"{x}\""))} ON "Surveys" BEGIN
            {Mark("OLD.\"CustomerId\"")} {Mark("NEW.\"CustomerId\"")} END;
        CREATE TRIGGER "Outcomes_Survey_Delete" AFTER DELETE ON "Surveys" BEGIN {Mark("OLD.\"CustomerId\"")} END;
        CREATE TRIGGER "Outcomes_RootCause_Update" AFTER UPDATE OF "ParentId" ON "RootCauses" BEGIN
            UPDATE "OutcomesState" SET "WindowMs" = NULL; END;
        """;

    /// <summary>
    /// The triggers alone: the demo load drops them while it writes a new file (whose rows are all built on first use
    /// anyway, <c>OutcomesState</c> starting with no window) and creates them again after.
    /// </summary>
    public const string DropTriggers = """
        DROP TRIGGER IF EXISTS "Outcomes_Order_Update"; DROP TRIGGER IF EXISTS "Outcomes_Order_Delete";
        DROP TRIGGER IF EXISTS "Outcomes_Ticket_Insert"; DROP TRIGGER IF EXISTS "Outcomes_Ticket_Update"; DROP TRIGGER IF EXISTS "Outcomes_Ticket_Delete";
        DROP TRIGGER IF EXISTS "Outcomes_Customer_Update"; DROP TRIGGER IF EXISTS "Outcomes_Customer_Delete"; DROP TRIGGER IF EXISTS "Outcomes_RootCause_Update";
        DROP TRIGGER IF EXISTS "Outcomes_Survey_Insert"; DROP TRIGGER IF EXISTS "Outcomes_Survey_Update"; DROP TRIGGER IF EXISTS "Outcomes_Survey_Delete";
        """;

    public const string Drop = $"""
        {DropTriggers}
        DROP TABLE IF EXISTS "ComplaintOutcomes"; DROP TABLE IF EXISTS "BaselineOutcomes";
        DROP TABLE IF EXISTS "OutcomesDirty"; DROP TABLE IF EXISTS "OutcomesState";
        DROP TABLE IF EXISTS "MatrixRollup"; DROP TABLE IF EXISTS "PendingRollup"; DROP TABLE IF EXISTS "FacesRollup"; DROP TABLE IF EXISTS "SlaRollup"; DROP TABLE IF EXISTS "BaselineRollup";
        """;

    /// <summary>Whether anything is out of date for a window of $window ms: a cheap read, done before taking the write gate.</summary>
    public const string NeedsRefresh = """
        SELECT EXISTS (SELECT 1 FROM "OutcomesDirty") OR EXISTS (SELECT 1 FROM "Orders" WHERE "Id" > (SELECT "LastOrderId" FROM "OutcomesState"))
            OR (SELECT "WindowMs" IS NOT $window OR "MajorCents" IS NOT $major
                    OR ($highLoyalty IS NOT NULL AND ("HighLoyalty" IS NOT $highLoyalty OR "HighSales" IS NOT $highSales))
                                                                OR "Cutoff" IS NULL OR "Cutoff" < $now FROM "OutcomesState")
        """;

    /// <summary><see cref="NeedsRefresh"/> and the rollups' cutoff, in one read.</summary>
    public const string NeedsRefreshAndCutoff = $"""
        {NeedsRefresh}, (SELECT "Cutoff" FROM "OutcomesState")
        """;

    public const string NeedsRebuild = """
        SELECT "WindowMs" IS NOT $window OR "MajorCents" IS NOT $major
            OR ($highLoyalty IS NOT NULL AND ("HighLoyalty" IS NOT $highLoyalty OR "HighSales" IS NOT $highSales))
        FROM "OutcomesState"
        """;

    /// <summary>
    /// When the rows were built for another window (or never): every row goes, every customer is marked, and the window
    /// is recorded; <see cref="Refresh"/> then rebuilds them like any other change. Parameters $window, $major (cents).
    /// </summary>
    public const string StartRebuild = """
        DELETE FROM "ComplaintOutcomes";
        DELETE FROM "BaselineOutcomes";
        DELETE FROM "MatrixRollup";
        DELETE FROM "PendingRollup";
        DELETE FROM "FacesRollup";
        DELETE FROM "SlaRollup";
        DELETE FROM "BaselineRollup";
        INSERT OR IGNORE INTO "OutcomesDirty" ("CustomerId") SELECT "Id" FROM "Customers";
        UPDATE "OutcomesState" SET "WindowMs" = $window, "MajorCents" = $major, "Cutoff" = NULL,
            "LastOrderId" = COALESCE((SELECT MAX("Id") FROM "Orders"), 0),
            "HighLoyalty" = COALESCE($highLoyalty, "HighLoyalty", $defaultHighLoyalty), "HighSales" = COALESCE($highSales, "HighSales", $defaultHighSales);
        """;

    /// <summary>
    /// New orders are found by id rather than by a trigger (orders only ever get higher ids): a trigger per row made
    /// an import of a million orders 30 % slower. Their customers are marked, and the highest id recorded.
    /// </summary>
    public const string MarkNewOrders = """
        INSERT OR IGNORE INTO "OutcomesDirty" ("CustomerId")
        SELECT DISTINCT "CustomerId" FROM "Orders" WHERE "Id" > (SELECT "LastOrderId" FROM "OutcomesState");
        UPDATE "OutcomesState" SET "LastOrderId" = COALESCE((SELECT MAX("Id") FROM "Orders"), 0);
        """;

    /// <summary>The customer id that ends a batch of $batch marked customers (NULL: fewer are marked, take them all).</summary>
    public const string BatchEnd = """
        SELECT "CustomerId" FROM "OutcomesDirty" ORDER BY "CustomerId" LIMIT 1 OFFSET $batch - 1
        """;

    /// <summary>
    /// Rewrites the rows of the customers marked dirty up to $upto (NULL: all of them) and clears their marks; parameters
    /// $window and $year (ms). The definitions are the recovery matrix's (see
    /// <see cref="Features.Reports.RecoveryMatrixQuery"/>): anchor, late, repeat, the order at the anchor's very moment
    /// not counted as a return.
    /// </summary>
    public static readonly string Refresh = RefreshSql();

    private static string RefreshSql()
    {
        const string marked = """(SELECT "CustomerId" FROM "OutcomesDirty" WHERE $upto IS NULL OR "CustomerId" <= $upto)""";
        var (_, established) = Tenure.Range(TenureBand.New);
        var (_, longStanding) = Tenure.Range(TenureBand.Established);
        return $"""
            {Rollups(marked, "-", "$cutoff")}
            DELETE FROM "ComplaintOutcomes" WHERE "CustomerId" IN {marked};
            DELETE FROM "BaselineOutcomes" WHERE "CustomerId" IN {marked};
            INSERT INTO "ComplaintOutcomes" ("TicketId", "CustomerId", "ReceivedAt", "Severity", "IsRepeat", "Cell", "Sought", "Given", "RemedyCost",
                "RootCauseId", "RootTop", "Channel", "Product", "Agent", "FirstRespondedAt", "FirstResponseDueAt", "ResolvedAt", "ResolutionDueAt",
                "Level", "Tenure", "Band", "SlaSettledAt", "Anchor", "IsLatest", "LoyaltyClass", "SurveySentAt", "SurveyAnsweredAt", {string.Join(", ", Scores.Select(x => $"\"{x}\""))},
                "Revenue", "NextOrderAt", "RevenueYearBefore", "CustomerValue", "LastOrderAt")
            SELECT c.*,
                   (SELECT SUM(o."Amount") FROM "Orders" AS o WHERE o."CustomerId" = c."CustomerId" AND o."PlacedAt" > c."Anchor" AND o."PlacedAt" <= c."Anchor" + $window),
                   (SELECT MIN(o."PlacedAt") FROM "Orders" AS o WHERE o."CustomerId" = c."CustomerId" AND o."PlacedAt" > c."Anchor"),
                   (SELECT COALESCE(SUM(o."Amount"), 0) FROM "Orders" AS o WHERE o."CustomerId" = c."CustomerId" AND o."PlacedAt" > c."ReceivedAt" - $year AND o."PlacedAt" <= c."ReceivedAt"),
                   CASE WHEN c."IsLatest" THEN (SELECT COALESCE(SUM(o."Amount"), 0) FROM "Orders" AS o WHERE o."CustomerId" = c."CustomerId") END,
                   CASE WHEN c."IsLatest" THEN (SELECT MAX(o."PlacedAt") FROM "Orders" AS o WHERE o."CustomerId" = c."CustomerId") END
            FROM (
                SELECT t."Id", t."CustomerId", t."ReceivedAt", t."Severity" = 'Major', t."IsRepeatComplaint",
                       CASE WHEN t."State" NOT IN ('Resolved', 'FollowUp', 'Closed') THEN 0 WHEN t."ResolvedAt" <= t."ResolutionDueAt" THEN 2 ELSE 1 END,
                       t."RemedySoughtId", t."RemedyGivenId", COALESCE(t."RemedyCost", 0),
                       t."RootCauseId", (SELECT COALESCE(rc."ParentId", rc."Id") FROM "RootCauses" AS rc WHERE rc."Id" = t."RootCauseId"),
                       t."Channel", t."Product", COALESCE(t."AssignedTo", ''), t."FirstRespondedAt", t."FirstResponseDueAt",
                       CASE WHEN t."State" IN ('Resolved', 'FollowUp', 'Closed') THEN t."ResolvedAt" END, t."ResolutionDueAt",
                       cu."Level", t."ReceivedAt" - cu."FirstSeenAt",
                       CASE WHEN t."ReceivedAt" - cu."FirstSeenAt" < {(long)established!.Value.TotalMilliseconds} THEN 0
                            WHEN t."ReceivedAt" - cu."FirstSeenAt" < {(long)longStanding!.Value.TotalMilliseconds} THEN 1 ELSE 2 END,
                       MAX(CASE WHEN t."FirstRespondedAt" IS NULL THEN t."FirstResponseDueAt" + 1 ELSE 0 END,
                           CASE WHEN t."State" IN ('Resolved', 'FollowUp', 'Closed') THEN 0 ELSE t."ResolutionDueAt" + 1 END),
                       CASE WHEN t."State" IN ('Resolved', 'FollowUp', 'Closed') THEN t."ResolvedAt" ELSE t."ReceivedAt" END AS "Anchor",
                       ROW_NUMBER() OVER (PARTITION BY t."CustomerId" ORDER BY t."ReceivedAt" DESC, t."Id" DESC) = 1 AS "IsLatest",
                       {ClassOf("l")}, sv."SentAt", sv."AnsweredAt", {string.Join(", ", Scores.Select(x => $"sv.\"{x}\""))}
                FROM "Tickets" AS t JOIN "Customers" AS cu ON cu."Id" = t."CustomerId"
                LEFT JOIN "CustomerLoyalty" AS l ON l."CustomerId" = t."CustomerId"
                LEFT JOIN "Surveys" AS sv ON sv."TicketId" = t."Id"
                WHERE t."Kind" = 'Complaint' AND t."State" <> 'Rejected' AND t."CustomerId" IN {marked}) AS c;
            WITH b AS (
                SELECT o."CustomerId", CASE WHEN o."PlacedAt" - cu."FirstSeenAt" < {(long)established!.Value.TotalMilliseconds} THEN 0
                                            WHEN o."PlacedAt" - cu."FirstSeenAt" < {(long)longStanding!.Value.TotalMilliseconds} THEN 1 ELSE 2 END AS "Band",
                       MIN(o."PlacedAt") AS "Anchor", o."Amount", cu."Level"
                FROM "Orders" AS o JOIN "Customers" AS cu ON cu."Id" = o."CustomerId"
                WHERE o."CustomerId" IN {marked} AND NOT EXISTS (SELECT 1 FROM "Tickets" AS t WHERE t."CustomerId" = o."CustomerId")
                GROUP BY o."CustomerId", 2)
            , a AS (
                SELECT * FROM b
                UNION ALL
                SELECT b."CustomerId", -1, MIN(b."Anchor"), b."Amount", b."Level" FROM b GROUP BY b."CustomerId")
            INSERT INTO "BaselineOutcomes" ("CustomerId", "Band", "Anchor", "Amount", "Level", "Revenue")
            SELECT a.*, (SELECT SUM(o."Amount") FROM "Orders" AS o WHERE o."CustomerId" = a."CustomerId" AND o."PlacedAt" > a."Anchor" AND o."PlacedAt" <= a."Anchor" + $window)
            FROM a;
            {Rollups(marked, "", "$cutoff")}
            DELETE FROM "MatrixRollup" WHERE "N" = 0;
            DELETE FROM "PendingRollup" WHERE "N" = 0;
            DELETE FROM "FacesRollup" WHERE "Sent" = 0;
            DELETE FROM "SlaRollup" WHERE "Tickets" = 0;
            DELETE FROM "BaselineRollup" WHERE "N" = 0;
            DELETE FROM "OutcomesDirty" WHERE $upto IS NULL OR "CustomerId" <= $upto;
            """;
    }

    /// <summary>
    /// Moves the rollups on to $now: adds the rows that settled since the last cutoff (all settled rows the first time)
    /// and records $now as the cutoff. Parameters $now, $window, $major, $cutoff (the cutoff before: NULL the first time).
    /// </summary>
    public static readonly string Advance = $"""
        {Rollups(null, "", "$now")}
        {PendingRollup("-", "f.\"Anchor\" + $window > $cutoff AND f.\"Anchor\" + $window <= $now")}
        {PendingRollup("", "$cutoff IS NULL AND f.\"Anchor\" + $window > $now")}
        DELETE FROM "PendingRollup" WHERE "N" = 0;
        {FacesRollup("(($cutoff IS NULL AND f.\"SurveySentAt\" <= $now) OR (f.\"SurveySentAt\" > $cutoff AND f.\"SurveySentAt\" <= $now))", FacesSums("$now", "$cutoff"))}
        {FacesRollup("f.\"SurveySentAt\" <= $cutoff AND f.\"Anchor\" > $cutoff - $window AND f.\"Anchor\" <= $now - $window", FacesSums("$now", "$cutoff"))}
        DELETE FROM "FacesRollup" WHERE "Sent" = 0;
        UPDATE "OutcomesState" SET "Cutoff" = $now;
        """;

    /// <summary>
    /// After a build: statistics of the tables as they are now, so SQLite picks the indexes above (the demo load's
    /// ANALYZE saw them empty).
    /// </summary>
    public const string Analyze = """
        ANALYZE "ComplaintOutcomes"; ANALYZE "BaselineOutcomes"; ANALYZE "MatrixRollup"; ANALYZE "PendingRollup"; ANALYZE "FacesRollup"; ANALYZE "SlaRollup"; ANALYZE "BaselineRollup";
        """;

    /// <summary>
    /// Adds (sign "") or takes away (sign "-") rows' settled contributions to the three rollups: the rows of the
    /// <paramref name="customers"/> settled by <paramref name="at"/> — nothing while there is no cutoff yet — or, with no
    /// customers, every row that settled in ($cutoff, $now]. A complaint settles for the matrix when its window ends
    /// (anchor + window) and for the SLA report when nothing about its targets can change with time alone
    /// (<c>SlaSettledAt</c>: responded and resolved, or past the due times); a silent customer when the window after
    /// the first order ends. Sought and given remedies are -1 for none (a key cannot be NULL).
    /// </summary>
    private static string Rollups(string? customers, string sign, string at)
    {
        var (complaints, sla, baseline) = customers is null
            ? ("f.\"Anchor\" + $window > $cutoff AND f.\"Anchor\" + $window <= $now",
               "f.\"SlaSettledAt\" > $cutoff AND f.\"SlaSettledAt\" <= $now",
               "b.\"Anchor\" + $window > $cutoff AND b.\"Anchor\" + $window <= $now")
            : ($"f.\"CustomerId\" IN {customers} AND f.\"Anchor\" + $window <= {at}",
               $"f.\"CustomerId\" IN {customers} AND f.\"SlaSettledAt\" <= {at}",
               $"b.\"CustomerId\" IN {customers} AND b.\"Anchor\" + $window <= {at}");
        // The first advance (no cutoff yet) takes every settled row; a rewrite before the first advance has nothing to do.
        var first = customers is null ? " OR ($cutoff IS NULL AND {0} <= $now)" : "";
        string When(string condition, string settledAt) => customers is null
            ? $"(({condition}){string.Format(System.Globalization.CultureInfo.InvariantCulture, first, settledAt)})"
            : $"({condition} AND {at} IS NOT NULL)";
        var pending = customers is null ? "" : PendingRollup(sign, $"f.\"CustomerId\" IN {customers} AND f.\"Anchor\" + $window > {at} AND {at} IS NOT NULL");
        var faces = customers is null ? ""
            : FacesRollup($"f.\"CustomerId\" IN {customers} AND f.\"SurveySentAt\" <= {at} AND {at} IS NOT NULL", FacesSums(at, sign: sign));
        return $"""
            {pending}
            {faces}
            INSERT INTO "MatrixRollup" ("Week", "Level", "Band", "IsRepeat", "Severity", "Cell", "Sought", "Given", "N", "Repurchased", "Revenue", "RemedyCost")
            SELECT {Week("f.\"ReceivedAt\"")}, f."Level", f."Band", f."IsRepeat", f."Severity", f."Cell", COALESCE(f."Sought", -1), COALESCE(f."Given", -1),
                   {sign}COUNT(*), {sign}COUNT(f."Revenue"), {sign}COALESCE(SUM(f."Revenue"), 0), {sign}SUM(f."RemedyCost")
            FROM "ComplaintOutcomes" AS f WHERE {When(complaints, "f.\"Anchor\" + $window")}
            GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
            ON CONFLICT DO UPDATE SET "N" = "N" + excluded."N", "Repurchased" = "Repurchased" + excluded."Repurchased",
                "Revenue" = "Revenue" + excluded."Revenue", "RemedyCost" = "RemedyCost" + excluded."RemedyCost";
            INSERT INTO "SlaRollup" ("Week", "Level", "Band", "Severity", "Agent", "Tickets", "FirstMet", "ResolutionMet", "Resolved", "ToResolve")
            SELECT {Week("f.\"ReceivedAt\"")}, f."Level", f."Band", f."Severity", f."Agent",
                   {sign}COUNT(*), {sign}COALESCE(SUM(f."FirstRespondedAt" <= f."FirstResponseDueAt"), 0),
                   {sign}COALESCE(SUM(f."ResolvedAt" <= f."ResolutionDueAt"), 0), {sign}COUNT(f."ResolvedAt"),
                   {sign}COALESCE(SUM(f."ResolvedAt" - f."ReceivedAt"), 0)
            FROM "ComplaintOutcomes" AS f WHERE {When(sla, "f.\"SlaSettledAt\"")}
            GROUP BY 1, 2, 3, 4, 5
            ON CONFLICT DO UPDATE SET "Tickets" = "Tickets" + excluded."Tickets", "FirstMet" = "FirstMet" + excluded."FirstMet",
                "ResolutionMet" = "ResolutionMet" + excluded."ResolutionMet", "Resolved" = "Resolved" + excluded."Resolved",
                "ToResolve" = "ToResolve" + excluded."ToResolve";
            INSERT INTO "BaselineRollup" ("Band", "Week", "Level", "Major", "N", "Repurchased", "Revenue")
            SELECT b."Band", {Week("b.\"Anchor\"")}, b."Level", b."Amount" >= $major, {sign}COUNT(*), {sign}COUNT(b."Revenue"), {sign}COALESCE(SUM(b."Revenue"), 0)
            FROM "BaselineOutcomes" AS b WHERE {When(baseline, "b.\"Anchor\" + $window")}
            GROUP BY 1, 2, 3, 4
            ON CONFLICT DO UPDATE SET "N" = "N" + excluded."N", "Repurchased" = "Repurchased" + excluded."Repurchased",
                "Revenue" = "Revenue" + excluded."Revenue";
            """;
    }

    /// <summary>
    /// Adds (sign "") or takes away ("-") complaints not settled by the cutoff, counted as pending with their remedy
    /// cost: the matrix reads them from here, and only the few that settled since the cutoff live.
    /// </summary>
    private static string PendingRollup(string sign, string where) => $"""
        INSERT INTO "PendingRollup" ("IsRepeat", "Severity", "Cell", "Sought", "Given", "Level", "Band", "Week", "N", "RemedyCost")
        SELECT f."IsRepeat", f."Severity", f."Cell", COALESCE(f."Sought", -1), COALESCE(f."Given", -1), f."Level", f."Band", {Week("f.\"ReceivedAt\"")},
               {sign}COUNT(*), {sign}SUM(f."RemedyCost")
        FROM "ComplaintOutcomes" AS f WHERE {where}
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
        ON CONFLICT DO UPDATE SET "N" = "N" + excluded."N", "RemedyCost" = "RemedyCost" + excluded."RemedyCost";
        """;

    /// <summary>Adds to the three faces rollup what <paramref name="sums"/> (already signed) says for the rows <paramref name="where"/> picks.</summary>
    private static string FacesRollup(string where, string sums) => $"""
        INSERT INTO "FacesRollup" ("Class", "Cause", "Month", "Level", "Band", "Week", {string.Join(", ", FacesMeasures.Select(m => $"\"{m.Name}\""))})
        SELECT {FacesKey}, {sums}
        FROM "ComplaintOutcomes" AS f WHERE f."SurveySentAt" IS NOT NULL AND {where}
        GROUP BY 1, 2, 3, 4, 5, 6
        ON CONFLICT DO UPDATE SET {string.Join(", ", FacesMeasures.Select(m => $"\"{m.Name}\" = \"{m.Name}\" + excluded.\"{m.Name}\""))};
        """;

    /// <summary>The week (Monday to Sunday, UTC) of a Unix-ms time, counted from the epoch's week: the SLA report's weeks.</summary>
    public static string Week(string time) => $"({time} / 86400000 + 3) / 7";

    /// <summary>Where week <paramref name="week"/> starts, in Unix ms (the inverse of <see cref="Week"/> for times after 1970).</summary>
    public static long WeekStart(long week) => (week * 7 - 3) * 86_400_000L;
}

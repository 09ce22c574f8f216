namespace Desk.Web.Data.Sqlite;

/// <summary>
/// The reports' kept outcomes on SQLite (see <see cref="ReportDialect"/> for what they are and the SQL both databases
/// share): the tables, the triggers that mark what goes out of date, and the expressions SQLite writes its own way.
/// The tables and triggers are migration ReportOutcomes' (which carries a copy; a test holds the two together, so a
/// change here needs a migration of its own).
/// </summary>
public sealed class ReportOutcomesSql : ReportDialect
{
    public static readonly ReportOutcomesSql Instance = new();

    private ReportOutcomesSql()
    {
    }

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
        CREATE TABLE "TrendRollup" (
            "Split" INTEGER NOT NULL, "Grp" TEXT NOT NULL, "Level" TEXT NOT NULL, "Band" INTEGER NOT NULL, "Week" INTEGER NOT NULL,
            "Complaints" INTEGER NOT NULL, "Bought" INTEGER NOT NULL, "Measured" INTEGER NOT NULL, "Pending" INTEGER NOT NULL, "Cost" INTEGER NOT NULL,
            "Tickets" INTEGER NOT NULL, "FirstMet" INTEGER NOT NULL, "ResolutionMet" INTEGER NOT NULL,
            PRIMARY KEY ("Split", "Week", "Grp", "Level", "Band")) WITHOUT ROWID;
        CREATE TABLE "OutcomesDirty" ("CustomerId" INTEGER NOT NULL PRIMARY KEY);
        CREATE TABLE "OutcomesState" ("Id" INTEGER NOT NULL PRIMARY KEY CHECK ("Id" = 1), "WindowMs" INTEGER NULL, "MajorCents" INTEGER NULL, "Cutoff" INTEGER NULL,
            "LastOrderId" INTEGER NOT NULL, "HighLoyalty" INTEGER NULL, "HighSales" INTEGER NULL, "MarkFrom" INTEGER NULL);
        INSERT INTO "OutcomesState" ("Id", "WindowMs", "MajorCents", "Cutoff", "LastOrderId") VALUES (1, NULL, NULL, NULL, 0);
        {{EmptyRollupRowIndexes}}
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
        DROP TABLE IF EXISTS "MatrixRollup"; DROP TABLE IF EXISTS "PendingRollup"; DROP TABLE IF EXISTS "FacesRollup"; DROP TABLE IF EXISTS "SlaRollup"; DROP TABLE IF EXISTS "BaselineRollup"; DROP TABLE IF EXISTS "TrendRollup";
        """;

    public override string Month(string unixMilliseconds) => $"strftime('%Y-%m', {unixMilliseconds} / 1000, 'unixepoch')";

    /// <summary>SQLite's MAX with two arguments is the scalar one (NULL if either is; the callers' never are).</summary>
    public override string Greatest(string a, string b) => $"MAX({a}, {b})";

    public override string Least(string a, string b) => $"MIN({a}, {b})";

    public override string Temp(string table) => $"temp.\"{table}\"";

    public override string IndexTemp(string table, string column) => $"CREATE INDEX temp.\"{table}_{column}\" ON \"{table}\" (\"{column}\");";

    /// <summary>None: every writer of the file waits at its write gate, and SQLite has one writer at a time anyway.</summary>
    public override string? Exclusive(string work) => null;

    /// <summary>None: no one else writes while a refresh does, so it reads the marks in each statement and clears them at its end.</summary>
    public override string? ClaimMarked => null;

    protected override string Marked => """(SELECT "CustomerId" FROM "OutcomesDirty" WHERE "CustomerId" <= COALESCE(CAST(@upto AS BIGINT), 9223372036854775807))""";

    protected override string ClearMarked => """DELETE FROM "OutcomesDirty" WHERE "CustomerId" <= COALESCE(CAST(@upto AS BIGINT), 9223372036854775807);""";

    /// <summary>
    /// With SQLite's bare columns: beside MIN(), o."Amount" is the amount of the order with the earliest time (of one of
    /// them, when two share the millisecond).
    /// </summary>
    protected override string InsertBaseline(string marked, string band) => $"""
        WITH b AS (
            SELECT o."CustomerId", {band} AS "Band",
                   MIN(o."PlacedAt") AS "Anchor", o."Amount", cu."Level"
            FROM "Orders" AS o JOIN "Customers" AS cu ON cu."Id" = o."CustomerId"
            WHERE o."CustomerId" IN {marked} AND NOT EXISTS (SELECT 1 FROM "Tickets" AS t WHERE t."CustomerId" = o."CustomerId")
            GROUP BY o."CustomerId", 2)
        , a AS (
            SELECT * FROM b
            UNION ALL
            SELECT b."CustomerId", -1, MIN(b."Anchor"), b."Amount", b."Level" FROM b GROUP BY b."CustomerId")
        INSERT INTO "BaselineOutcomes" ("CustomerId", "Band", "Anchor", "Amount", "Level", "Revenue")
        SELECT a.*, (SELECT SUM(o."Amount") FROM "Orders" AS o WHERE o."CustomerId" = a."CustomerId" AND o."PlacedAt" > a."Anchor" AND o."PlacedAt" <= a."Anchor" + @window)
        FROM a;
        """;
}

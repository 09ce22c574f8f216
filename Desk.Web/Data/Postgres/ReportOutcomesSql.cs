namespace Desk.Web.Data.Postgres;

/// <summary>
/// The reports' kept outcomes on PostgreSQL (see <see cref="ReportDialect"/> for what they are and the SQL both
/// databases share): the tables, the triggers that mark what goes out of date, and the expressions PostgreSQL writes its
/// own way. The tables and triggers are migration ReportOutcomes' (which carries a copy; a test holds the two together,
/// so a change here needs a migration of its own).
/// <para>
/// Several desks may write one database at once, so what SQLite gets from having one writer is made explicit here:
/// refreshes take turns (a transaction-level advisory lock); a refresh claims the marks it works on
/// (<c>FOR UPDATE SKIP LOCKED</c>) and works from that list, so a mark made meanwhile waits for the next one; and a
/// writer holds its customer's mark (<c>FOR KEY SHARE</c>) until it commits, so a refresh never claims a mark whose
/// change it cannot see yet — it skips it, and the next refresh takes it.
/// </para>
/// </summary>
public sealed class ReportOutcomesSql : ReportDialect
{
    public static readonly ReportOutcomesSql Instance = new();

    private ReportOutcomesSql()
    {
    }

    /// <summary>
    /// The tables as the migrations create them: SQLite's, with bigint for times, money, ids and counts, integer for
    /// small codes (0/1 flags stay integers, as the report SQL reads them on both), text for names.
    /// </summary>
    public static readonly string CreateTables = $$"""
        CREATE TABLE "ComplaintOutcomes" (
            "TicketId" bigint NOT NULL,
            "CustomerId" bigint NOT NULL,
            "ReceivedAt" bigint NOT NULL,
            "Severity" integer NOT NULL,
            "IsRepeat" integer NOT NULL,
            "Cell" integer NOT NULL,
            "Sought" integer NULL,
            "Given" integer NULL,
            "RemedyCost" bigint NOT NULL,
            "RootCauseId" integer NULL,
            "RootTop" integer NULL,
            "Channel" text NOT NULL,
            "Product" text NULL,
            "Agent" text NOT NULL,
            "FirstRespondedAt" bigint NULL,
            "FirstResponseDueAt" bigint NOT NULL,
            "ResolvedAt" bigint NULL,
            "ResolutionDueAt" bigint NOT NULL,
            "Level" text NOT NULL,
            "Tenure" bigint NOT NULL,
            "Band" integer NOT NULL,
            "SlaSettledAt" bigint NOT NULL,
            "Anchor" bigint NOT NULL,
            "Revenue" bigint NULL,
            "NextOrderAt" bigint NULL,
            "RevenueYearBefore" bigint NOT NULL,
            "IsLatest" integer NOT NULL,
            "CustomerValue" bigint NULL,
            "LastOrderAt" bigint NULL,
            "LoyaltyClass" text NOT NULL,
            "SurveySentAt" bigint NULL,
            "SurveyAnsweredAt" bigint NULL,
            {{string.Join(",\n    ", Scores.Select(score => $"\"{score}\" integer NULL"))}},
            CONSTRAINT "PK_ComplaintOutcomes" PRIMARY KEY ("TicketId"));
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
            "CustomerId" bigint NOT NULL,
            "Band" integer NOT NULL,
            "Anchor" bigint NOT NULL,
            "Amount" bigint NOT NULL,
            "Revenue" bigint NULL,
            "Level" text NOT NULL,
            CONSTRAINT "PK_BaselineOutcomes" PRIMARY KEY ("CustomerId", "Band"));
        CREATE INDEX "IX_BaselineOutcomes_Band" ON "BaselineOutcomes" ("Band", "Anchor", "Amount", "Revenue", "Level");
        CREATE INDEX "IX_BaselineOutcomes_Anchor" ON "BaselineOutcomes" ("Anchor");
        CREATE TABLE "MatrixRollup" (
            "Week" bigint NOT NULL, "Level" text NOT NULL, "Band" integer NOT NULL, "IsRepeat" integer NOT NULL, "Severity" integer NOT NULL,
            "Cell" integer NOT NULL, "Sought" integer NOT NULL, "Given" integer NOT NULL,
            "N" bigint NOT NULL, "Repurchased" bigint NOT NULL, "Revenue" bigint NOT NULL, "RemedyCost" bigint NOT NULL,
            CONSTRAINT "PK_MatrixRollup" PRIMARY KEY ("IsRepeat", "Severity", "Cell", "Sought", "Given", "Level", "Band", "Week"));
        CREATE TABLE "PendingRollup" (
            "IsRepeat" integer NOT NULL, "Severity" integer NOT NULL, "Cell" integer NOT NULL, "Sought" integer NOT NULL, "Given" integer NOT NULL,
            "Level" text NOT NULL, "Band" integer NOT NULL, "Week" bigint NOT NULL, "N" bigint NOT NULL, "RemedyCost" bigint NOT NULL,
            CONSTRAINT "PK_PendingRollup" PRIMARY KEY ("IsRepeat", "Severity", "Cell", "Sought", "Given", "Level", "Band", "Week"));
        CREATE TABLE "FacesRollup" (
            "Class" text NOT NULL, "Cause" integer NOT NULL, "Month" text NOT NULL, "Level" text NOT NULL, "Band" integer NOT NULL, "Week" bigint NOT NULL,
            {{string.Join(", ", FacesMeasures.Select(m => $"\"{m.Name}\" bigint NOT NULL"))}},
            CONSTRAINT "PK_FacesRollup" PRIMARY KEY ("Class", "Cause", "Month", "Level", "Band", "Week"));
        CREATE TABLE "SlaRollup" (
            "Week" bigint NOT NULL, "Level" text NOT NULL, "Band" integer NOT NULL, "Severity" integer NOT NULL, "Agent" text NOT NULL,
            "Tickets" bigint NOT NULL, "FirstMet" bigint NOT NULL, "ResolutionMet" bigint NOT NULL, "Resolved" bigint NOT NULL, "ToResolve" bigint NOT NULL,
            CONSTRAINT "PK_SlaRollup" PRIMARY KEY ("Week", "Level", "Band", "Severity", "Agent"));
        CREATE TABLE "BaselineRollup" (
            "Band" integer NOT NULL, "Week" bigint NOT NULL, "Level" text NOT NULL, "Major" integer NOT NULL,
            "N" bigint NOT NULL, "Repurchased" bigint NOT NULL, "Revenue" bigint NOT NULL,
            CONSTRAINT "PK_BaselineRollup" PRIMARY KEY ("Band", "Week", "Level", "Major"));
        CREATE TABLE "TrendRollup" (
            "Split" integer NOT NULL, "Grp" text NOT NULL, "Level" text NOT NULL, "Band" integer NOT NULL, "Week" bigint NOT NULL,
            "Complaints" bigint NOT NULL, "Bought" bigint NOT NULL, "Measured" bigint NOT NULL, "Pending" bigint NOT NULL, "Cost" bigint NOT NULL,
            "Tickets" bigint NOT NULL, "FirstMet" bigint NOT NULL, "ResolutionMet" bigint NOT NULL,
            CONSTRAINT "PK_TrendRollup" PRIMARY KEY ("Split", "Week", "Grp", "Level", "Band"));
        CREATE TABLE "OutcomesDirty" ("CustomerId" bigint NOT NULL, "Claimed" boolean NOT NULL DEFAULT false,
            CONSTRAINT "PK_OutcomesDirty" PRIMARY KEY ("CustomerId"));
        CREATE TABLE "OutcomesState" ("Id" integer NOT NULL, "WindowMs" bigint NULL, "MajorCents" bigint NULL, "Cutoff" bigint NULL,
            "LastOrderId" bigint NOT NULL, "HighLoyalty" integer NULL, "HighSales" integer NULL, "MarkFrom" bigint NULL,
            CONSTRAINT "PK_OutcomesState" PRIMARY KEY ("Id"), CONSTRAINT "CK_OutcomesState_One" CHECK ("Id" = 1));
        INSERT INTO "OutcomesState" ("Id", "WindowMs", "MajorCents", "Cutoff", "LastOrderId") VALUES (1, NULL, NULL, NULL, 0);
        {{EmptyRollupRowIndexes}}
        """;

    /// <summary>Every column of a ticket a report reads; other changes (a note, a version bump) mark nothing.</summary>
    private const string TicketColumns = """
        "CustomerId", "Kind", "State", "Severity", "IsRepeatComplaint", "RemedyCost", "RemedySoughtId", "RemedyGivenId",
        "RootCauseId", "ReceivedAt", "ResolvedAt", "ResolutionDueAt", "FirstRespondedAt", "FirstResponseDueAt", "AssignedTo",
        "Channel", "Product"
        """;

    /// <summary>
    /// The functions and triggers, as SQLite's (one row trigger per change a report reads), the marks written with
    /// <c>ON CONFLICT DO NOTHING</c>. A mark that was there already is held with <c>FOR KEY SHARE</c> until this
    /// transaction ends: writers do not wait for each other, but a refresh claiming marks skips this one until the
    /// change is committed (and a refresh's claim in progress makes the writer wait, then mark again).
    /// </summary>
    public static readonly string CreateTriggers = $"""
        CREATE FUNCTION "desk_outcomes_mark"(customer bigint) RETURNS void LANGUAGE plpgsql AS $fn$
        BEGIN
            LOOP
                INSERT INTO "OutcomesDirty" ("CustomerId") VALUES (customer) ON CONFLICT ("CustomerId") DO NOTHING;
                EXIT WHEN FOUND;
                PERFORM 1 FROM "OutcomesDirty" WHERE "CustomerId" = customer FOR KEY SHARE;
                EXIT WHEN FOUND;
            END LOOP;
        END $fn$;
        CREATE FUNCTION "desk_outcomes_mark_customer_of"() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                PERFORM "desk_outcomes_mark"(NEW."CustomerId");
            ELSIF TG_OP = 'DELETE' THEN
                PERFORM "desk_outcomes_mark"(OLD."CustomerId");
            ELSE
                PERFORM "desk_outcomes_mark"(OLD."CustomerId");
                IF NEW."CustomerId" IS DISTINCT FROM OLD."CustomerId" THEN
                    PERFORM "desk_outcomes_mark"(NEW."CustomerId");
                END IF;
            END IF;
            RETURN NULL;
        END $fn$;
        CREATE FUNCTION "desk_outcomes_mark_customer"() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                PERFORM "desk_outcomes_mark"(OLD."Id");
            ELSE
                PERFORM "desk_outcomes_mark"(NEW."Id");
            END IF;
            RETURN NULL;
        END $fn$;
        CREATE FUNCTION "desk_outcomes_rebuild"() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            UPDATE "OutcomesState" SET "WindowMs" = NULL;
            RETURN NULL;
        END $fn$;
        CREATE TRIGGER "Outcomes_Order_Update" AFTER UPDATE OF "CustomerId", "PlacedAt", "Amount" ON "Orders"
            FOR EACH ROW EXECUTE FUNCTION "desk_outcomes_mark_customer_of"();
        CREATE TRIGGER "Outcomes_Order_Delete" AFTER DELETE ON "Orders"
            FOR EACH ROW EXECUTE FUNCTION "desk_outcomes_mark_customer_of"();
        CREATE TRIGGER "Outcomes_Ticket_Insert" AFTER INSERT ON "Tickets"
            FOR EACH ROW EXECUTE FUNCTION "desk_outcomes_mark_customer_of"();
        CREATE TRIGGER "Outcomes_Ticket_Update" AFTER UPDATE OF {TicketColumns} ON "Tickets"
            FOR EACH ROW EXECUTE FUNCTION "desk_outcomes_mark_customer_of"();
        CREATE TRIGGER "Outcomes_Ticket_Delete" AFTER DELETE ON "Tickets"
            FOR EACH ROW EXECUTE FUNCTION "desk_outcomes_mark_customer_of"();
        CREATE TRIGGER "Outcomes_Customer_Update" AFTER UPDATE OF "Level", "FirstSeenAt" ON "Customers"
            FOR EACH ROW EXECUTE FUNCTION "desk_outcomes_mark_customer"();
        CREATE TRIGGER "Outcomes_Customer_Delete" AFTER DELETE ON "Customers"
            FOR EACH ROW EXECUTE FUNCTION "desk_outcomes_mark_customer"();
        CREATE TRIGGER "Outcomes_Survey_Insert" AFTER INSERT ON "Surveys"
            FOR EACH ROW EXECUTE FUNCTION "desk_outcomes_mark_customer_of"();
        CREATE TRIGGER "Outcomes_Survey_Update" AFTER UPDATE OF "TicketId", "CustomerId", "SentAt", "AnsweredAt", {string.Join(", ", Scores.Select(x => $"\"{x}\""))} ON "Surveys"
            FOR EACH ROW EXECUTE FUNCTION "desk_outcomes_mark_customer_of"();
        CREATE TRIGGER "Outcomes_Survey_Delete" AFTER DELETE ON "Surveys"
            FOR EACH ROW EXECUTE FUNCTION "desk_outcomes_mark_customer_of"();
        CREATE TRIGGER "Outcomes_RootCause_Update" AFTER UPDATE OF "ParentId" ON "RootCauses"
            FOR EACH ROW EXECUTE FUNCTION "desk_outcomes_rebuild"();
        """;

    /// <summary>The triggers alone (a bulk load may drop them while it writes a new database, whose rows are all built on first use).</summary>
    public const string DropTriggers = """
        DROP TRIGGER IF EXISTS "Outcomes_Order_Update" ON "Orders"; DROP TRIGGER IF EXISTS "Outcomes_Order_Delete" ON "Orders";
        DROP TRIGGER IF EXISTS "Outcomes_Ticket_Insert" ON "Tickets"; DROP TRIGGER IF EXISTS "Outcomes_Ticket_Update" ON "Tickets";
        DROP TRIGGER IF EXISTS "Outcomes_Ticket_Delete" ON "Tickets";
        DROP TRIGGER IF EXISTS "Outcomes_Customer_Update" ON "Customers"; DROP TRIGGER IF EXISTS "Outcomes_Customer_Delete" ON "Customers";
        DROP TRIGGER IF EXISTS "Outcomes_RootCause_Update" ON "RootCauses";
        DROP TRIGGER IF EXISTS "Outcomes_Survey_Insert" ON "Surveys"; DROP TRIGGER IF EXISTS "Outcomes_Survey_Update" ON "Surveys";
        DROP TRIGGER IF EXISTS "Outcomes_Survey_Delete" ON "Surveys";
        DROP FUNCTION IF EXISTS "desk_outcomes_mark_customer_of"(); DROP FUNCTION IF EXISTS "desk_outcomes_mark_customer"();
        DROP FUNCTION IF EXISTS "desk_outcomes_rebuild"(); DROP FUNCTION IF EXISTS "desk_outcomes_mark"(bigint);
        """;

    public const string Drop = $"""
        {DropTriggers}
        DROP TABLE IF EXISTS "ComplaintOutcomes"; DROP TABLE IF EXISTS "BaselineOutcomes";
        DROP TABLE IF EXISTS "OutcomesDirty"; DROP TABLE IF EXISTS "OutcomesState";
        DROP TABLE IF EXISTS "MatrixRollup"; DROP TABLE IF EXISTS "PendingRollup"; DROP TABLE IF EXISTS "FacesRollup"; DROP TABLE IF EXISTS "SlaRollup"; DROP TABLE IF EXISTS "BaselineRollup"; DROP TABLE IF EXISTS "TrendRollup";
        """;

    public override string Month(string unixMilliseconds) => $"to_char(to_timestamp({unixMilliseconds} / 1000) AT TIME ZONE 'UTC', 'YYYY-MM')";

    public override string Greatest(string a, string b) => $"GREATEST({a}, {b})";

    public override string Least(string a, string b) => $"LEAST({a}, {b})";

    /// <summary>pg_temp: this session's own schema of temporary tables, whatever the search path says.</summary>
    public override string Temp(string table) => $"pg_temp.\"{table}\"";

    /// <summary>Autovacuum never analyses a temporary table: without statistics the planner would guess its size.</summary>
    public override string IndexTemp(string table, string column) =>
        $"CREATE INDEX \"{table}_{column}\" ON pg_temp.\"{table}\" (\"{column}\"); ANALYZE pg_temp.\"{table}\";";

    /// <summary>A transaction-level advisory lock, released at commit or rollback; desks sharing the database take turns.</summary>
    public override string? Exclusive(string work) => $"SELECT pg_advisory_xact_lock(hashtext('Desk.{work}'))";

    /// <summary>
    /// Claims the marks up to @upto that no writer holds (<c>"Claimed"</c>, seen as such only by this transaction, which
    /// deletes them at its end): a mark held <c>FOR KEY SHARE</c> by a writer not committed yet is skipped, not waited
    /// for, and stays for the next refresh, which then sees the change. Marks made meanwhile are not claimed either.
    /// </summary>
    public override string? ClaimMarked => """
        UPDATE "OutcomesDirty" SET "Claimed" = true WHERE "CustomerId" IN (
            SELECT d."CustomerId" FROM "OutcomesDirty" AS d WHERE d."CustomerId" <= COALESCE(CAST(@upto AS BIGINT), 9223372036854775807) FOR UPDATE SKIP LOCKED)
        """;

    // The claimed marks are read within the claim's range: "WHERE Claimed" alone read every mark (47 ms a statement with
    // a million marked, four statements a slice), and only the claim set it on marks in that range.
    protected override string Marked => """(SELECT d."CustomerId" FROM "OutcomesDirty" AS d WHERE d."CustomerId" <= COALESCE(CAST(@upto AS BIGINT), 9223372036854775807) AND d."Claimed")""";

    protected override string ClearMarked => """DELETE FROM "OutcomesDirty" WHERE "CustomerId" <= COALESCE(CAST(@upto AS BIGINT), 9223372036854775807) AND "Claimed";""";

    /// <summary>The first order per band is the earliest one, the lowest id among those of one millisecond.</summary>
    protected override string InsertBaseline(string marked, string band) => $"""
        WITH banded AS (
            SELECT o."Id", o."CustomerId", {band} AS "Band", o."PlacedAt", o."Amount", cu."Level"
            FROM "Orders" AS o JOIN "Customers" AS cu ON cu."Id" = o."CustomerId"
            WHERE o."CustomerId" IN {marked} AND NOT EXISTS (SELECT 1 FROM "Tickets" AS t WHERE t."CustomerId" = o."CustomerId"))
        , b AS (
            SELECT DISTINCT ON (banded."CustomerId", banded."Band") banded."CustomerId", banded."Band", banded."PlacedAt" AS "Anchor", banded."Amount", banded."Level"
            FROM banded ORDER BY banded."CustomerId", banded."Band", banded."PlacedAt", banded."Id")
        , a AS (
            SELECT * FROM b
            UNION ALL
            SELECT * FROM (
                SELECT DISTINCT ON (b."CustomerId") b."CustomerId", -1 AS "Band", b."Anchor", b."Amount", b."Level"
                FROM b ORDER BY b."CustomerId", b."Anchor") AS earliest)
        INSERT INTO "BaselineOutcomes" ("CustomerId", "Band", "Anchor", "Amount", "Level", "Revenue")
        SELECT a.*, (SELECT SUM(o."Amount") FROM "Orders" AS o WHERE o."CustomerId" = a."CustomerId" AND o."PlacedAt" > a."Anchor" AND o."PlacedAt" <= a."Anchor" + @window)
        FROM a;
        """;
}

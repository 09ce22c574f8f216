using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Desk.Web.Data.Postgres.Migrations
{
    /// <summary>
    /// Each complaint's outcome and each silent customer's baseline, kept for the reports, with their weekly rollups and
    /// the triggers that mark what goes out of date; the first report (or the background refresher) builds them, since
    /// OutcomesState starts with no window. The SQL is <see cref="ReportOutcomesSql"/>'s as it was when this migration
    /// was written, copied so the migration stays what it was (a test holds the two together): a later change needs a
    /// migration of its own. The EF model does not change, so there is no designer file.
    /// </summary>
    [DbContext(typeof(PostgresDeskDbContext))]
    [Migration("20261206140000_ReportOutcomes")]
    public partial class ReportOutcomes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(CreateTables);
            migrationBuilder.Sql(CreateTriggers);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(DropTriggers);
            migrationBuilder.Sql(DropTables);
        }

        private const string CreateTables = """
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
                "OutcomeSatisfaction" integer NULL,
                "HandlingSatisfaction" integer NULL,
                "Intention" integer NULL,
                "Reliability" integer NULL,
                "Responsiveness" integer NULL,
                "Assurance" integer NULL,
                "Empathy" integer NULL,
                "Tangibles" integer NULL,
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
                "Sent" bigint NOT NULL, "Answered" bigint NOT NULL, "OutcomeSatisfactionSum" bigint NOT NULL, "OutcomeSatisfactionN" bigint NOT NULL, "HandlingSatisfactionSum" bigint NOT NULL, "HandlingSatisfactionN" bigint NOT NULL, "IntentionSum" bigint NOT NULL, "IntentionN" bigint NOT NULL, "ReliabilitySum" bigint NOT NULL, "ReliabilityN" bigint NOT NULL, "ResponsivenessSum" bigint NOT NULL, "ResponsivenessN" bigint NOT NULL, "AssuranceSum" bigint NOT NULL, "AssuranceN" bigint NOT NULL, "EmpathySum" bigint NOT NULL, "EmpathyN" bigint NOT NULL, "TangiblesSum" bigint NOT NULL, "TangiblesN" bigint NOT NULL, "Measured" bigint NOT NULL, "Pending" bigint NOT NULL, "Repurchased" bigint NOT NULL,
                CONSTRAINT "PK_FacesRollup" PRIMARY KEY ("Class", "Cause", "Month", "Level", "Band", "Week"));
            CREATE TABLE "SlaRollup" (
                "Week" bigint NOT NULL, "Level" text NOT NULL, "Band" integer NOT NULL, "Severity" integer NOT NULL, "Agent" text NOT NULL,
                "Tickets" bigint NOT NULL, "FirstMet" bigint NOT NULL, "ResolutionMet" bigint NOT NULL, "Resolved" bigint NOT NULL, "ToResolve" bigint NOT NULL,
                CONSTRAINT "PK_SlaRollup" PRIMARY KEY ("Week", "Level", "Band", "Severity", "Agent"));
            CREATE TABLE "BaselineRollup" (
                "Band" integer NOT NULL, "Week" bigint NOT NULL, "Level" text NOT NULL, "Major" integer NOT NULL,
                "N" bigint NOT NULL, "Repurchased" bigint NOT NULL, "Revenue" bigint NOT NULL,
                CONSTRAINT "PK_BaselineRollup" PRIMARY KEY ("Band", "Week", "Level", "Major"));
            CREATE TABLE "OutcomesDirty" ("CustomerId" bigint NOT NULL, "Claimed" boolean NOT NULL DEFAULT false,
                CONSTRAINT "PK_OutcomesDirty" PRIMARY KEY ("CustomerId"));
            CREATE TABLE "OutcomesState" ("Id" integer NOT NULL, "WindowMs" bigint NULL, "MajorCents" bigint NULL, "Cutoff" bigint NULL,
                "LastOrderId" bigint NOT NULL, "HighLoyalty" integer NULL, "HighSales" integer NULL,
                CONSTRAINT "PK_OutcomesState" PRIMARY KEY ("Id"), CONSTRAINT "CK_OutcomesState_One" CHECK ("Id" = 1));
            INSERT INTO "OutcomesState" ("Id", "WindowMs", "MajorCents", "Cutoff", "LastOrderId") VALUES (1, NULL, NULL, NULL, 0);
            """;

        private const string CreateTriggers = """
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
            CREATE TRIGGER "Outcomes_Ticket_Update" AFTER UPDATE OF "CustomerId", "Kind", "State", "Severity", "IsRepeatComplaint", "RemedyCost",
                "RemedySoughtId", "RemedyGivenId", "RootCauseId", "ReceivedAt", "ResolvedAt", "ResolutionDueAt", "FirstRespondedAt",
                "FirstResponseDueAt", "AssignedTo", "Channel", "Product" ON "Tickets"
                FOR EACH ROW EXECUTE FUNCTION "desk_outcomes_mark_customer_of"();
            CREATE TRIGGER "Outcomes_Ticket_Delete" AFTER DELETE ON "Tickets"
                FOR EACH ROW EXECUTE FUNCTION "desk_outcomes_mark_customer_of"();
            CREATE TRIGGER "Outcomes_Customer_Update" AFTER UPDATE OF "Level", "FirstSeenAt" ON "Customers"
                FOR EACH ROW EXECUTE FUNCTION "desk_outcomes_mark_customer"();
            CREATE TRIGGER "Outcomes_Customer_Delete" AFTER DELETE ON "Customers"
                FOR EACH ROW EXECUTE FUNCTION "desk_outcomes_mark_customer"();
            CREATE TRIGGER "Outcomes_Survey_Insert" AFTER INSERT ON "Surveys"
                FOR EACH ROW EXECUTE FUNCTION "desk_outcomes_mark_customer_of"();
            CREATE TRIGGER "Outcomes_Survey_Update" AFTER UPDATE OF "TicketId", "CustomerId", "SentAt", "AnsweredAt", "OutcomeSatisfaction",
                "HandlingSatisfaction", "Intention", "Reliability", "Responsiveness", "Assurance", "Empathy", "Tangibles" ON "Surveys"
                FOR EACH ROW EXECUTE FUNCTION "desk_outcomes_mark_customer_of"();
            CREATE TRIGGER "Outcomes_Survey_Delete" AFTER DELETE ON "Surveys"
                FOR EACH ROW EXECUTE FUNCTION "desk_outcomes_mark_customer_of"();
            CREATE TRIGGER "Outcomes_RootCause_Update" AFTER UPDATE OF "ParentId" ON "RootCauses"
                FOR EACH ROW EXECUTE FUNCTION "desk_outcomes_rebuild"();
            """;

        private const string DropTriggers = """
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

        private const string DropTables = """
            DROP TABLE IF EXISTS "ComplaintOutcomes"; DROP TABLE IF EXISTS "BaselineOutcomes";
            DROP TABLE IF EXISTS "OutcomesDirty"; DROP TABLE IF EXISTS "OutcomesState";
            DROP TABLE IF EXISTS "MatrixRollup"; DROP TABLE IF EXISTS "PendingRollup"; DROP TABLE IF EXISTS "FacesRollup"; DROP TABLE IF EXISTS "SlaRollup"; DROP TABLE IF EXISTS "BaselineRollup";
            """;
    }
}

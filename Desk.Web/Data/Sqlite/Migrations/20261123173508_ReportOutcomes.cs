using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Desk.Web.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ReportOutcomes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Each complaint's outcome and each silent customer's baseline, kept for the reports, with their weekly
            // rollups and the triggers that mark what goes out of date; the first report (or the background refresher)
            // builds them, since OutcomesState starts with no window. The SQL is ReportOutcomesSql's as it was when this
            // migration was written, copied so the migration stays what it was: a later change needs a migration of its own.
            migrationBuilder.Sql(CreateTables);
            migrationBuilder.Sql(CreateTriggers);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Drop);
        }

        private const string CreateTables = """
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
                "OutcomeSatisfaction" INTEGER NULL,
                "HandlingSatisfaction" INTEGER NULL,
                "Intention" INTEGER NULL,
                "Reliability" INTEGER NULL,
                "Responsiveness" INTEGER NULL,
                "Assurance" INTEGER NULL,
                "Empathy" INTEGER NULL,
                "Tangibles" INTEGER NULL);
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
                "Sent" INTEGER NOT NULL, "Answered" INTEGER NOT NULL, "OutcomeSatisfactionSum" INTEGER NOT NULL, "OutcomeSatisfactionN" INTEGER NOT NULL, "HandlingSatisfactionSum" INTEGER NOT NULL, "HandlingSatisfactionN" INTEGER NOT NULL, "IntentionSum" INTEGER NOT NULL, "IntentionN" INTEGER NOT NULL, "ReliabilitySum" INTEGER NOT NULL, "ReliabilityN" INTEGER NOT NULL, "ResponsivenessSum" INTEGER NOT NULL, "ResponsivenessN" INTEGER NOT NULL, "AssuranceSum" INTEGER NOT NULL, "AssuranceN" INTEGER NOT NULL, "EmpathySum" INTEGER NOT NULL, "EmpathyN" INTEGER NOT NULL, "TangiblesSum" INTEGER NOT NULL, "TangiblesN" INTEGER NOT NULL, "Measured" INTEGER NOT NULL, "Pending" INTEGER NOT NULL, "Repurchased" INTEGER NOT NULL,
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

        private const string CreateTriggers = """
            CREATE TRIGGER "Outcomes_Order_Update" AFTER UPDATE OF "CustomerId", "PlacedAt", "Amount" ON "Orders" BEGIN
                INSERT OR IGNORE INTO "OutcomesDirty" ("CustomerId") VALUES (OLD."CustomerId"); INSERT OR IGNORE INTO "OutcomesDirty" ("CustomerId") VALUES (NEW."CustomerId"); END;
            CREATE TRIGGER "Outcomes_Order_Delete" AFTER DELETE ON "Orders" BEGIN INSERT OR IGNORE INTO "OutcomesDirty" ("CustomerId") VALUES (OLD."CustomerId"); END;
            CREATE TRIGGER "Outcomes_Ticket_Insert" AFTER INSERT ON "Tickets" BEGIN INSERT OR IGNORE INTO "OutcomesDirty" ("CustomerId") VALUES (NEW."CustomerId"); END;
            CREATE TRIGGER "Outcomes_Ticket_Update" AFTER UPDATE OF "CustomerId", "Kind", "State", "Severity", "IsRepeatComplaint", "RemedyCost", "RemedySoughtId", "RemedyGivenId",
            "RootCauseId", "ReceivedAt", "ResolvedAt", "ResolutionDueAt", "FirstRespondedAt", "FirstResponseDueAt", "AssignedTo",
            "Channel", "Product" ON "Tickets" BEGIN
                INSERT OR IGNORE INTO "OutcomesDirty" ("CustomerId") VALUES (OLD."CustomerId"); INSERT OR IGNORE INTO "OutcomesDirty" ("CustomerId") VALUES (NEW."CustomerId"); END;
            CREATE TRIGGER "Outcomes_Ticket_Delete" AFTER DELETE ON "Tickets" BEGIN INSERT OR IGNORE INTO "OutcomesDirty" ("CustomerId") VALUES (OLD."CustomerId"); END;
            CREATE TRIGGER "Outcomes_Customer_Update" AFTER UPDATE OF "Level", "FirstSeenAt" ON "Customers" BEGIN INSERT OR IGNORE INTO "OutcomesDirty" ("CustomerId") VALUES (NEW."Id"); END;
            CREATE TRIGGER "Outcomes_Customer_Delete" AFTER DELETE ON "Customers" BEGIN INSERT OR IGNORE INTO "OutcomesDirty" ("CustomerId") VALUES (OLD."Id"); END;
            CREATE TRIGGER "Outcomes_Survey_Insert" AFTER INSERT ON "Surveys" BEGIN INSERT OR IGNORE INTO "OutcomesDirty" ("CustomerId") VALUES (NEW."CustomerId"); END;
            CREATE TRIGGER "Outcomes_Survey_Update" AFTER UPDATE OF "TicketId", "CustomerId", "SentAt", "AnsweredAt", "OutcomeSatisfaction", "HandlingSatisfaction", "Intention", "Reliability", "Responsiveness", "Assurance", "Empathy", "Tangibles" ON "Surveys" BEGIN
                INSERT OR IGNORE INTO "OutcomesDirty" ("CustomerId") VALUES (OLD."CustomerId"); INSERT OR IGNORE INTO "OutcomesDirty" ("CustomerId") VALUES (NEW."CustomerId"); END;
            CREATE TRIGGER "Outcomes_Survey_Delete" AFTER DELETE ON "Surveys" BEGIN INSERT OR IGNORE INTO "OutcomesDirty" ("CustomerId") VALUES (OLD."CustomerId"); END;
            CREATE TRIGGER "Outcomes_RootCause_Update" AFTER UPDATE OF "ParentId" ON "RootCauses" BEGIN
                UPDATE "OutcomesState" SET "WindowMs" = NULL; END;
            """;

        private const string Drop = """
            DROP TRIGGER IF EXISTS "Outcomes_Order_Update"; DROP TRIGGER IF EXISTS "Outcomes_Order_Delete";
            DROP TRIGGER IF EXISTS "Outcomes_Ticket_Insert"; DROP TRIGGER IF EXISTS "Outcomes_Ticket_Update"; DROP TRIGGER IF EXISTS "Outcomes_Ticket_Delete";
            DROP TRIGGER IF EXISTS "Outcomes_Customer_Update"; DROP TRIGGER IF EXISTS "Outcomes_Customer_Delete"; DROP TRIGGER IF EXISTS "Outcomes_RootCause_Update";
            DROP TRIGGER IF EXISTS "Outcomes_Survey_Insert"; DROP TRIGGER IF EXISTS "Outcomes_Survey_Update"; DROP TRIGGER IF EXISTS "Outcomes_Survey_Delete";
            DROP TABLE IF EXISTS "ComplaintOutcomes"; DROP TABLE IF EXISTS "BaselineOutcomes";
            DROP TABLE IF EXISTS "OutcomesDirty"; DROP TABLE IF EXISTS "OutcomesState";
            DROP TABLE IF EXISTS "MatrixRollup"; DROP TABLE IF EXISTS "PendingRollup"; DROP TABLE IF EXISTS "FacesRollup"; DROP TABLE IF EXISTS "SlaRollup"; DROP TABLE IF EXISTS "BaselineRollup";
            """;
    }
}

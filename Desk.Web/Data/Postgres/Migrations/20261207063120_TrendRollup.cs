using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Desk.Web.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class TrendRollup : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The trends report's weekly rollup by root cause, channel and loyalty class (ReportOutcomesSql's as it was
            // when this migration was written). It starts empty, so every kept row is rebuilt once (a NULL window), as
            // after a change of the repurchase window: the rollups are then filled together.
            migrationBuilder.Sql(CreateTable);
            migrationBuilder.Sql("""UPDATE "OutcomesState" SET "WindowMs" = NULL;""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TABLE IF EXISTS "TrendRollup";""");
        }

        private const string CreateTable = """
            CREATE TABLE "TrendRollup" (
                "Split" integer NOT NULL, "Grp" text NOT NULL, "Level" text NOT NULL, "Band" integer NOT NULL, "Week" bigint NOT NULL,
                "Complaints" bigint NOT NULL, "Bought" bigint NOT NULL, "Measured" bigint NOT NULL, "Pending" bigint NOT NULL, "Cost" bigint NOT NULL,
                "Tickets" bigint NOT NULL, "FirstMet" bigint NOT NULL, "ResolutionMet" bigint NOT NULL,
                CONSTRAINT "PK_TrendRollup" PRIMARY KEY ("Split", "Week", "Grp", "Level", "Band"));
            """;
    }
}

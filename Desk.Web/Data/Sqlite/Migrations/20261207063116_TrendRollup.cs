using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Desk.Web.Data.Sqlite.Migrations
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
                "Split" INTEGER NOT NULL, "Grp" TEXT NOT NULL, "Level" TEXT NOT NULL, "Band" INTEGER NOT NULL, "Week" INTEGER NOT NULL,
                "Complaints" INTEGER NOT NULL, "Bought" INTEGER NOT NULL, "Measured" INTEGER NOT NULL, "Pending" INTEGER NOT NULL, "Cost" INTEGER NOT NULL,
                "Tickets" INTEGER NOT NULL, "FirstMet" INTEGER NOT NULL, "ResolutionMet" INTEGER NOT NULL,
                PRIMARY KEY ("Split", "Week", "Grp", "Level", "Band")) WITHOUT ROWID;
            """;
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Desk.Web.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class RollupEmptyRows : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Partial indexes of the rollups' emptied rows, which every refresh deletes (ReportDialect.EmptyRollupRowIndexes
            // as it was when this migration was written): without them each delete read its whole rollup.
            migrationBuilder.Sql(Indexes);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX IF EXISTS "IX_MatrixRollup_Empty"; DROP INDEX IF EXISTS "IX_PendingRollup_Empty"; DROP INDEX IF EXISTS "IX_FacesRollup_Empty";
                DROP INDEX IF EXISTS "IX_SlaRollup_Empty"; DROP INDEX IF EXISTS "IX_BaselineRollup_Empty"; DROP INDEX IF EXISTS "IX_TrendRollup_Empty";
                """);
        }

        private const string Indexes = """
            CREATE INDEX "IX_MatrixRollup_Empty" ON "MatrixRollup" ("N") WHERE "N" = 0;
            CREATE INDEX "IX_PendingRollup_Empty" ON "PendingRollup" ("N") WHERE "N" = 0;
            CREATE INDEX "IX_FacesRollup_Empty" ON "FacesRollup" ("Sent") WHERE "Sent" = 0;
            CREATE INDEX "IX_SlaRollup_Empty" ON "SlaRollup" ("Tickets") WHERE "Tickets" = 0;
            CREATE INDEX "IX_BaselineRollup_Empty" ON "BaselineRollup" ("N") WHERE "N" = 0;
            CREATE INDEX "IX_TrendRollup_Empty" ON "TrendRollup" ("Complaints", "Tickets") WHERE "Complaints" = 0 AND "Tickets" = 0;
            """;
    }
}

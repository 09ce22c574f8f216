using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Desk.Web.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class RebuildMarkFrom : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Where a rebuild of the reports' kept rows has got to marking customers (ReportDialect.StartRebuild and
            // MarkNext): a rebuild now marks them a slice at a time instead of all in its first write.
            migrationBuilder.Sql("""ALTER TABLE "OutcomesState" ADD COLUMN "MarkFrom" INTEGER NULL;""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""ALTER TABLE "OutcomesState" DROP COLUMN "MarkFrom";""");
        }
    }
}

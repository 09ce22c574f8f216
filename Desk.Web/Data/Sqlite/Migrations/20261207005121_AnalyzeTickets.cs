using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Desk.Web.Data.Sqlite.Migrations
{
    /// <summary>
    /// Refreshes the planner's statistics for "Tickets" after LiveQueue added three indexes to it. A file seeded before
    /// that migration keeps sqlite_stat1 rows for the old indexes only, and SQLite then prefers an unmeasured index:
    /// the open queue walked IX_Tickets_Queue_Open_Activity and sorted every open ticket (8 requests/s at a million
    /// tickets, against 448 with statistics). A fresh file has no rows here and the seed analyses after loading.
    /// PostgreSQL needs nothing: autovacuum analyses new indexes on its own.
    /// </summary>
    public partial class AnalyzeTickets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The seed samples with the same limit: about a second at a million tickets instead of several.
            migrationBuilder.Sql("""PRAGMA analysis_limit=1000; ANALYZE "Tickets"; PRAGMA analysis_limit=0;""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
        }
    }
}

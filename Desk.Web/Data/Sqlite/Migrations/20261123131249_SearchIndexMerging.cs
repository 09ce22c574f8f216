using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Desk.Web.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SearchIndexMerging : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Writes stop merging the search index; SearchIndexMerger does it between writes.
            migrationBuilder.Sql(TicketSearchSql.MergeInTheBackground);
            // Statistics the demo load took of the index's tables when they were nearly empty made SQLite scan the
            // whole TicketSearch_data table for every segment a merge removes (half a second at a million tickets).
            // ANALYZE of the tiny config table only makes sure sqlite_stat1 exists.
            migrationBuilder.Sql("""ANALYZE "TicketSearch_config"; DELETE FROM sqlite_stat1 WHERE tbl LIKE 'TicketSearch%'; ANALYZE sqlite_schema;""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(TicketSearchSql.MergeInsideWrites);
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Desk.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class SearchIndexMerging : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Writes stop merging the search index; SearchIndexMerger does it between writes.
            migrationBuilder.Sql(TicketSearchSql.MergeInTheBackground);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(TicketSearchSql.MergeInsideWrites);
        }
    }
}

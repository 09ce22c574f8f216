using Desk.Web.Data;
using Desk.Web.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Desk.Web.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class TicketSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The index lives outside EF's model (a virtual table): created, filled once from what is there, then
            // kept by triggers. Filling needs the desk's text function, which every desk connection registers.
            migrationBuilder.Sql(TicketSearchSql.CreateTable);
            migrationBuilder.Sql(TicketSearchSql.Rebuild());
            migrationBuilder.Sql(TicketSearchSql.CreateTriggers());
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(TicketSearchSql.DropTriggers);
            migrationBuilder.Sql(TicketSearchSql.DropTable);
        }
    }
}

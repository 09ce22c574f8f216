using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Desk.Web.Data.Postgres.Migrations
{
    /// <summary>
    /// The full-text index (<see cref="TicketSearchSql"/>): its text search configuration, functions, table, GIN index and
    /// triggers, and every ticket indexed. The model does not change, so there is no target model. A later change to the
    /// index's SQL needs a migration of its own.
    /// </summary>
    [DbContext(typeof(PostgresDeskDbContext))]
    [Migration("20261206150000_TicketSearch")]
    public partial class TicketSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(TicketSearchSql.CreateAll());
            migrationBuilder.Sql(TicketSearchSql.Rebuild());
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(TicketSearchSql.DropAll);
        }
    }
}

using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Desk.Web.Data.Sqlite.Migrations
{
    /// <summary>
    /// The search triggers written anew (<see cref="TicketSearchSql"/>). The model does not change, so there is no target model.
    /// </summary>
    [DbContext(typeof(SqliteDeskDbContext))]
    [Migration("20261207152010_SearchSingleWrite")]
    public sealed class SearchSingleWrite : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A new ticket's search row is written once (from its description, its first message's text) instead of twice;
            // a ticket without messages is indexed with its description (TicketSearchSql). Those tickets' rows are written
            // again so they hold what the triggers now write.
            migrationBuilder.Sql(TicketSearchSql.DropTriggers);
            migrationBuilder.Sql(TicketSearchSql.CreateTriggers());
            migrationBuilder.Sql(TicketSearchSql.IndexTicketsWithoutMessages());
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Nothing to undo: the rows the triggers write differ only for tickets without messages, which an older desk
            // left out of search and this one finds by their description.
        }
    }
}

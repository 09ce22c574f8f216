using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Desk.Web.Data.Postgres.Migrations
{
    /// <summary>
    /// The search triggers written anew (<see cref="TicketSearchSql"/>). The model does not change, so there is no target model.
    /// </summary>
    [DbContext(typeof(PostgresDeskDbContext))]
    [Migration("20261207152344_SearchSingleWrite")]
    public sealed class SearchSingleWrite : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // As on SQLite: a new ticket's first message no longer rewrites the document its ticket's insert wrote, a
            // description change rewrites it, and a ticket without messages is indexed with its description.
            migrationBuilder.Sql(TicketSearchSql.DropTriggers);
            migrationBuilder.Sql(TicketSearchSql.CreateTriggers());
            migrationBuilder.Sql(TicketSearchSql.IndexTicketsWithoutMessages);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Nothing to undo: the documents differ only for tickets without messages, which an older desk left out of
            // search and this one finds by their description.
        }
    }
}

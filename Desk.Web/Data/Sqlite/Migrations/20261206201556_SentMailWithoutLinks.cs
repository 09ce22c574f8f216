using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Desk.Web.Data.Sqlite.Migrations
{
    /// <summary>
    /// Mails sent before a sent copy lost its private links (issue 18, item 8) lose them now: the same replacement, through
    /// the function every desk connection registers (<see cref="SqliteStore.WithoutPrivateLinksFunction"/>).
    /// </summary>
    public partial class SentMailWithoutLinks : Migration
    {
        /// <summary>The statement, for the test that runs it.</summary>
        public const string Statement = $"""
            UPDATE "OutboundMails" SET "Body" = {SqliteStore.WithoutPrivateLinksFunction}("Body")
            WHERE "State" = 'Sent' AND ("Body" LIKE '%/status/%' OR "Body" LIKE '%/survey/%' OR "Body" LIKE '%/confirm/%')
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Statement);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}

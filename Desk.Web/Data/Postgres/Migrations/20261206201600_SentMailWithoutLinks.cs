using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Desk.Web.Data.Postgres.Migrations
{
    /// <summary>
    /// Mails sent before a sent copy lost its private links (issue 18, item 8) lose them now: the same replacement as
    /// <see cref="Email.Outbound.OutboundMail.WithoutPrivateLinks"/>, as a regular expression (a test keeps the two equal).
    /// </summary>
    public partial class SentMailWithoutLinks : Migration
    {
        /// <summary>The statement, for the test that compares it with the C# replacement.</summary>
        public const string Statement = """
            UPDATE "OutboundMails"
            SET "Body" = regexp_replace("Body", '(/(status|survey|confirm)/)[A-Za-z0-9_-]{16,}', '\1[link removed from the desk''s copy after sending]', 'g')
            WHERE "State" = 'Sent' AND "Body" ~ '/(status|survey|confirm)/[A-Za-z0-9_-]{16}'
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

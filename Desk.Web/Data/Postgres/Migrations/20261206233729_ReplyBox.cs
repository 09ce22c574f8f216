using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Desk.Web.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ReplyBox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ConversationEntryId",
                table: "OutboundMails",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HtmlBody",
                table: "OutboundMails",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Group",
                table: "Macros",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Owner",
                table: "Macros",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AgentSignatures",
                columns: table => new
                {
                    Agent = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Text = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AgentSignatures", x => x.Agent);
                });

            migrationBuilder.CreateTable(
                name: "ReplyDrafts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TicketId = table.Column<long>(type: "bigint", nullable: false),
                    Agent = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Text = table.Column<string>(type: "text", nullable: false),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReplyDrafts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReplyDrafts_Tickets_TicketId",
                        column: x => x.TicketId,
                        principalTable: "Tickets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_OutboundMails_ConversationEntryId",
                table: "OutboundMails",
                column: "ConversationEntryId");

            migrationBuilder.CreateIndex(
                name: "IX_Macros_Owner",
                table: "Macros",
                column: "Owner");

            migrationBuilder.CreateIndex(
                name: "IX_ReplyDrafts_TicketId_Agent",
                table: "ReplyDrafts",
                columns: new[] { "TicketId", "Agent" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_OutboundMails_ConversationEntries_ConversationEntryId",
                table: "OutboundMails",
                column: "ConversationEntryId",
                principalTable: "ConversationEntries",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_OutboundMails_ConversationEntries_ConversationEntryId",
                table: "OutboundMails");

            migrationBuilder.DropTable(
                name: "AgentSignatures");

            migrationBuilder.DropTable(
                name: "ReplyDrafts");

            migrationBuilder.DropIndex(
                name: "IX_OutboundMails_ConversationEntryId",
                table: "OutboundMails");

            migrationBuilder.DropIndex(
                name: "IX_Macros_Owner",
                table: "Macros");

            migrationBuilder.DropColumn(
                name: "ConversationEntryId",
                table: "OutboundMails");

            migrationBuilder.DropColumn(
                name: "HtmlBody",
                table: "OutboundMails");

            migrationBuilder.DropColumn(
                name: "Group",
                table: "Macros");

            migrationBuilder.DropColumn(
                name: "Owner",
                table: "Macros");
        }
    }
}

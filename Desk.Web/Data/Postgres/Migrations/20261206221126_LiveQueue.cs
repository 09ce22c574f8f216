using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Desk.Web.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class LiveQueue : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "CustomerWroteAt",
                table: "Tickets",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "TicketPresence",
                columns: table => new
                {
                    TicketId = table.Column<long>(type: "bigint", nullable: false),
                    UserName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    SeenAt = table.Column<long>(type: "bigint", nullable: false),
                    TypingAt = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TicketPresence", x => new { x.TicketId, x.UserName });
                });

            migrationBuilder.CreateTable(
                name: "TicketViews",
                columns: table => new
                {
                    UserName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    TicketId = table.Column<long>(type: "bigint", nullable: false),
                    SeenVersion = table.Column<int>(type: "integer", nullable: false),
                    SeenAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TicketViews", x => new { x.UserName, x.TicketId });
                    table.ForeignKey(
                        name: "FK_TicketViews_Tickets_TicketId",
                        column: x => x.TicketId,
                        principalTable: "Tickets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_Activity",
                table: "Tickets",
                columns: new[] { "UpdatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_Queue_Assignee_Activity",
                table: "Tickets",
                columns: new[] { "AssignedTo", "IsOpen", "UpdatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_Queue_Open_Activity",
                table: "Tickets",
                columns: new[] { "IsOpen", "UpdatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_TicketViews_TicketId",
                table: "TicketViews",
                column: "TicketId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TicketPresence");

            migrationBuilder.DropTable(
                name: "TicketViews");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_Activity",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_Queue_Assignee_Activity",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_Queue_Open_Activity",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "CustomerWroteAt",
                table: "Tickets");
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Desk.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class QueueIndexesWithOpenColumn : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tickets_Queue_Assignee",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_Queue_Severity",
                table: "Tickets");

            migrationBuilder.AddColumn<bool>(
                name: "IsOpen",
                table: "Tickets",
                type: "INTEGER",
                nullable: false,
                computedColumnSql: "\"State\" IN ('New', 'Acknowledged', 'InProgress', 'AwaitingCustomer', 'Escalated')",
                stored: false);

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_Queue_Assignee",
                table: "Tickets",
                columns: new[] { "AssignedTo", "IsOpen", "ReceivedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_Queue_Open_Received",
                table: "Tickets",
                columns: new[] { "IsOpen", "ReceivedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_Queue_Severity",
                table: "Tickets",
                columns: new[] { "Severity", "ReceivedAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tickets_Queue_Assignee",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_Queue_Open_Received",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_Queue_Severity",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "IsOpen",
                table: "Tickets");

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_Queue_Assignee",
                table: "Tickets",
                columns: new[] { "AssignedTo", "State", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_Queue_Severity",
                table: "Tickets",
                columns: new[] { "Severity", "State", "ReceivedAt" });
        }
    }
}

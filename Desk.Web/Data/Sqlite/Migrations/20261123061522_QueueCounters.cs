using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Desk.Web.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class QueueCounters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "QueueCounters",
                columns: table => new
                {
                    Key = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Count = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QueueCounters", x => x.Key);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_Open_ResolutionDue",
                table: "Tickets",
                columns: new[] { "IsOpen", "ResolutionDueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_State_FollowUpDue",
                table: "Tickets",
                columns: new[] { "State", "FollowUpDueAt" });

            // Counted once from what is there, then kept by triggers. If the open states ever change, a new
            // migration drops and recreates the triggers (QueueCounterSql.DropTriggers, CreateTriggers) and recounts.
            migrationBuilder.Sql(QueueCounterSql.CreateTriggers());
            migrationBuilder.Sql(QueueCounterSql.Recount());
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(QueueCounterSql.DropTriggers);

            migrationBuilder.DropTable(
                name: "QueueCounters");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_Open_ResolutionDue",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_State_FollowUpDue",
                table: "Tickets");
        }
    }
}

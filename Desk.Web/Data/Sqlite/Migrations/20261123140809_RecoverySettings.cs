using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Desk.Web.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class RecoverySettings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Orders_CustomerId_PlacedAt",
                table: "Orders");

            migrationBuilder.CreateTable(
                name: "RecoverySettings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    RepurchaseWindowDays = table.Column<int>(type: "INTEGER", nullable: false),
                    MajorLossAmount = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RecoverySettings", x => x.Id);
                    table.CheckConstraint("CK_RecoverySettings_OneRow", "Id = 1");
                });

            migrationBuilder.InsertData(
                table: "RecoverySettings",
                columns: new[] { "Id", "MajorLossAmount", "RepurchaseWindowDays" },
                values: new object[] { 1, 10000L, 90 });

            migrationBuilder.CreateIndex(
                name: "IX_Orders_CustomerId_PlacedAt_Amount",
                table: "Orders",
                columns: new[] { "CustomerId", "PlacedAt", "Amount" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RecoverySettings");

            migrationBuilder.DropIndex(
                name: "IX_Orders_CustomerId_PlacedAt_Amount",
                table: "Orders");

            migrationBuilder.CreateIndex(
                name: "IX_Orders_CustomerId_PlacedAt",
                table: "Orders",
                columns: new[] { "CustomerId", "PlacedAt" });
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace Desk.Web.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class RemedyKinds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "RemedyKinds",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    Code = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    NameZh = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    SortOrder = table.Column<int>(type: "INTEGER", nullable: false),
                    IsActive = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RemedyKinds", x => x.Id);
                });

            migrationBuilder.InsertData(
                table: "RemedyKinds",
                columns: new[] { "Id", "Code", "IsActive", "Name", "NameZh", "SortOrder" },
                values: new object[,]
                {
                    { 1, "refund", true, "Refund", "退款", 0 },
                    { 2, "replacement", true, "Replacement", "换货", 1 },
                    { 3, "repair", true, "Repair", "维修", 2 },
                    { 4, "discount-or-voucher", true, "Discount or voucher", "折扣或代金券", 3 },
                    { 5, "apology-and-explanation", true, "Apology and explanation", "道歉并解释", 4 },
                    { 6, "goodwill-gesture", true, "Goodwill gesture", "善意补偿", 5 },
                    { 7, "no-action", true, "No action", "不采取措施", 6 }
                });

            migrationBuilder.AddColumn<int>(
                name: "RemedyGivenId",
                table: "Tickets",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RemedySoughtId",
                table: "Tickets",
                type: "INTEGER",
                nullable: true);

            // Tickets named their remedies by the old enum's names; the standard kinds keep those meanings under fixed ids.
            migrationBuilder.Sql(ToIds("RemedySought", "RemedySoughtId"));
            migrationBuilder.Sql(ToIds("RemedyGiven", "RemedyGivenId"));

            migrationBuilder.DropColumn(
                name: "RemedyGiven",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "RemedySought",
                table: "Tickets");

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_RemedyGivenId",
                table: "Tickets",
                column: "RemedyGivenId");

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_RemedySoughtId",
                table: "Tickets",
                column: "RemedySoughtId");

            migrationBuilder.CreateIndex(
                name: "IX_RemedyKinds_Code",
                table: "RemedyKinds",
                column: "Code",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_Tickets_RemedyKinds_RemedyGivenId",
                table: "Tickets",
                column: "RemedyGivenId",
                principalTable: "RemedyKinds",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_Tickets_RemedyKinds_RemedySoughtId",
                table: "Tickets",
                column: "RemedySoughtId",
                principalTable: "RemedyKinds",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Tickets_RemedyKinds_RemedyGivenId",
                table: "Tickets");

            migrationBuilder.DropForeignKey(
                name: "FK_Tickets_RemedyKinds_RemedySoughtId",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_RemedyGivenId",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_RemedySoughtId",
                table: "Tickets");

            migrationBuilder.AddColumn<string>(
                name: "RemedyGiven",
                table: "Tickets",
                type: "TEXT",
                maxLength: 30,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RemedySought",
                table: "Tickets",
                type: "TEXT",
                maxLength: 30,
                nullable: true);

            migrationBuilder.Sql(ToNames("RemedySoughtId", "RemedySought"));
            migrationBuilder.Sql(ToNames("RemedyGivenId", "RemedyGiven"));

            migrationBuilder.DropColumn(
                name: "RemedyGivenId",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "RemedySoughtId",
                table: "Tickets");

            migrationBuilder.DropTable(
                name: "RemedyKinds");
        }

        private static readonly (int Id, string Name)[] Standard =
        [
            (1, "Refund"), (2, "Replacement"), (3, "Repair"), (4, "DiscountOrVoucher"),
            (5, "ApologyAndExplanation"), (6, "GoodwillGesture"), (7, "NoAction"),
        ];

        private static string ToIds(string from, string to) =>
            $"UPDATE \"Tickets\" SET \"{to}\" = CASE \"{from}\" {string.Join(" ", Standard.Select(k => $"WHEN '{k.Name}' THEN {k.Id}"))} END;";

        // Custom kinds had no enum name: going back keeps them as no remedy.
        private static string ToNames(string from, string to) =>
            $"UPDATE \"Tickets\" SET \"{to}\" = CASE \"{from}\" {string.Join(" ", Standard.Select(k => $"WHEN {k.Id} THEN '{k.Name}'"))} END;";
    }
}

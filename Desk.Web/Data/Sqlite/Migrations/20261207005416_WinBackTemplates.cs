using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace Desk.Web.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class WinBackTemplates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "WinBackTemplates",
                columns: table => new
                {
                    Language = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Body = table.Column<string>(type: "TEXT", maxLength: 10000, nullable: false),
                    Brand = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WinBackTemplates", x => x.Language);
                });

            migrationBuilder.InsertData(
                table: "WinBackTemplates",
                columns: new[] { "Language", "Body", "Brand", "Subject", "UpdatedAt", "UpdatedBy" },
                values: new object[,]
                {
                    { "en", "Dear {CustomerName},\n\nYou wrote to us about \"{ComplaintSubject}\", and we are sorry again for the trouble it caused. You matter to us.\n\nIf anything is still not right, simply reply to this mail and we will see to it personally. We would be glad to serve you again.\n\n{Signature}", null, "We would like to see you again [{TicketNumber}]", 1796601600000L, null },
                    { "zh", "{CustomerName}，您好：\n\n之前您就“{ComplaintSubject}”联系过我们，给您带来了不便，我们再次表示歉意。我们很重视您。\n\n如果还有任何不满意的地方，请直接回复本邮件告诉我们——我们会亲自跟进。期待再次为您服务。\n\n{Signature}", null, "我们想念您 [{TicketNumber}]", 1796601600000L, null }
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "WinBackTemplates");
        }
    }
}

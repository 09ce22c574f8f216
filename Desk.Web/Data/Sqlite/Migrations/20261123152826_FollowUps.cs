using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace Desk.Web.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class FollowUps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Owner",
                table: "Customers",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "FollowUpPlans",
                columns: table => new
                {
                    Level = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    WindowDays = table.Column<int>(type: "INTEGER", nullable: false),
                    SurveyAfterHours = table.Column<int>(type: "INTEGER", nullable: false),
                    InviteCallBack = table.Column<bool>(type: "INTEGER", nullable: false),
                    CheckInAfterDays = table.Column<int>(type: "INTEGER", nullable: true),
                    LaterCheckInAfterDays = table.Column<int>(type: "INTEGER", nullable: true),
                    AccountReviewAfterDays = table.Column<int>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FollowUpPlans", x => x.Level);
                });

            migrationBuilder.CreateTable(
                name: "FollowUpTasks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TicketId = table.Column<long>(type: "INTEGER", nullable: false),
                    CustomerId = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    DueAt = table.Column<long>(type: "INTEGER", nullable: false),
                    AssignedTo = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    SettledBy = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true),
                    SettledAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Note = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FollowUpTasks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FollowUpTasks_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_FollowUpTasks_Tickets_TicketId",
                        column: x => x.TicketId,
                        principalTable: "Tickets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Surveys",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TicketId = table.Column<long>(type: "INTEGER", nullable: false),
                    CustomerId = table.Column<long>(type: "INTEGER", nullable: false),
                    Language = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    SendAfter = table.Column<long>(type: "INTEGER", nullable: false),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: true),
                    TokenHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    AnsweredAt = table.Column<long>(type: "INTEGER", nullable: true),
                    OutcomeSatisfaction = table.Column<int>(type: "INTEGER", nullable: true),
                    HandlingSatisfaction = table.Column<int>(type: "INTEGER", nullable: true),
                    Intention = table.Column<int>(type: "INTEGER", nullable: true),
                    AcceptsDecision = table.Column<bool>(type: "INTEGER", nullable: true),
                    Reliability = table.Column<int>(type: "INTEGER", nullable: true),
                    Responsiveness = table.Column<int>(type: "INTEGER", nullable: true),
                    Assurance = table.Column<int>(type: "INTEGER", nullable: true),
                    Empathy = table.Column<int>(type: "INTEGER", nullable: true),
                    Tangibles = table.Column<int>(type: "INTEGER", nullable: true),
                    Comment = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Surveys", x => x.Id);
                    table.CheckConstraint("CK_Surveys_Assurance", "\"Assurance\" IS NULL OR \"Assurance\" BETWEEN 1 AND 5");
                    table.CheckConstraint("CK_Surveys_Empathy", "\"Empathy\" IS NULL OR \"Empathy\" BETWEEN 1 AND 5");
                    table.CheckConstraint("CK_Surveys_HandlingSatisfaction", "\"HandlingSatisfaction\" IS NULL OR \"HandlingSatisfaction\" BETWEEN 1 AND 5");
                    table.CheckConstraint("CK_Surveys_Intention", "\"Intention\" IS NULL OR \"Intention\" BETWEEN 1 AND 5");
                    table.CheckConstraint("CK_Surveys_OutcomeSatisfaction", "\"OutcomeSatisfaction\" IS NULL OR \"OutcomeSatisfaction\" BETWEEN 1 AND 5");
                    table.CheckConstraint("CK_Surveys_Reliability", "\"Reliability\" IS NULL OR \"Reliability\" BETWEEN 1 AND 5");
                    table.CheckConstraint("CK_Surveys_Responsiveness", "\"Responsiveness\" IS NULL OR \"Responsiveness\" BETWEEN 1 AND 5");
                    table.CheckConstraint("CK_Surveys_Tangibles", "\"Tangibles\" IS NULL OR \"Tangibles\" BETWEEN 1 AND 5");
                    table.ForeignKey(
                        name: "FK_Surveys_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Surveys_Tickets_TicketId",
                        column: x => x.TicketId,
                        principalTable: "Tickets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "FollowUpPlans",
                columns: new[] { "Level", "AccountReviewAfterDays", "CheckInAfterDays", "InviteCallBack", "LaterCheckInAfterDays", "SurveyAfterHours", "WindowDays" },
                values: new object[,]
                {
                    { "Accountable", null, 3, true, null, 24, 14 },
                    { "Basic", null, null, false, null, 24, 14 },
                    { "Partnership", 7, 3, true, 30, 24, 35 },
                    { "Proactive", null, 3, true, 30, 24, 35 },
                    { "Reactive", null, null, true, null, 24, 14 }
                });

            migrationBuilder.CreateIndex(
                name: "IX_FollowUpTasks_CustomerId",
                table: "FollowUpTasks",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_FollowUpTasks_OpenByDue",
                table: "FollowUpTasks",
                column: "DueAt",
                filter: "\"Outcome\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_FollowUpTasks_TicketId_Outcome",
                table: "FollowUpTasks",
                columns: new[] { "TicketId", "Outcome" });

            migrationBuilder.CreateIndex(
                name: "IX_Surveys_CustomerId",
                table: "Surveys",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_Surveys_TicketId",
                table: "Surveys",
                column: "TicketId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Surveys_TokenHash",
                table: "Surveys",
                column: "TokenHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Surveys_Unsent",
                table: "Surveys",
                column: "SendAfter",
                filter: "\"SentAt\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "FollowUpPlans");

            migrationBuilder.DropTable(
                name: "FollowUpTasks");

            migrationBuilder.DropTable(
                name: "Surveys");

            migrationBuilder.DropColumn(
                name: "Owner",
                table: "Customers");
        }
    }
}

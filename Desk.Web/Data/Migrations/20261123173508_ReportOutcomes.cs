using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Desk.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReportOutcomes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Each complaint's outcome and each silent customer's baseline, kept for the reports; the first report (or
            // the background refresher) builds them, since OutcomesState starts with no window.
            migrationBuilder.Sql(ReportOutcomesSql.CreateTables);
            migrationBuilder.Sql(ReportOutcomesSql.CreateTriggers);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(ReportOutcomesSql.Drop);
        }
    }
}

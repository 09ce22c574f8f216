using System.Net;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web.Data;
using Desk.Web.Features.Reports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Desk.Tests.Reports;

/// <summary>
/// Money and report filters at the edge of their range (issue 18, items 2 and 3): out of range is a message, never a
/// 500, and no amount an agent types or the desk already holds can overflow a report's sum.
/// </summary>
public abstract class ReportRangeTests(DeskWebFactory factory)
{
    private static readonly string[] Reports =
    [
        "/reports/recovery", "/reports/recovery.csv", "/reports/recovery-remedies.csv", "/reports/remedies", "/reports/remedies.csv",
        "/reports/sla", "/reports/sla.csv", "/reports/sla-agents.csv", "/reports/loss-reasons", "/reports/loss-reasons.csv",
        "/reports/root-causes", "/reports/root-causes.csv", "/reports/win-back", "/reports/win-back.csv",
        "/reports/three-faces", "/reports/three-faces.csv",
    ];

    [StorageFact]
    public async Task Reports_DateOutOfRange_AnswerBadRequestWithTheRange()
    {
        var manager = await factory.SignedInAsync("maria");

        foreach (var query in new[] { "?to=9999-12-31", "?from=0001-01-01", "?from=2025-01-01&to=2101-01-01" })
            foreach (var path in Reports)
            {
                var response = await manager.GetAsync(path + query);
                var body = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path}{query}: {(int)response.StatusCode}");
                Assert.Contains("Dates in a report's filters run from 2000-01-01 to 2100-12-31.", body);
                if (path.EndsWith(".csv", StringComparison.Ordinal)) Assert.DoesNotContain("\n", body.TrimEnd());
                else Assert.Contains($"href=\"{path}\"", body);
            }
    }

    [StorageFact]
    public async Task WinBack_MinimumOutOfRange_AnswersBadRequestWithTheRange()
    {
        var manager = await factory.SignedInAsync("maria");

        foreach (var minimum in new[] { "79228162514264337593543950335", "1000000000.01", "-1", "1e40" })
            foreach (var path in new[] { "/reports/win-back", "/reports/win-back.csv" })
            {
                var response = await manager.GetAsync($"{path}?minimum={minimum}");
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path}?minimum={minimum}: {(int)response.StatusCode}");
                Assert.Matches("The minimum value runs from 0 to 1,000,000,000|is not a value the report can use", await response.Content.ReadAsStringAsync());
            }
        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync("/reports/win-back?minimum=1000000000&to=2100-12-31&from=2000-01-01")).StatusCode);
    }

    [StorageFact]
    public async Task Reports_DateOutOfRangeInChinese_SayItInChinese()
    {
        var manager = await factory.SignedInAsync("maria");
        await manager.GetAsync("/language?culture=zh-CN&returnUrl=/");

        var page = await (await manager.GetAsync("/reports/recovery?to=9999-12-31")).Content.ReadAsStringAsync();

        Assert.Contains("报表筛选的日期范围为 2000-01-01 至 2100-12-31。", WebUtility.HtmlDecode(page));
        EnglishLeftovers.AssertNone(page, new HashSet<string> { "Desk", "English", "CSV", "Excel" }, ["maria"]);
    }

    [StorageFact]
    public async Task Resolve_RemedyCostBeyondTheRange_IsRefusedAndTheReportsStillAnswer()
    {
        var manager = await factory.SignedInAsync("maria");
        var agent = await factory.SignedInAsync("alice");
        Ticket ticket;
        await using (var db = factory.Database.NewContext())
            ticket = await db.Tickets.AsNoTracking().Where(t => t.State == TicketState.InProgress && t.Kind == TicketKind.Complaint).OrderBy(t => t.Id).FirstAsync();

        foreach (var cost in new[] { "50000000000000000", "7.9e28" })
        {
            var response = await Forms.PostAsync(agent, $"/tickets/{ticket.Number}", $"/tickets/{ticket.Number}/steps/Resolve", new()
            {
                ["Version"] = ticket.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["RemedyKindId"] = "1", ["RemedyCost"] = cost, ["RootCauseId"] = "71",
            });
            Assert.True(response.StatusCode is HttpStatusCode.UnprocessableEntity or HttpStatusCode.BadRequest, $"{cost}: {(int)response.StatusCode}");
        }
        await using (var db = factory.Database.NewContext())
            Assert.Equal(TicketState.InProgress, (await db.Tickets.SingleAsync(t => t.Id == ticket.Id)).State);
        foreach (var path in new[] { "/reports/recovery", "/reports/recovery.csv", "/reports/remedies", "/reports/remedies.csv" })
            Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync(path)).StatusCode);
    }

    [StorageFact]
    public async Task Reports_RemedyCostsStoredBeforeTheRange_DoNotOverflow()
    {
        // Two resolved complaints of one remedy with costs stored before the desk had a range: together past 64 bits of cents.
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DeskDbContext>();
            var ids = await db.Tickets.Where(t => t.Kind == TicketKind.Complaint && t.State == TicketState.Closed && t.RemedyGivenId == 1)
                .OrderBy(t => t.Id).Select(t => t.Id).Take(2).ToListAsync();
            Assert.Equal(2, ids.Count);
            foreach (var id in ids)
                await db.Database.ExecuteSqlAsync($"UPDATE \"Tickets\" SET \"RemedyCost\" = 5000000000000000000 WHERE \"Id\" = {id}");
            await db.Database.ExecuteSqlAsync($"INSERT INTO \"OutcomesDirty\" (\"CustomerId\") SELECT \"CustomerId\" FROM \"Tickets\" WHERE \"Id\" IN ({ids[0]}, {ids[1]}) ON CONFLICT (\"CustomerId\") DO NOTHING");
            await ReportOutcomes.RefreshAsync(db, factory.Clock.GetUtcNow().UtcDateTime, null, CancellationToken.None);
        }
        var manager = await factory.SignedInAsync("maria");

        foreach (var path in new[] { "/reports/recovery", "/reports/recovery.csv", "/reports/recovery-remedies.csv", "/reports/remedies", "/reports/remedies.csv" })
            Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync(path)).StatusCode);
    }
}

public sealed class ReportRangeTestsOnSqlite(DeskWebFactory factory) : ReportRangeTests(factory), IClassFixture<DeskWebFactory>;

public sealed class ReportRangeTestsOnPostgres(PostgresDesk factory) : ReportRangeTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

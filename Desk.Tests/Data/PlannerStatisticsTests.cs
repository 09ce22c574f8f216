using Desk.Seed;
using Desk.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Data;

/// <summary>
/// A desk file seeded before a migration added indexes keeps planner statistics for the old indexes only; SQLite
/// then trusts its defaults for the new ones and may pick one that sorts every open ticket. The migrations that add
/// queue indexes analyse "Tickets" again, so an upgraded desk plans as a freshly seeded one does.
/// </summary>
public sealed class PlannerStatisticsTests : IDisposable
{
    // The open queue as QueueController asks for it: open tickets, newest received first, one page.
    private const string OpenQueue = """
        EXPLAIN QUERY PLAN SELECT "Id", "Subject", "State" FROM "Tickets" WHERE "IsOpen" = 1
        ORDER BY "ReceivedAt" DESC, "Id" DESC LIMIT 51
        """;

    private static readonly string[] LiveQueueIndexes =
        ["IX_Tickets_Queue_Open_Activity", "IX_Tickets_Queue_Assignee_Activity", "IX_Tickets_Activity"];

    private readonly TestDatabase _database = new(migrate: false);

    public void Dispose() => _database.Dispose();

    [Fact]
    public void Migrate_FileAnalysedBeforeLiveQueue_OpenQueueWalksTheReceivedIndexWithoutSorting()
    {
        Assert.Equal(0, SeedCommand.Main(["--db", _database.Path, "--tickets", "3000", "--now", "2026-11-23T00:00:00Z", "--seed", "5"]));
        using (var connection = _database.OpenConnection())
        {
            // The file as it was when LiveQueue ran: statistics for every index but the three it added,
            // and the migration that analyses them not yet applied.
            Execute(connection, $"""
                DELETE FROM sqlite_stat1 WHERE idx IN ({string.Join(", ", LiveQueueIndexes.Select(i => $"'{i}'"))});
                DELETE FROM "__EFMigrationsHistory" WHERE "MigrationId" LIKE '%_AnalyzeTickets';
                ANALYZE sqlite_schema;
                """);
        }
        using (var connection = _database.OpenConnection())
            Assert.DoesNotContain("IX_Tickets_Queue_Open_Received", Plan(connection)); // the fault this guards against

        using (var db = _database.NewContext())
            db.Database.Migrate();

        using (var connection = _database.OpenConnection())
        {
            var plan = Plan(connection);
            Assert.Contains("IX_Tickets_Queue_Open_Received", plan);
            Assert.DoesNotContain("TEMP B-TREE", plan);
        }
    }

    [Fact]
    public void CountMarked_ABatchOfAMillionMarks_SeeksTheBatchByRangeInsteadOfReadingEveryMark()
    {
        using (var db = _database.NewContext()) db.Database.Migrate();
        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = $"EXPLAIN QUERY PLAN {Desk.Web.Data.ReportDialect.CountMarked}";
        var upto = command.CreateParameter();
        upto.ParameterName = "@upto";
        upto.Value = 5000L;
        command.Parameters.Add(upto);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Contains("rowid<", reader.GetString(3)); // "SCAN OutcomesDirty" took 30 ms at a million marks, five times a slice
    }

    private static string Plan(System.Data.Common.DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = OpenQueue;
        using var reader = command.ExecuteReader();
        var steps = new List<string>();
        while (reader.Read()) steps.Add(reader.GetString(3));
        return string.Join(" | ", steps);
    }

    private static void Execute(System.Data.Common.DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

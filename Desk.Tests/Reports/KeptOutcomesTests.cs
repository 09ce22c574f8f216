using System.Text;
using Desk.Domain.Recovery;
using Desk.Tests.Seed;
using Desk.Tests.Support;
using Desk.Web.Data;
using Desk.Web.Features.Reports;
using Desk.Web.Features.Reports.Recovery;
using Desk.Web.Features.Reports.Remedies;
using Desk.Web.Features.Reports.RootCauses;
using Desk.Web.Features.Reports.Sla;
using Desk.Web.Features.Reports.ThreeFaces;
using Desk.Web.Features.Reports.Trends;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Desk.Tests.Reports;

/// <summary>
/// The reports read kept outcomes (<see cref="ReportDialect"/>), rewritten customer by customer as triggers mark
/// them. Whatever changes, and however it is written, the kept rows must be what a rebuild from nothing gives — on
/// both databases.
/// </summary>
public abstract class KeptOutcomesTests : IDisposable
{
    private readonly TestDatabase _database;

    protected KeptOutcomesTests(DatabaseProvider provider)
    {
        _database = new TestDatabase(provider);
        GeneratedDesk.Generate(_database, 1_500, seed: 5, GeneratedDesk.Now);
    }

    protected TestDatabase Database => _database;

    public void Dispose()
    {
        _database.Dispose();
        GC.SuppressFinalize(this);
    }

    [StorageFact]
    public async Task ChangesWrittenAnyWay_AreKeptCustomerByCustomer_ExactlyAsARebuildWouldKeepThem()
    {
        await using var db = _database.NewContext();
        Assert.True(await ReportOutcomes.RefreshAsync(db, GeneratedDesk.Now, null, CancellationToken.None) > 0); // a new desk builds them on first use
        Assert.Equal(0, await ReportOutcomes.RefreshAsync(db, GeneratedDesk.Now, null, CancellationToken.None)); // then nothing is out of date
        var before = await SnapshotAsync(db);

        // 200 days written as one bigint literal: PostgreSQL's 200 * 86400000 would overflow its 32-bit integers.
        var (complainer, silent) = (await ScalarAsync(db, """
            SELECT "CustomerId" FROM "ComplaintOutcomes" WHERE "Anchor" < $now - 17280000000 AND "Revenue" IS NULL ORDER BY "TicketId" LIMIT 1
            """), await ScalarAsync(db, """SELECT "CustomerId" FROM "BaselineOutcomes" WHERE "Band" = -1 ORDER BY "CustomerId" LIMIT 1"""));
        var anchor = await ScalarAsync(db, $"""SELECT "Anchor" FROM "ComplaintOutcomes" WHERE "CustomerId" = {complainer} ORDER BY "TicketId" LIMIT 1""");
        // An order inside a silent complaint's window, one order moved to another customer, one deleted, a level
        // changed, a ticket resolved late, a first complaint from a customer who had none (out of the baseline).
        await db.Database.ExecuteSqlRawAsync($"""
            INSERT INTO "Orders" ("ExternalRef", "CustomerId", "PlacedAt", "Amount") VALUES ('KEPT-1', {complainer}, {anchor} + 86400000, 12345);
            UPDATE "Orders" SET "CustomerId" = {complainer} WHERE "Id" = (SELECT MIN("Id") FROM "Orders" WHERE "CustomerId" <> {complainer} AND "CustomerId" <> {silent});
            DELETE FROM "Orders" WHERE "Id" = (SELECT MAX("Id") FROM "Orders" WHERE "CustomerId" <> {complainer});
            UPDATE "Customers" SET "Level" = 'Partnership' WHERE "Id" = (SELECT "CustomerId" FROM "ComplaintOutcomes" WHERE "Level" <> 'Partnership' ORDER BY "TicketId" DESC LIMIT 1);
            UPDATE "Tickets" SET "State" = 'Resolved', "ResolvedAt" = "ResolutionDueAt" + 3600000 WHERE "Id" = (SELECT MIN("Id") FROM "Tickets" WHERE "State" = 'InProgress');
            INSERT INTO "Tickets" ("Channel", "CustomerId", "CustomerLevel", "Description", "FirstResponseDueAt", "Impact", "IsRepeatComplaint", "Kind", "ReceivedAt",
                "ReopenCount", "ResolutionDueAt", "SafetyRisk", "Severity", "State", "Subject", "UpdatedAt", "Version")
            SELECT 'Email', {silent}, 'Basic', 'Broken on arrival', r.received + 3600000, 'Low', false, 'Complaint', r.received, 0, r.received + 86400000, false, 'Major', 'New', 'Broken', r.received, 1
            FROM (SELECT $now - 86400000 AS received) AS r;
            UPDATE "Surveys" SET "AnsweredAt" = "SentAt" + 3600000, "OutcomeSatisfaction" = 5, "Intention" = 1
            WHERE "Id" = (SELECT MIN("Id") FROM "Surveys" WHERE "SentAt" IS NOT NULL AND "AnsweredAt" IS NULL);
            """.Replace("$now", Now.ToString(), StringComparison.Ordinal));
        // Marked by the triggers; the new order's customer is found by the order's id when the rows are refreshed.
        Assert.True(await ScalarAsync(db, """SELECT COUNT(*) FROM "OutcomesDirty" """) >= 4);

        var rewritten = await ReportOutcomes.RefreshAsync(db, GeneratedDesk.Now, null, CancellationToken.None);
        var kept = await SnapshotAsync(db);
        Assert.InRange(rewritten, 6, 9);
        Assert.NotEqual(before, kept);
        Assert.Equal(12345, await ScalarAsync(db, $"""SELECT "Revenue" FROM "ComplaintOutcomes" WHERE "CustomerId" = {complainer} ORDER BY "TicketId" LIMIT 1"""));
        Assert.Equal(0, await ScalarAsync(db, $"""SELECT COUNT(*) FROM "BaselineOutcomes" WHERE "CustomerId" = {silent}"""));
        Assert.Equal(1, await ScalarAsync(db, $"""SELECT COUNT(*) FROM "ComplaintOutcomes" WHERE "CustomerId" = {silent} AND "IsLatest" = 1 AND "Severity" = 1"""));

        await db.Database.ExecuteSqlRawAsync(RebuildAll);
        Assert.True(await ReportOutcomes.RefreshAsync(db, GeneratedDesk.Now, null, CancellationToken.None) > 1_000);
        Assert.Equal(kept, await SnapshotAsync(db));
    }

    [StorageFact]
    public async Task ALoyaltyRecompute_MarksTheCustomersWhoseClassMoved_AndTheKeptClassesMatchARebuild()
    {
        await using var db = _database.NewContext();
        var clock = new FakeTimeProvider(GeneratedDesk.Now);
        await ReportOutcomes.RefreshAsync(db, GeneratedDesk.Now, null, CancellationToken.None);
        Assert.Equal(0, await ScalarAsync(db, """SELECT COUNT(*) FROM "ComplaintOutcomes" WHERE "LoyaltyClass" <> 'NoPurchases'""")); // no cache yet

        await new Desk.Web.Features.Customers.LoyaltyScoring(db, clock, Microsoft.Extensions.Options.Options.Create(new Desk.Domain.Loyalty.LoyaltyThresholds()))
            .RecomputeAsync("test", CancellationToken.None);
        var moved = await ScalarAsync(db, """SELECT COUNT(*) FROM "OutcomesDirty" """);
        Assert.True(moved > 100, $"only {moved} customers marked");
        await ReportOutcomes.RefreshAsync(db, GeneratedDesk.Now, null, CancellationToken.None);
        Assert.True(await ScalarAsync(db, """SELECT COUNT(DISTINCT "LoyaltyClass") FROM "ComplaintOutcomes" """) >= 4);
        var kept = await SnapshotAsync(db);

        await db.Database.ExecuteSqlRawAsync(RebuildAll);
        await ReportOutcomes.RefreshAsync(db, GeneratedDesk.Now, null, CancellationToken.None);
        Assert.Equal(kept, await SnapshotAsync(db));
    }

    [StorageFact]
    public async Task AReportReadsTheRollupsAndTheirCutoffFromOneSnapshot_WhileAnotherRefreshMovesThemOn()
    {
        var before = GeneratedDesk.Now.AddDays(-40);
        await using (var build = _database.NewContext())
            await ReportOutcomes.RefreshAsync(build, before, null, CancellationToken.None);

        await using var db = _database.NewContext();
        await using (var read = await ReportOutcomes.ReadAsync(db, before.AddMinutes(10), CancellationToken.None))
        {
            Assert.Equal(StoredValues.UnixMilliseconds(before), read.Cutoff);
            var settled = await ScalarAsync(db, """SELECT SUM("N") FROM "MatrixRollup" """);

            await using (var other = _database.NewContext())
                await ReportOutcomes.RefreshAsync(other, GeneratedDesk.Now, null, CancellationToken.None); // moves the rollups on 40 days

            Assert.Equal(StoredValues.UnixMilliseconds(before), await ScalarAsync(db, ReportDialect.Cutoff));
            Assert.Equal(settled, await ScalarAsync(db, """SELECT SUM("N") FROM "MatrixRollup" """));
        }
        // After the read, the next one sees the rollups moved on.
        Assert.Equal(StoredValues.UnixMilliseconds(GeneratedDesk.Now), await ScalarAsync(db, ReportDialect.Cutoff));
        Assert.True(await ScalarAsync(db, """SELECT SUM("N") FROM "MatrixRollup" """) > 0);
    }

    [StorageFact]
    public async Task ChangesNoReportReads_MarkNothing_AndALargeMarkIsWorkedThroughInBatches()
    {
        await using var db = _database.NewContext();
        await ReportOutcomes.RefreshAsync(db, GeneratedDesk.Now, null, CancellationToken.None);
        await db.Database.ExecuteSqlRawAsync("""
            UPDATE "Tickets" SET "Subject" = "Subject" || ' (edited)', "UpdatedAt" = "UpdatedAt" + 1, "Version" = "Version" + 1 WHERE "Id" <= 50;
            UPDATE "Customers" SET "Name" = "Name" || ' Jr' WHERE "Id" <= 50;
            """);
        Assert.Equal(0, await ScalarAsync(db, """SELECT COUNT(*) FROM "OutcomesDirty" """));

        await db.Database.ExecuteSqlRawAsync("""
            UPDATE "Tickets" SET "AssignedTo" = 'mei' WHERE "Id" IN (SELECT MIN(t."Id") FROM "Tickets" AS t GROUP BY t."CustomerId" ORDER BY t."CustomerId" LIMIT 5)
            """);
        Assert.Equal(5, await ScalarAsync(db, """SELECT COUNT(*) FROM "OutcomesDirty" """));
        Assert.Equal(5, await ReportOutcomes.BacklogAsync(db, CancellationToken.None));
        Assert.Equal(2, await ReportOutcomes.RefreshAsync(db, GeneratedDesk.Now, 2, CancellationToken.None));
        Assert.Equal(3, await ScalarAsync(db, """SELECT COUNT(*) FROM "OutcomesDirty" """));
        Assert.Equal(3, await ReportOutcomes.RefreshAsync(db, GeneratedDesk.Now, 10, CancellationToken.None));
        Assert.Equal(5, await ScalarAsync(db, """SELECT COUNT(*) FROM "ComplaintOutcomes" WHERE "Agent" = 'mei'"""));
        Assert.Equal(0, await ReportOutcomes.BacklogAsync(db, CancellationToken.None));
        await db.Database.ExecuteSqlRawAsync(RebuildAll); // a new window: everyone waits
        Assert.Equal(await db.Customers.LongCountAsync(), await ReportOutcomes.BacklogAsync(db, CancellationToken.None));
    }

    [StorageFact]
    public async Task ARebuildInSlices_MarksItsCustomersASliceAtATime_AndEndsWithWhatARebuildInOneGoKeeps()
    {
        await using var db = _database.NewContext();
        await ReportOutcomes.RefreshAsync(db, GeneratedDesk.Now, null, CancellationToken.None);
        var kept = await SnapshotAsync(db);
        var customers = await db.Customers.LongCountAsync();

        await db.Database.ExecuteSqlRawAsync(RebuildAll);
        Assert.Equal(7, await ReportOutcomes.RefreshAsync(db, GeneratedDesk.Now, 7, CancellationToken.None));
        // The rebuild's first write marked only its own slice (marking everyone in it took seconds at a million): the
        // rest wait behind the state's MarkFrom, and the backlog counts them.
        Assert.Equal(0, await ScalarAsync(db, """SELECT COUNT(*) FROM "OutcomesDirty" """));
        Assert.Equal(customers - 7, await ReportOutcomes.BacklogAsync(db, CancellationToken.None));
        Assert.Equal(0, await ScalarAsync(db, """SELECT COUNT(*) FROM "MatrixRollup" """)); // no cutoff until the last customer

        var slices = 1;
        while (await ReportOutcomes.RefreshAsync(db, GeneratedDesk.Now, 50, CancellationToken.None) > 0) slices++;
        Assert.True(slices > 3, $"{customers} customers rebuilt in {slices} slices");
        Assert.Equal(0, await ReportOutcomes.BacklogAsync(db, CancellationToken.None));
        Assert.Equal(kept, await SnapshotAsync(db));
    }

    [StorageFact]
    public async Task ANewRepurchaseWindow_OrAMovedCause_RebuildsEveryRow_BeforeTheNextReportReadsThem()
    {
        await using var db = _database.NewContext();
        var clock = new FakeTimeProvider(GeneratedDesk.Now);
        var ninety = await new RecoveryMatrixQuery(db, clock).RunAsync(new RecoveryFilter(), CancellationToken.None);

        if (await db.RecoverySettings.SingleOrDefaultAsync() is { } settings) settings.Change(30, settings.MajorLossAmount);
        else db.RecoverySettings.Add(new RecoverySettings(30, RecoverySettings.Default.MajorLossAmount));
        await db.SaveChangesAsync();
        var thirty = await new RecoveryMatrixQuery(db, clock).RunAsync(new RecoveryFilter(), CancellationToken.None);
        Assert.Equal(30L * 86_400_000, await ScalarAsync(db, """SELECT "WindowMs" FROM "OutcomesState" """));
        // A shorter window: fewer customers back within it, fewer still pending.
        var complaints = thirty.Cells.Where(c => c.Column != RecoveryColumn.DidNotComplain).ToList();
        Assert.True(complaints.Sum(c => c.Repurchased.Rate!.Value * c.Repurchased.N) / complaints.Sum(c => c.Repurchased.N)
            < ninety.Cells.Where(c => c.Column != RecoveryColumn.DidNotComplain).Sum(c => c.Repurchased.Rate!.Value * c.Repurchased.N)
              / ninety.Cells.Where(c => c.Column != RecoveryColumn.DidNotComplain).Sum(c => c.Repurchased.N));
        Assert.True(complaints.Sum(c => c.Pending) < ninety.Cells.Sum(c => c.Pending));
        await OutcomeConsistency.AssertTicketOutcomesAddUpToAsync(db, thirty, GeneratedDesk.Now);

        // A sub-cause moved under another cause: the Pareto counts it there at once.
        var pareto = await new RootCauseParetoQuery(db, clock).RunAsync(new ParetoFilter(), CancellationToken.None);
        var used = await db.RootCauses.AsNoTracking().Where(c => c.ParentId != null)
            .Join(db.Tickets, c => c.Id, t => t.RootCauseId, (c, t) => c).GroupBy(c => new { c.Id, c.ParentId })
            .Select(g => new { g.Key.Id, g.Key.ParentId, N = g.LongCount() }).OrderByDescending(g => g.N).FirstAsync();
        var (sub, from) = (used.Id, used.ParentId!.Value);
        var other = pareto.Rows.First(r => r.RootCauseId != from).RootCauseId;
        var moved = await db.Tickets.LongCountAsync(t => t.RootCauseId == sub && t.Kind == Desk.Domain.Tickets.TicketKind.Complaint && t.State != Desk.Domain.Tickets.TicketState.Rejected);
        await db.Database.ExecuteSqlAsync($"""UPDATE "RootCauses" SET "ParentId" = {other} WHERE "Id" = {sub}""");
        var after = await new RootCauseParetoQuery(db, clock).RunAsync(new ParetoFilter(), CancellationToken.None);
        Assert.True(moved > 0);
        Assert.Equal(pareto.Rows.Single(r => r.RootCauseId == from).Complaints - moved, after.Rows.SingleOrDefault(r => r.RootCauseId == from)?.Complaints ?? 0);
        Assert.Equal(pareto.Rows.Single(r => r.RootCauseId == other).Complaints + moved, after.Rows.Single(r => r.RootCauseId == other).Complaints);
    }

    [StorageFact]
    public async Task TheWeeklyRollupsWithTheLiveRows_GiveWhatTheKeptRowsGiveAlone_ForAnyFilterAndCutoff()
    {
        await using var db = _database.NewContext();
        var settings = RecoverySettings.Default;
        var levels = Enum.GetValues<Desk.Domain.Customers.RelationshipLevel>();
        var bands = Enum.GetValues<Desk.Domain.Customers.TenureBand>();
        var compared = 0;
        // A cutoff 40 days back leaves many rows settled since then (read live); one at the moment itself, none.
        foreach (var daysBack in new[] { 40.3, 0 })
        {
            await db.Database.ExecuteSqlRawAsync(RebuildAll);
            var at = GeneratedDesk.Now.AddDays(-daysBack);
            await ReportOutcomes.RefreshAsync(db, at, null, CancellationToken.None);
            var cutoff = await ScalarAsync(db, ReportDialect.Cutoff);
            Assert.Equal(StoredValues.UnixMilliseconds(at), cutoff);
            Assert.True(await ScalarAsync(db, """SELECT COUNT(*) FROM "MatrixRollup" """) > 100);
            Assert.True(await ScalarAsync(db, """SELECT COUNT(*) FROM "SlaRollup" """) > 100);
            Assert.True(await ScalarAsync(db, """SELECT COUNT(*) FROM "PendingRollup" """) > 10);
            Assert.True(await ScalarAsync(db, """SELECT COUNT(*) FROM "FacesRollup" """) > 100);
            Assert.True(await ScalarAsync(db, """SELECT COUNT(*) FROM "BaselineRollup" """) > 10);
            foreach (var split in new[] { TrendSplit.Cause, TrendSplit.Channel, TrendSplit.Class })
                Assert.True(await ScalarAsync(db, $"""SELECT COUNT(*) FROM "TrendRollup" WHERE "Split" = {(int)split}""") > 10);

            var random = new Random(7);
            for (var i = 0; i < 30; i++)
            {
                // Times at any millisecond, ranges from a few days (no whole week) to years; each part of the filter set or not.
                DateTime? from = random.Next(4) == 0 ? null : GeneratedDesk.Now.AddDays(-random.NextDouble() * 800);
                DateTime? to = random.Next(4) == 0 ? null : (from ?? GeneratedDesk.Now.AddDays(-800)).AddDays(random.Next(2) == 0 ? random.NextDouble() * 9 : random.NextDouble() * 500);
                var filter = new RecoveryFilter(from, to, random.Next(3) == 0 ? levels[random.Next(levels.Length)] : null,
                    random.Next(3) == 0 ? bands[random.Next(bands.Length)] : null);
                var parameters = RecoveryMatrixQuery.Parameters(filter, GeneratedDesk.Now, settings, cutoff).ToDictionary(p => p.Name, p => p.Value);
                Func<long?, string>[] statements =
                [
                    c => RecoveryMatrixQuery.ComplaintsSql(filter, c), c => RecoveryMatrixQuery.BaselineSql(filter, c),
                    c => SlaReportQuery.Sql(filter, c), c => RemedyEffectivenessQuery.Sql(filter, c), c => ThreeFacesQuery.Sql(db.Provider.Reports, filter, c),
                    .. Enum.GetValues<TrendSplit>().Select(split => new Func<long?, string>(c => TrendsQuery.Sql(filter, split, c))),
                ];
                foreach (var sql in statements)
                {
                    var live = await RowsAsync(db, sql(null), parameters);
                    Assert.Equal(live, await RowsAsync(db, sql(cutoff), parameters));
                    compared += live.Count;
                }
            }
        }
        Assert.True(compared > 1_000, $"only {compared} rows compared");
    }

    private static async Task<List<string>> RowsAsync(DeskDbContext db, string sql, Dictionary<string, object?> parameters)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open) await db.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            (parameter.ParameterName, parameter.Value) = (name, value ?? DBNull.Value);
            if (value is null) parameter.DbType = System.Data.DbType.Int64; // as the desk sends a null (ReportSql)
            command.Parameters.Add(parameter);
        }
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount)
                .Select(i => reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    protected static async Task<List<string>> ObjectsAsync(DeskDbContext db, string sql)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open) await db.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }

    private static long Now => StoredValues.UnixMilliseconds(GeneratedDesk.Now);

    /// <summary>As a new repurchase window does: every row is rebuilt by the next refresh.</summary>
    internal const string RebuildAll = """UPDATE "OutcomesState" SET "WindowMs" = NULL""";

    protected static List<string> Normalized(IEnumerable<string> sql) =>
        sql.Select(s => System.Text.RegularExpressions.Regex.Replace(s, @"\s+", " ").Trim()).ToList();

    protected static async Task<long> ScalarAsync(DeskDbContext db, string sql)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open) await db.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql.Replace("$now", Now.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    /// <summary>Every kept row of the outcome tables and rollups, in key order, as text (the cluster tests compare theirs with a rebuild too).</summary>
    internal static async Task<string> SnapshotAsync(DeskDbContext db)
    {
        var text = new StringBuilder();
        var connection = db.Database.GetDbConnection();
        foreach (var sql in new[]
        {
            """SELECT * FROM "ComplaintOutcomes" ORDER BY "TicketId" """, """SELECT * FROM "BaselineOutcomes" ORDER BY "CustomerId", "Band" """,
            """SELECT * FROM "MatrixRollup" ORDER BY 1, 2, 3, 4, 5, 6, 7, 8""", """SELECT * FROM "PendingRollup" ORDER BY 1, 2, 3, 4, 5, 6, 7, 8""",
            """SELECT * FROM "FacesRollup" ORDER BY 1, 2, 3, 4, 5, 6""", """SELECT * FROM "SlaRollup" ORDER BY 1, 2, 3, 4, 5""",
            """SELECT * FROM "BaselineRollup" ORDER BY 1, 2, 3, 4""", """SELECT * FROM "TrendRollup" ORDER BY 1, 2, 3, 4, 5""",
        })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++) text.Append(reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('|');
                text.Append('\n');
            }
        }
        return text.ToString();
    }
}

public sealed class KeptOutcomesTestsOnSqlite() : KeptOutcomesTests(DatabaseProvider.Sqlite)
{
    [StorageFact]
    public async Task TheMigrationsBuildTheTablesAndTriggersTheCodeDescribes()
    {
        // The migration carries a copy of the SQL; a change to ReportOutcomesSql without a migration of its own fails here.
        const string objects = """
            SELECT type || ' ' || name || ': ' || sql FROM sqlite_schema
            WHERE sql IS NOT NULL AND (name LIKE 'Outcomes%' OR tbl_name IN ('ComplaintOutcomes', 'BaselineOutcomes', 'OutcomesDirty',
                'OutcomesState', 'MatrixRollup', 'PendingRollup', 'SlaRollup', 'BaselineRollup', 'FacesRollup', 'TrendRollup'))
            ORDER BY type, name
            """;
        await using var migrated = Database.NewContext();
        var fromMigrations = await ObjectsAsync(migrated, objects);
        Assert.Contains(fromMigrations, o => o.StartsWith("trigger Outcomes_Survey_Update", StringComparison.Ordinal));

        using var described = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
        described.Open();
        using (var copy = described.CreateCommand())
        {
            // The tables the triggers watch, as the migrations made them; then the code's own tables and triggers.
            copy.CommandText = string.Join(";\n", await ObjectsAsync(migrated, """
                SELECT sql FROM sqlite_schema WHERE type = 'table' AND name IN ('Orders', 'Tickets', 'Customers', 'RootCauses', 'Surveys')
                """)) + ";\n" + Desk.Web.Data.Sqlite.ReportOutcomesSql.CreateTables + Desk.Web.Data.Sqlite.ReportOutcomesSql.CreateTriggers;
            copy.ExecuteNonQuery();
        }
        var fromCode = new List<string>();
        using (var read = described.CreateCommand())
        {
            read.CommandText = objects;
            using var reader = read.ExecuteReader();
            while (reader.Read()) fromCode.Add(reader.GetString(0));
        }
        Assert.Equal(Normalized(fromCode), Normalized(fromMigrations));
    }
    [StorageFact]
    public async Task Refresh_DeletesEmptiedRollupRows_ThroughTheirPartialIndexes()
    {
        // Every refresh deletes the rollup rows whose counts went back to 0; without these indexes each delete read its
        // whole rollup (about 20 ms of every refresh at a million tickets, behind the write gate).
        var deletes = System.Text.RegularExpressions.Regex.Matches(Desk.Web.Data.Sqlite.ReportOutcomesSql.Instance.Refresh, "DELETE FROM \"(\\w+Rollup)\" WHERE [^;]+;")
            .Select(m => (Table: m.Groups[1].Value, Sql: m.Value)).ToList();
        Assert.Equal(6, deletes.Count);
        await using var db = Database.NewContext();
        await db.Database.OpenConnectionAsync();
        foreach (var (table, sql) in deletes)
        {
            await using var explain = db.Database.GetDbConnection().CreateCommand();
            explain.CommandText = "EXPLAIN QUERY PLAN " + sql;
            var plan = new StringBuilder();
            await using (var reader = await explain.ExecuteReaderAsync())
                while (await reader.ReadAsync()) plan.Append(reader.GetString(3)).Append(' ');
            Assert.Contains($"INDEX IX_{table}_Empty", plan.ToString(), StringComparison.Ordinal);
        }
    }
}

public sealed class KeptOutcomesTestsOnPostgres() : KeptOutcomesTests(DatabaseProvider.Postgres), IRunsOnPostgres
{
    private const string Tables = "'ComplaintOutcomes', 'BaselineOutcomes', 'OutcomesDirty', 'OutcomesState', 'MatrixRollup', 'PendingRollup', " +
        "'SlaRollup', 'BaselineRollup', 'FacesRollup', 'TrendRollup'";

    [StorageFact]
    public async Task TheMigrationsBuildTheTablesAndTriggersTheCodeDescribes()
    {
        // The migration carries a copy of the SQL; a change to ReportOutcomesSql without a migration of its own fails
        // here: the catalog as the migrations left it, then as the code's SQL makes it in the same database.
        const string objects = $"""
            SELECT 'column ' || c.relname || '.' || lpad(a.attnum::text, 3, '0') || ' ' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                   || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END || COALESCE(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '')
            FROM pg_attribute AS a JOIN pg_class AS c ON c.oid = a.attrelid
            LEFT JOIN pg_attrdef AS d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND c.relname IN ({Tables}) AND a.attnum > 0 AND NOT a.attisdropped
            UNION ALL
            SELECT 'index ' || i.indexname || ': ' || i.indexdef FROM pg_indexes AS i WHERE i.schemaname = current_schema() AND i.tablename IN ({Tables})
            UNION ALL
            SELECT 'constraint ' || k.conname || ': ' || pg_get_constraintdef(k.oid) FROM pg_constraint AS k JOIN pg_class AS c ON c.oid = k.conrelid
            WHERE c.relnamespace = current_schema()::regnamespace AND c.relname IN ({Tables})
            UNION ALL
            SELECT 'trigger ' || t.tgname || ': ' || pg_get_triggerdef(t.oid) FROM pg_trigger AS t WHERE NOT t.tgisinternal AND t.tgname LIKE 'Outcomes%'
            UNION ALL
            SELECT 'function ' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') ' || pg_get_function_result(p.oid) || ': ' || p.prosrc
            FROM pg_proc AS p WHERE p.pronamespace = current_schema()::regnamespace AND p.proname LIKE 'desk_outcomes%'
            ORDER BY 1
            """;
        await using var db = Database.NewContext();
        var fromMigrations = await ObjectsAsync(db, objects);
        Assert.Contains(fromMigrations, o => o.StartsWith("trigger Outcomes_Survey_Update", StringComparison.Ordinal));
        Assert.Contains(fromMigrations, o => o.StartsWith("function desk_outcomes_mark(customer bigint) void", StringComparison.Ordinal));

        await db.Database.ExecuteSqlRawAsync(Desk.Web.Data.Postgres.ReportOutcomesSql.Drop);
        await db.Database.ExecuteSqlRawAsync(Desk.Web.Data.Postgres.ReportOutcomesSql.CreateTables);
        await db.Database.ExecuteSqlRawAsync(Desk.Web.Data.Postgres.ReportOutcomesSql.CreateTriggers);
        Assert.Equal(Normalized(fromMigrations), Normalized(await ObjectsAsync(db, objects)));
    }

    [StorageFact]
    public async Task ARefresh_SkipsTheMarkOfAWriterNotCommittedYet_AndTheNextOneKeepsItsChange()
    {
        await using var db = Database.NewContext();
        await ReportOutcomes.RefreshAsync(db, GeneratedDesk.Now, null, CancellationToken.None);
        var ticket = await ScalarAsync(db, """SELECT MIN("TicketId") FROM "ComplaintOutcomes" WHERE "Agent" <> 'late'""");
        var customer = await ScalarAsync(db, $"""SELECT "CustomerId" FROM "ComplaintOutcomes" WHERE "TicketId" = {ticket}""");
        // Marked by an earlier change, committed; then another desk changes the customer's ticket and has not committed yet.
        await db.Database.ExecuteSqlRawAsync(ReportDialect.MarkCustomers($"""SELECT "Id" FROM "Customers" WHERE "Id" = {customer}"""));
        await using (var writer = new Npgsql.NpgsqlConnection(Database.ConnectionString))
        {
            await writer.OpenAsync();
            await using var transaction = await writer.BeginTransactionAsync();
            await using (var change = new Npgsql.NpgsqlCommand($"""UPDATE "Tickets" SET "AssignedTo" = 'late' WHERE "Id" = {ticket}""", writer, transaction))
                await change.ExecuteNonQueryAsync();

            // The refresh neither waits for the writer nor takes its customer: it could only rebuild the rows as they were.
            var during = ReportOutcomes.RefreshAsync(db, GeneratedDesk.Now, null, CancellationToken.None);
            Assert.Equal(0, await during.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal(1, await ScalarAsync(db, $"""SELECT COUNT(*) FROM "OutcomesDirty" WHERE "CustomerId" = {customer}"""));
            await transaction.CommitAsync();
        }

        Assert.True(await ReportOutcomes.RefreshAsync(db, GeneratedDesk.Now, null, CancellationToken.None) >= 1);
        Assert.Equal(1, await ScalarAsync(db, $"""SELECT COUNT(*) FROM "ComplaintOutcomes" WHERE "TicketId" = {ticket} AND "Agent" = 'late'"""));
        var kept = await SnapshotAsync(db);
        await db.Database.ExecuteSqlRawAsync(RebuildAll);
        await ReportOutcomes.RefreshAsync(db, GeneratedDesk.Now, null, CancellationToken.None);
        Assert.Equal(kept, await SnapshotAsync(db));
    }
}


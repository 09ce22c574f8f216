using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Desk.Domain.Recovery;
using Desk.Domain.Remedies;
using Desk.Domain.Tickets;
using Desk.Seed;
using Desk.Tests.Support;
using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Seed;

/// <summary>
/// One generated desk shared by the read-only tests of a class (generating it takes a few seconds), made when a test
/// first asks for it: a class whose tests are all skipped (no PostgreSQL here) never makes one.
/// </summary>
public abstract class GeneratedDesk(DatabaseProvider provider) : IDisposable
{
    public static readonly DateTime Now = new(2026, 11, 23, 0, 0, 0, DateTimeKind.Utc);
    public const int Tickets = 20_000;
    public const int Seed = 7;

    private readonly Lazy<(TestDatabase Database, GenerationReport Report)> _desk = new(() =>
    {
        var database = new TestDatabase(provider);
        return (database, GenerateInBulk(database, Tickets, Seed, Now));
    });

    public DatabaseProvider Provider => provider;
    public TestDatabase Database => _desk.Value.Database;
    public GenerationReport Report => _desk.Value.Report;

    /// <summary>The generator's desk in <paramref name="database"/>, written by that database's own bulk writer.</summary>
    public static GenerationReport Generate(TestDatabase database, int tickets, int seed, DateTime now)
    {
        using var connection = database.OpenConnection();
        var report = new DemoDataGenerator(new GeneratorOptions(tickets, seed, now)).WriteTo(connection);
        // As the first start does: what the database derives from the explicit ids (PostgreSQL's identity sequences).
        DeskDatabaseProviders.For(database.Provider).CatchUpAfterBulkLoad(connection, DemoDataGenerator.Tables);
        return report;
    }

    /// <summary>
    /// The generator's desk in <paramref name="database"/> loaded as the seed command loads a big one: indexes (and on
    /// PostgreSQL foreign keys and triggers) off during the load and built after it from the whole tables, then the
    /// counters and the search index made from what was loaded. For 20,000 tickets about a third of the time the
    /// triggers took row by row (15 s → 5 s on SQLite, 30 s → 10 s on PostgreSQL); the data is the same.
    /// </summary>
    public static GenerationReport GenerateInBulk(TestDatabase database, int tickets, int seed, DateTime now)
    {
        using var connection = database.OpenConnection();
        var generator = new DemoDataGenerator(new GeneratorOptions(tickets, seed, now));
        if (connection is Npgsql.NpgsqlConnection postgres)
        {
            var load = Desk.Web.Data.Postgres.PostgresBulkLoad.Begin(postgres, DemoDataGenerator.Tables);
            var written = generator.WriteTo(connection);
            load.BuildIndexes();
            load.CatchUp();
            load.Analyze();
            return written;
        }
        var sqlite = (Microsoft.Data.Sqlite.SqliteConnection)connection;
        Execute(sqlite, Desk.Web.Data.Sqlite.TicketSearchSql.DropTriggers + Desk.Web.Data.Sqlite.ReportOutcomesSql.DropTriggers);
        GenerationReport report;
        using (SqliteBulkLoad.Begin(sqlite))
            report = generator.WriteTo(connection);
        Execute(sqlite, Desk.Web.Data.Sqlite.TicketSearchSql.Rebuild() + Desk.Web.Data.Sqlite.TicketSearchSql.CreateTriggers()
            + Desk.Web.Data.Sqlite.ReportOutcomesSql.CreateTriggers);
        return report;
    }

    private static void Execute(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        if (_desk.IsValueCreated) _desk.Value.Database.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class GeneratedDeskOnSqlite() : GeneratedDesk(DatabaseProvider.Sqlite);

public sealed class GeneratedDeskOnPostgres() : GeneratedDesk(DatabaseProvider.Postgres);

/// <summary>
/// The generator on each database: its SQL is written once in the form both accept (quoted identifiers, @ parameters,
/// CASE rather than summing comparisons, IS [NOT] DISTINCT FROM for null-safe comparisons, booleans as conditions).
/// </summary>
public abstract class DemoDataGeneratorTests(GeneratedDesk desk)
{
    private static readonly long NowMs = new DateTimeOffset(GeneratedDesk.Now).ToUnixTimeMilliseconds();

    [StorageFact]
    public void WriteTo_SameSeedAndNow_WritesIdenticalData_OtherSeedDiffers()
    {
        using var again = new TestDatabase(desk.Provider);
        using var other = new TestDatabase(desk.Provider);
        GeneratedDesk.Generate(again, 2_000, 11, GeneratedDesk.Now);
        using var twice = new TestDatabase(desk.Provider);
        GeneratedDesk.Generate(twice, 2_000, 11, GeneratedDesk.Now);
        GeneratedDesk.Generate(other, 2_000, 12, GeneratedDesk.Now);

        foreach (var table in new[] { "Customers", "Orders", "Tickets", "ConversationEntries", "AuditEntries", "Surveys" })
        {
            Assert.Equal(Fingerprint(again, table), Fingerprint(twice, table));
            Assert.NotEqual(Fingerprint(again, table), Fingerprint(other, table));
        }
    }

    [StorageFact]
    public void WriteTo_IntoNonEmptyDesk_IsRefusedAndAddsNothing()
    {
        using var connection = desk.Database.OpenConnection();
        var before = Count(connection, "Tickets");
        var refused = Assert.Throws<InvalidOperationException>(() =>
            new DemoDataGenerator(new GeneratorOptions(10, 1, GeneratedDesk.Now)).WriteTo(connection));
        Assert.Contains("empty", refused.Message);
        Assert.Equal(before, Count(connection, "Tickets"));
    }

    [StorageFact]
    public void WriteTo_Counts_MatchReportAndEveryStateKindChannelAndSeverityOccurs()
    {
        using var db = desk.Database.NewContext();
        Assert.Equal(GeneratedDesk.Tickets, db.Tickets.Count());
        Assert.Equal(desk.Report.Customers, db.Customers.Count());
        Assert.Equal(desk.Report.Orders, db.Orders.Count());
        Assert.Equal(desk.Report.ConversationEntries, db.ConversationEntries.Count());
        Assert.Equal(desk.Report.AuditEntries, db.AuditEntries.Count());
        Assert.Equal(Enum.GetValues<TicketState>().Order(), db.Tickets.Select(t => t.State).Distinct().ToList().Order());
        Assert.Equal(Enum.GetValues<TicketKind>().Order(), db.Tickets.Select(t => t.Kind).Distinct().ToList().Order());
        Assert.Equal(Enum.GetValues<Channel>().Order(), db.Tickets.Select(t => t.Channel).Distinct().ToList().Order());
        Assert.Equal(Enum.GetValues<Severity>().Order(), db.Tickets.Select(t => t.Severity).Distinct().ToList().Order());
        Assert.Contains(db.Customers.Select(c => c.Language).Distinct().ToList(), l => l == "zh");
        Assert.True(db.Tickets.Count(t => t.IsRepeatComplaint) > 100);
        Assert.True(db.Tickets.Count(t => t.MergedIntoTicketId != null) > 10);
        Assert.True(db.Tickets.Count(t => t.ReopenCount > 0) > 10);
    }

    [StorageFact]
    public void WriteTo_FollowUpsWhoseWindowEnded_AreClosedByTheDeskAsItsSchedulerWould()
    {
        using var connection = desk.Database.OpenConnection();

        Assert.Equal(0, Scalar(connection, $"""SELECT COUNT(*) FROM "Tickets" WHERE "State" = 'FollowUp' AND "FollowUpDueAt" <= {NowMs}"""));
        Assert.True(Scalar(connection, """SELECT COUNT(*) FROM "Tickets" WHERE "State" = 'FollowUp'""") > 0);
        var closedAtWindowEnd = Scalar(connection, """
            SELECT COUNT(*) FROM "Tickets" AS t JOIN "AuditEntries" AS a ON a."TicketId" = t."Id" AND a."Trigger" = 'Close' AND a."Actor" = 'desk'
            WHERE t."State" = 'Closed' AND t."ClosedAt" = t."FollowUpDueAt" AND a."At" = t."ClosedAt"
              AND a."Comment" = 'The follow-up window ended with no answer and no task open.'
            """);
        Assert.True(closedAtWindowEnd > 0, "no follow-up closed at its window's end by the desk");
    }

    [StorageFact]
    public void WriteTo_TicketsStillInFollowUp_HaveTheOpenTasksOfTheirCustomersLevel()
    {
        using var connection = desk.Database.OpenConnection();
        var day = (long)TimeSpan.FromDays(1).TotalMilliseconds;

        Assert.Equal(desk.Report.FollowUpTasks, Scalar(connection, """SELECT COUNT(*) FROM "FollowUpTasks" """));
        Assert.True(desk.Report.FollowUpTasks > 0);
        // Accountable and above: a check-in three days after the resolution, for the agent who resolved it; basic and reactive: none.
        Assert.Equal(0, Scalar(connection, $"""
            SELECT COUNT(*) FROM "Tickets" AS t JOIN "Customers" AS c ON c."Id" = t."CustomerId"
            WHERE t."State" = 'FollowUp' AND c."Level" IN ('Accountable', 'Proactive', 'Partnership')
              AND NOT EXISTS (SELECT 1 FROM "FollowUpTasks" AS k WHERE k."TicketId" = t."Id" AND k."Kind" = 'CheckIn' AND k."Outcome" IS NULL
                              AND k."DueAt" = t."ResolvedAt" + 3 * {day} AND k."AssignedTo" IS NOT DISTINCT FROM t."AssignedTo")
            """));
        Assert.Equal(0, Scalar(connection, """
            SELECT COUNT(*) FROM "FollowUpTasks" AS k JOIN "Tickets" AS t ON t."Id" = k."TicketId" JOIN "Customers" AS c ON c."Id" = t."CustomerId"
            WHERE t."State" <> 'FollowUp' OR c."Level" IN ('Basic', 'Reactive')
            """));
        Assert.True(Scalar(connection, """SELECT COUNT(*) FROM "FollowUpTasks" WHERE "Kind" = 'AccountReview'""") > 0);
    }

    [StorageFact]
    public void WriteTo_ForeignKeysAndUniqueIndexes_AllHold()
    {
        // Every foreign key of the model, checked the same way on both databases: no row points nowhere.
        using var db = desk.Database.NewContext();
        using var connection = desk.Database.OpenConnection();
        foreach (var key in db.Model.GetEntityTypes().SelectMany(e => e.GetForeignKeys()))
        {
            var child = key.DeclaringEntityType.GetTableName();
            var parent = key.PrincipalEntityType.GetTableName();
            if (child is null || parent is null || key.DeclaringEntityType.IsOwned()) continue;
            var set = string.Join(" AND ", key.Properties.Select(p => $"c.\"{p.GetColumnName()}\" IS NOT NULL"));
            var match = string.Join(" AND ", key.Properties.Zip(key.PrincipalKey.Properties, (f, k) => $"p.\"{k.GetColumnName()}\" = c.\"{f.GetColumnName()}\""));
            Assert.True(0 == Scalar(connection, $"""SELECT COUNT(*) FROM "{child}" AS c WHERE {set} AND NOT EXISTS (SELECT 1 FROM "{parent}" AS p WHERE {match})"""),
                $"{child} rows point nowhere in {parent}");
        }
        Assert.Equal(0, Scalar(connection, """SELECT COUNT(*) FROM (SELECT "Email" FROM "Customers" GROUP BY "Email" HAVING COUNT(*) > 1) AS d"""));
        Assert.Equal(0, Scalar(connection, """SELECT COUNT(*) FROM (SELECT "ExternalRef" FROM "Orders" GROUP BY "ExternalRef" HAVING COUNT(*) > 1) AS d"""));
    }

    [StorageFact]
    public void WriteTo_Tickets_LoadThroughEfAndAuditTrailsFollowTheWorkflow()
    {
        using var db = desk.Database.NewContext();
        // A slice across the whole range, through the real model: enums parse, times come back as UTC.
        var tickets = db.Tickets.AsNoTracking().Include(t => t.AuditTrail).Include(t => t.Conversation)
            .Where(t => t.Id % 40 == 0).ToList();
        Assert.Equal(GeneratedDesk.Tickets / 40, tickets.Count);
        foreach (var ticket in tickets)
        {
            var trail = ticket.AuditTrail.OrderBy(a => a.Id).ToList();
            Assert.Null(trail[0].FromState);
            Assert.Equal(TicketState.New, trail[0].ToState);
            for (var i = 1; i < trail.Count; i++)
            {
                Assert.Equal(trail[i - 1].ToState, trail[i].FromState);
                Assert.True(trail[i].At >= trail[i - 1].At, $"{ticket.Number}: audit times go backwards");
            }
            Assert.Equal(ticket.State, trail[^1].ToState);
            Assert.True(trail[^1].At <= GeneratedDesk.Now, $"{ticket.Number}: a step after now");
            Assert.Equal(DateTimeKind.Utc, ticket.ReceivedAt.Kind);
            Assert.Equal(ConversationEntryKind.Inbound, ticket.Conversation.OrderBy(e => e.Id).First().Kind);

            if (ticket.State is TicketState.Resolved or TicketState.FollowUp or TicketState.Closed)
            {
                Assert.NotNull(ticket.ResolvedAt);
                Assert.NotNull(ticket.RemedyGivenId);
                Assert.True(ticket.RemedyCost >= 0);
                Assert.NotNull(ticket.RootCauseId);
                Assert.Equal(trail.Last(a => a.Trigger == TicketTrigger.Resolve).At, ticket.ResolvedAt);
            }
            else
            {
                Assert.Null(ticket.ResolvedAt);
            }
            if (ticket.State == TicketState.Closed)
                Assert.True(ticket.FollowUpRecordedAt is not null || ticket.ClosedAt >= ticket.FollowUpDueAt,
                    $"{ticket.Number} closed without an outcome before its follow-up window ended");
        }
    }

    [StorageFact]
    public void WriteTo_EveryAuditStep_IsOneTheDomainPermits()
    {
        // Each distinct (from, trigger, to) the generator wrote must be a step the real ticket machine takes.
        using var connection = desk.Database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = """SELECT DISTINCT "FromState", "Trigger", "ToState" FROM "AuditEntries" WHERE "Trigger" IS NOT NULL""";
        using var reader = command.ExecuteReader();
        var steps = new List<(TicketState From, TicketTrigger Trigger, TicketState To)>();
        while (reader.Read())
            steps.Add((Enum.Parse<TicketState>(reader.GetString(0)), Enum.Parse<TicketTrigger>(reader.GetString(1)), Enum.Parse<TicketState>(reader.GetString(2))));

        var diagram = Ticket.WorkflowDiagram();
        Assert.True(steps.Count >= 12, $"only {steps.Count} distinct steps: the demo routes are too few");
        Assert.All(steps, s => Assert.Contains($"{s.From} --> {s.To} : {s.Trigger}", diagram));
    }

    [StorageTheory]
    [InlineData(Severity.Minor, RecoveryColumn.DidNotComplain)]
    [InlineData(Severity.Minor, RecoveryColumn.ComplainedNotResolved)]
    [InlineData(Severity.Minor, RecoveryColumn.ResolvedLate)]
    [InlineData(Severity.Minor, RecoveryColumn.ResolvedWithinTarget)]
    [InlineData(Severity.Major, RecoveryColumn.DidNotComplain)]
    [InlineData(Severity.Major, RecoveryColumn.ComplainedNotResolved)]
    [InlineData(Severity.Major, RecoveryColumn.ResolvedLate)]
    [InlineData(Severity.Major, RecoveryColumn.ResolvedWithinTarget)]
    public void WriteTo_RepurchaseRatePerMatrixCell_MatchesPlantedProbability(Severity severity, RecoveryColumn column)
    {
        // The truth as PlantedRecovery defines it, measured straight in SQL, windows still open left out.
        using var connection = desk.Database.OpenConnection();
        var window = (long)PlantedRecovery.RepurchaseWindow.TotalMilliseconds;
        var majorCents = (long)(PlantedRecovery.MajorLossAmount * 100);
        using var command = connection.CreateCommand();
        command.CommandText = column == RecoveryColumn.DidNotComplain
            ? """
              SELECT COUNT(*), COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM "Orders" o WHERE o."CustomerId" = f."CustomerId"
                                                              AND o."PlacedAt" > f."PlacedAt" AND o."PlacedAt" <= f."PlacedAt" + @window)
                                            THEN 1 ELSE 0 END), 0)
              FROM (SELECT o."CustomerId", o."PlacedAt", o."Amount", ROW_NUMBER() OVER (PARTITION BY o."CustomerId" ORDER BY o."PlacedAt", o."Id") AS n
                    FROM "Orders" o WHERE NOT EXISTS (SELECT 1 FROM "Tickets" t WHERE t."CustomerId" = o."CustomerId")) f
              WHERE f.n = 1 AND f."PlacedAt" + @window <= @now
                AND CASE WHEN f."Amount" >= @major THEN 'Major' ELSE 'Minor' END = @severity
              """
            : """
              SELECT COUNT(*), COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM "Orders" o WHERE o."CustomerId" = c."CustomerId"
                                                              AND o."PlacedAt" > c."Anchor" AND o."PlacedAt" <= c."Anchor" + @window)
                                            THEN 1 ELSE 0 END), 0)
              FROM (SELECT t."CustomerId",
                           CASE WHEN t."State" IN ('Resolved', 'FollowUp', 'Closed') THEN t."ResolvedAt" ELSE t."ReceivedAt" END AS "Anchor",
                           CASE WHEN t."State" NOT IN ('Resolved', 'FollowUp', 'Closed') THEN 'ComplainedNotResolved'
                                WHEN t."ResolvedAt" <= t."ResolutionDueAt" THEN 'ResolvedWithinTarget' ELSE 'ResolvedLate' END AS "Cell"
                    FROM "Tickets" t
                    WHERE t."Kind" = 'Complaint' AND t."State" <> 'Rejected' AND NOT t."IsRepeatComplaint" AND t."Severity" = @severity) c
              WHERE c."Cell" = @cell AND c."Anchor" + @window <= @now
              """;
        Parameter(command, "@window", window);
        Parameter(command, "@now", NowMs);
        Parameter(command, "@major", majorCents);
        Parameter(command, "@severity", severity.ToString());
        Parameter(command, "@cell", column.ToString());
        using var reader = command.ExecuteReader();
        reader.Read();
        var (n, repurchased) = (reader.GetInt64(0), reader.GetInt64(1));

        var planted = PlantedRecovery.Tarp.Probability(severity, column);
        Assert.True(n >= 150, $"only {n} measurable tickets in {severity}/{column}");
        var (low, high) = Wilson(repurchased, n, z: 2.576); // 99 %: eight cells, one fixed seed
        Assert.True(planted >= low && planted <= high,
            $"{severity}/{column}: {repurchased}/{n} = {(double)repurchased / n:P1}, 99 % interval {low:P1}–{high:P1}, planted {planted:P0}");
    }

    [StorageFact]
    public void WriteTo_Surveys_SentForEveryFollowUp_AThirdAnswered_ScoresFollowWhatTheCustomerDidNext()
    {
        using var connection = desk.Database.OpenConnection();
        // One survey per ticket that reached follow-up (still there or closed), none for any other ticket.
        Assert.Equal(Scalar(connection, """SELECT COUNT(*) FROM "Tickets" WHERE "State" IN ('FollowUp', 'Closed')"""), desk.Report.Surveys);
        Assert.Equal(desk.Report.Surveys, Scalar(connection,
            """SELECT COUNT(*) FROM "Surveys" s JOIN "Tickets" t ON t."Id" = s."TicketId" WHERE t."State" IN ('FollowUp', 'Closed')"""));
        // Sent before now, answered (if at all) after sending and before the link expired, each answer complete.
        Assert.Equal(0, Scalar(connection,
            $"""SELECT COUNT(*) FROM "Surveys" WHERE "SentAt" IS NULL OR "SentAt" > {NowMs} OR "ExpiresAt" <= "SentAt" OR "TokenHash" IS NULL"""));
        Assert.Equal(0, Scalar(connection, """
            SELECT COUNT(*) FROM "Surveys" WHERE "AnsweredAt" IS NOT NULL
              AND ("AnsweredAt" <= "SentAt" OR "AnsweredAt" >= "ExpiresAt" OR "OutcomeSatisfaction" IS NULL OR "HandlingSatisfaction" IS NULL OR "Intention" IS NULL)
            """));
        Assert.Equal(0, Scalar(connection,
            """SELECT COUNT(*) FROM "Surveys" WHERE "AnsweredAt" IS NULL AND ("OutcomeSatisfaction" IS NOT NULL OR "Reliability" IS NOT NULL)"""));
        var responseRate = (double)Scalar(connection, """SELECT COUNT("AnsweredAt") FROM "Surveys" """) / desk.Report.Surveys;
        Assert.InRange(responseRate, 0.25, 0.45);
        // An answer that is not low is the follow-up outcome the ticket records; a low one reopened its ticket.
        Assert.Equal(0, Scalar(connection, """
            SELECT COUNT(*) FROM "Surveys" s JOIN "Tickets" t ON t."Id" = s."TicketId"
            WHERE s."AnsweredAt" IS NOT NULL AND s."OutcomeSatisfaction" > 2 AND s."HandlingSatisfaction" > 2
              AND (t."FollowUpRecordedAt" IS DISTINCT FROM s."AnsweredAt" OR t."CustomerAccepted" IS DISTINCT FROM s."AcceptsDecision")
            """));
        Assert.Equal(0, Scalar(connection, """
            SELECT COUNT(*) FROM "Surveys" s JOIN "Tickets" t ON t."Id" = s."TicketId"
            WHERE (s."OutcomeSatisfaction" <= 2 OR s."HandlingSatisfaction" <= 2) AND t."ReopenCount" = 0
            """));
        Assert.True(Scalar(connection, """SELECT COUNT(*) FROM "Surveys" WHERE "OutcomeSatisfaction" <= 2""") > 20, "some answers are low");
        Assert.True(Scalar(connection, """SELECT COUNT(*) FROM "Surveys" WHERE "AnsweredAt" IS NOT NULL AND "Reliability" IS NULL""") > 20, "some leave SERVQUAL out");
        Assert.True(Scalar(connection, """SELECT COUNT(*) FROM "Surveys" WHERE "Language" = 'zh' AND "Comment" IS NOT NULL""") > 20, "Chinese comments");

        // The three faces: satisfaction follows actual repurchase (the recovery matrix's definition) and the resolution's
        // timeliness, but not perfectly — some satisfied customers still leave, which is what the report is for.
        var window = (long)PlantedRecovery.RepurchaseWindow.TotalMilliseconds;
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT CASE WHEN EXISTS (SELECT 1 FROM "Orders" o WHERE o."CustomerId" = t."CustomerId"
                                     AND o."PlacedAt" > t."ResolvedAt" AND o."PlacedAt" <= t."ResolvedAt" + {window}) THEN 1 ELSE 0 END AS "Back",
                   CASE WHEN t."ResolvedAt" <= t."ResolutionDueAt" THEN 1 ELSE 0 END AS "OnTime",
                   s."OutcomeSatisfaction", s."HandlingSatisfaction", s."Intention"
            FROM "Surveys" s JOIN "Tickets" t ON t."Id" = s."TicketId"
            WHERE s."AnsweredAt" IS NOT NULL AND t."Kind" = 'Complaint' AND t."ResolvedAt" + {window} <= {NowMs}
            """;
        var answers = new List<(bool Back, bool OnTime, int Outcome, int Handling, int Intention)>();
        using (var reader = command.ExecuteReader())
            while (reader.Read())
                answers.Add((Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture) == 1,
                    Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture) == 1,
                    reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4)));
        Assert.True(answers.Count > 1_000, $"only {answers.Count} measured answers");
        double Mean(IEnumerable<int> scores) => scores.Average();
        Assert.True(Mean(answers.Where(a => a.Back).Select(a => a.Outcome)) - Mean(answers.Where(a => !a.Back).Select(a => a.Outcome)) > 0.4);
        Assert.True(Mean(answers.Where(a => a.Back).Select(a => a.Intention)) > Mean(answers.Where(a => !a.Back).Select(a => a.Intention)) + 0.3);
        Assert.True(Mean(answers.Where(a => a.OnTime).Select(a => a.Handling)) - Mean(answers.Where(a => !a.OnTime).Select(a => a.Handling)) > 0.3);
        var satisfied = answers.Where(a => a.Outcome >= 4).ToList();
        Assert.InRange(satisfied.Count(a => !a.Back) / (double)satisfied.Count, 0.05, 0.4);
    }

    private static (double Low, double High) Wilson(long successes, long n, double z)
    {
        var p = (double)successes / n;
        var denominator = 1 + z * z / n;
        var centre = (p + z * z / (2 * n)) / denominator;
        var half = z * Math.Sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / denominator;
        return (centre - half, centre + half);
    }

    private static string Fingerprint(TestDatabase database, string table)
    {
        using var connection = database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table}\" ORDER BY \"Id\"";
        using var reader = command.ExecuteReader();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        while (reader.Read())
            for (var i = 0; i < reader.FieldCount; i++)
                hash.AppendData(Encoding.UTF8.GetBytes((reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)) + "|"));
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private static void Parameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static long Count(DbConnection connection, string table) => Scalar(connection, $"SELECT COUNT(*) FROM \"{table}\"");

    private static long Scalar(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

public sealed class DemoDataGeneratorTestsOnSqlite(GeneratedDeskOnSqlite desk) : DemoDataGeneratorTests(desk), IClassFixture<GeneratedDeskOnSqlite>;

public sealed class DemoDataGeneratorTestsOnPostgres(GeneratedDeskOnPostgres desk) : DemoDataGeneratorTests(desk), IClassFixture<GeneratedDeskOnPostgres>, IRunsOnPostgres;

using System.Data.Common;
using Desk.Domain.Customers;
using Desk.Domain.Sla;
using Desk.Domain.Tickets;
using Desk.Seed;
using Desk.Tests.Support;
using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Seed;

/// <summary>The seed command on each database: SQLite with <c>--db FILE</c>, PostgreSQL with <c>--provider postgres --connection …</c>.</summary>
[Collection(nameof(ConsoleOutput))]
public abstract class SeedCommandTests : IDisposable
{
    private readonly StringWriter _out = new();
    private readonly StringWriter _error = new();
    private readonly TextWriter _originalOut = Console.Out;
    private readonly TextWriter _originalError = Console.Error;

    protected SeedCommandTests(DatabaseProvider provider)
    {
        Target = new TestDatabase(provider, migrate: false);
        Console.SetOut(_out);
        Console.SetError(_error);
    }

    /// <summary>The database the command is pointed at: not there until the command creates it.</summary>
    protected TestDatabase Target { get; }

    protected string ErrorOutput => _error.ToString();

    public void Dispose()
    {
        Console.SetOut(_originalOut);
        Console.SetError(_originalError);
        Target.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The command's arguments naming <see cref="Target"/>, then <paramref name="more"/>.</summary>
    protected string[] Args(params string[] more) => Target.Provider == DatabaseProvider.Postgres
        ? ["--provider", "postgres", "--connection", Target.ConnectionString, .. more]
        : ["--db", Target.Path, .. more];

    [StorageFact]
    public void Main_NewDatabase_CreatesMigratedDeskWithTicketsAndPrintsPlantedTable()
    {
        var exit = SeedCommand.Main(Args("--tickets", "400", "--now", "2026-11-23T00:00:00Z", "--seed", "5"));

        Assert.Equal(0, exit);
        using var db = Target.NewContext();
        Assert.Equal(400, db.Tickets.Count());
        Assert.Empty(db.Database.GetPendingMigrations());
        // Marked as a demo desk, so its pages say so.
        Assert.Equal((400, 1), db.Set<Desk.Web.DemoData.DemoDataLoad>().AsEnumerable().Select(l => (l.Tickets, 1)).Single());
        var output = _out.ToString();
        Assert.Contains("400 / 400 tickets", output);
        Assert.Contains("Planted repurchase probability", output);
        Assert.Contains("95 %", output);
        // The line docs/figures.json records (figures record seed): the time, memory and the counts the README's table shows.
        var result = Desk.Bench.Figures.ParseResults(output.Split('\n'))["seed"];
        Assert.Equal(400, result["tickets"]);
        Assert.Equal(db.Customers.Count(), result["customers"]);
        Assert.True(result["seconds"] > 0 && result["peak_mib"] > 0 && result["rows"] > 400);
        Assert.Equal(Target.Provider == DatabaseProvider.Postgres, !result.ContainsKey("file_mib"));
    }

    [StorageFact]
    public void Main_AfterTheLoad_TheDeskHasEveryIndexConstraintAndTriggerOfAFreshOne_CountsRightAndNumbersOn()
    {
        using var fresh = new TestDatabase(Target.Provider);
        string[] expected;
        using (var connection = fresh.OpenConnection()) expected = Schema(connection);

        Assert.Equal(0, SeedCommand.Main(Args("--tickets", "300", "--now", "2026-11-23T00:00:00Z", "--seed", "8")));

        using (var connection = Target.OpenConnection())
        {
            Assert.Equal(expected, Schema(connection));
            var kept = Counters(connection);
            Execute(connection, QueueCounterKeys.Recount());
            Assert.Equal(Counters(connection), kept);
            Assert.Equal(300, kept.Where(c => c.Key.StartsWith("state:", StringComparison.Ordinal)).Sum(c => c.Value));
        }
        // New rows after the load take the ids after the loaded ones (PostgreSQL's identity sequences were moved on).
        using var db = Target.NewContext();
        var customers = db.Customers.Count();
        var customer = new Customer("after.the.seed@example.com", "After the seed", new DateTime(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc));
        db.Customers.Add(customer);
        db.SaveChanges();
        var ticket = Ticket.Receive(new TicketIntake(TicketKind.Complaint, Channel.Email, Severity.Minor, "After the seed", "Body"),
            customer, SlaPolicy.Default, RepeatComplaintPolicy.Default, null, customer.FirstSeenAt);
        db.Tickets.Add(ticket);
        db.SaveChanges();
        Assert.Equal(customers + 1, customer.Id);
        Assert.Equal(301, ticket.Id);
    }

    [StorageFact]
    public void Main_DatabaseWithData_IsRefusedAndLeftAsItWasUnlessReplaced()
    {
        Assert.Equal(0, SeedCommand.Main(Args("--tickets", "50")));
        string[] schema;
        using (var connection = Target.OpenConnection()) schema = Schema(connection);

        Assert.Equal(1, SeedCommand.Main(Args("--tickets", "80")));
        Assert.Contains("already holds tickets", ErrorOutput);
        using (var db = Target.NewContext()) Assert.Equal(50, db.Tickets.Count());
        using (var connection = Target.OpenConnection()) Assert.Equal(schema, Schema(connection)); // no index or trigger taken away

        Assert.Equal(0, SeedCommand.Main(Args("--tickets", "80", "--replace")));
        using (var db = Target.NewContext()) Assert.Equal(80, db.Tickets.Count());
    }

    [StorageTheory]
    [InlineData("--tickets", "many")]
    [InlineData("--tickets", "-1")]
    [InlineData("--now", "yesterday")]
    [InlineData("--colour", "red")]
    [InlineData("--provider", "oracle")]
    public void Main_BadArgument_ExitsWith2AndSaysWhatIsWrong(string name, string value)
    {
        Assert.Equal(2, SeedCommand.Main([.. Args(), name, value]));
        Assert.Contains("error:", ErrorOutput);
        Assert.Contains("Usage:", ErrorOutput);
        Assert.False(Target.Exists);
    }

    /// <summary>The database's indexes, constraints and triggers (with whether each trigger is on) and table options, by name.</summary>
    private string[] Schema(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Target.Provider == DatabaseProvider.Postgres
            ? """
              SELECT 'index ' || indexname FROM pg_indexes WHERE schemaname = current_schema()
              UNION ALL SELECT 'constraint ' || conname || ' ' || convalidated FROM pg_constraint WHERE connamespace = current_schema()::regnamespace
              UNION ALL SELECT 'trigger ' || tgname || ' ' || tgenabled::text FROM pg_trigger WHERE NOT tgisinternal
              UNION ALL SELECT 'options ' || relname || ' ' || array_to_string(reloptions, ',') FROM pg_class
                        WHERE relnamespace = current_schema()::regnamespace AND reloptions IS NOT NULL
              """
            : "SELECT type || ' ' || name FROM sqlite_master WHERE type IN ('index', 'trigger', 'table') AND name NOT LIKE 'sqlite_stat%'";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read()) names.Add(reader.GetString(0));
        return [.. names.Order(StringComparer.Ordinal)];
    }

    private static Dictionary<string, long> Counters(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"""SELECT "Key", "Count" FROM "{QueueCounterKeys.Table}" WHERE "Count" <> 0""";
        using var reader = command.ExecuteReader();
        var counters = new Dictionary<string, long>();
        while (reader.Read()) counters[reader.GetString(0)] = reader.GetInt64(1);
        return counters;
    }

    private static void Execute(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

public sealed class SeedCommandTestsOnSqlite() : SeedCommandTests(DatabaseProvider.Sqlite)
{
    [Fact]
    public void Main_AfterTheBulkLoad_TheSearchIndexHasNoStatisticsAndAMergeSeeksItsPagesByRowid()
    {
        Assert.Equal(0, SeedCommand.Main(Args("--tickets", "200", "--now", "2026-11-23T00:00:00Z", "--seed", "6")));

        using var connection = Target.OpenConnection();
        using var stats = connection.CreateCommand();
        stats.CommandText = "SELECT count(*) FROM sqlite_stat1 WHERE tbl LIKE 'TicketSearch%'";
        Assert.Equal(0L, stats.ExecuteScalar());
        using var others = connection.CreateCommand();
        others.CommandText = "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'Tickets'";
        Assert.NotEqual(0L, others.ExecuteScalar()); // the rest of the desk keeps its statistics
        // What FTS5 runs for each segment a merge removes: a scan here cost half a second at a million tickets.
        using var plan = connection.CreateCommand();
        plan.CommandText = "EXPLAIN QUERY PLAN DELETE FROM TicketSearch_data WHERE id >= 1 AND id <= 2";
        using var reader = plan.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Contains("INTEGER PRIMARY KEY", reader.GetString(3));
    }

    [Fact]
    public void Main_SearchIndexBuiltBesideTheLoad_FindsWhatARebuildFromTheTablesFinds()
    {
        Assert.Equal(0, SeedCommand.Main(Args("--tickets", "600", "--now", "2026-11-23T00:00:00Z", "--seed", "8")));
        Assert.False(File.Exists(Target.Path + ".search-build"), "the scratch file is gone");

        using var connection = (Microsoft.Data.Sqlite.SqliteConnection)Target.OpenConnection();
        Desk.Web.Data.Sqlite.TicketSearchSql.RegisterFunction(connection);
        Run(connection, """INSERT INTO "TicketSearch" ("TicketSearch", rank) VALUES ('integrity-check', 0)""");
        // Words from every part of a ticket: subject, a customer's name and address, Chinese messages, a late reply.
        var words = new List<string> { "\"退 款\"", "\"换 货\"", "refund", "kettle", "example", "photo", "accept", "SO", "desk" };
        using (var sample = connection.CreateCommand())
        {
            sample.CommandText = """
                SELECT c."Email", c."Name", (SELECT e."Body" FROM "ConversationEntries" e WHERE e."TicketId" = t."Id" ORDER BY e."Id" DESC LIMIT 1)
                FROM "Tickets" t JOIN "Customers" c ON c."Id" = t."CustomerId" WHERE t."Id" % 97 = 1
                """;
            using var reader = sample.ExecuteReader();
            while (reader.Read())
                for (var i = 0; i < 3; i++)
                    if (Desk.Domain.Search.SearchText.ToMatchQuery(reader.GetString(i)) is { } query) words.Add(query);
        }
        var seeded = words.Select(w => Matches(connection, w)).ToList();
        Assert.True(seeded.Count(m => m.Count > 0) > words.Count / 2, "most sample searches find something");
        Assert.Equal(Count(connection, """SELECT count(*) FROM "Tickets" """), Count(connection, """SELECT count(*) FROM "TicketSearch_docsize" """));

        Run(connection, Desk.Web.Data.Sqlite.TicketSearchSql.Rebuild());

        for (var i = 0; i < words.Count; i++)
            Assert.Equal(Matches(connection, words[i]), seeded[i]);
    }

    private static void Run(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static List<long> Matches(DbConnection connection, string query)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """SELECT rowid FROM "TicketSearch" WHERE "TicketSearch" MATCH $q ORDER BY rowid""";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "$q";
        parameter.Value = query;
        command.Parameters.Add(parameter);
        using var reader = command.ExecuteReader();
        var ids = new List<long>();
        while (reader.Read()) ids.Add(reader.GetInt64(0));
        return ids;
    }

    private static long Count(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Theory]
    [InlineData("--connection", "Host=127.0.0.1;Database=desk")]
    [InlineData("--provider", "postgres")]
    public void Main_PostgresArgumentsWithoutPostgres_ExitWith2AndSayWhatIsMissing(string name, string value)
    {
        Assert.Equal(2, SeedCommand.Main([name, value, "--tickets", "10"]));
        Assert.Contains("--connection", ErrorOutput);
    }
}

public sealed class SeedCommandTestsOnPostgres() : SeedCommandTests(DatabaseProvider.Postgres), IRunsOnPostgres
{
    [StorageFact]
    public void Main_PostgresWithAFileName_ExitsWith2AndAsksForAConnection()
    {
        Assert.Equal(2, SeedCommand.Main([.. Args(), "--db", "desk.db"]));
        Assert.Contains("--connection", ErrorOutput);
        Assert.False(Target.Exists);
    }
}

/// <summary>Tests that redirect Console run one at a time.</summary>
[CollectionDefinition(nameof(ConsoleOutput), DisableParallelization = true)]
public sealed class ConsoleOutput;

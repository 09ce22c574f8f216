using Desk.Seed;
using Desk.Tests.Support;

namespace Desk.Tests.Seed;

[Collection(nameof(ConsoleOutput))]
public sealed class SeedCommandTests : IDisposable
{
    private readonly TestDatabase _target = new(migrate: false);
    private readonly StringWriter _out = new();
    private readonly StringWriter _error = new();
    private readonly TextWriter _originalOut = Console.Out;
    private readonly TextWriter _originalError = Console.Error;

    public SeedCommandTests()
    {
        Console.SetOut(_out);
        Console.SetError(_error);
    }

    public void Dispose()
    {
        Console.SetOut(_originalOut);
        Console.SetError(_originalError);
        _target.Dispose();
    }

    [Fact]
    public void Main_NewFile_CreatesMigratedDeskWithTicketsAndPrintsPlantedTable()
    {
        var exit = SeedCommand.Main(["--tickets", "400", "--db", _target.Path, "--now", "2026-11-23T00:00:00Z", "--seed", "5"]);

        Assert.Equal(0, exit);
        using var db = _target.NewContext();
        Assert.Equal(400, db.Tickets.Count());
        Assert.Empty(Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.GetPendingMigrations(db.Database));
        var output = _out.ToString();
        Assert.Contains("400 / 400 tickets", output);
        Assert.Contains("Planted repurchase probability", output);
        Assert.Contains("95 %", output);
    }

    [Fact]
    public void Main_AfterTheBulkLoad_TheSearchIndexHasNoStatisticsAndAMergeSeeksItsPagesByRowid()
    {
        Assert.Equal(0, SeedCommand.Main(["--tickets", "200", "--db", _target.Path, "--now", "2026-11-23T00:00:00Z", "--seed", "6"]));

        using var connection = _target.OpenConnection();
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
    public void Main_FileWithData_IsRefusedUnlessReplaced()
    {
        Assert.Equal(0, SeedCommand.Main(["--tickets", "50", "--db", _target.Path]));

        Assert.Equal(1, SeedCommand.Main(["--tickets", "80", "--db", _target.Path]));
        Assert.Contains("already holds tickets", _error.ToString());
        using (var db = _target.NewContext()) Assert.Equal(50, db.Tickets.Count());

        Assert.Equal(0, SeedCommand.Main(["--tickets", "80", "--db", _target.Path, "--replace"]));
        using (var db = _target.NewContext()) Assert.Equal(80, db.Tickets.Count());
    }

    [Theory]
    [InlineData("--tickets", "many")]
    [InlineData("--tickets", "-1")]
    [InlineData("--now", "yesterday")]
    [InlineData("--colour", "red")]
    public void Main_BadArgument_ExitsWith2AndSaysWhatIsWrong(string name, string value)
    {
        Assert.Equal(2, SeedCommand.Main([name, value, "--db", _target.Path]));
        Assert.Contains("error:", _error.ToString());
        Assert.Contains("Usage:", _error.ToString());
        Assert.False(File.Exists(_target.Path));
    }
}

/// <summary>Tests that redirect Console run one at a time.</summary>
[CollectionDefinition(nameof(ConsoleOutput), DisableParallelization = true)]
public sealed class ConsoleOutput;

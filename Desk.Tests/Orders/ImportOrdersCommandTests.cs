using Desk.Tests.Support;
using Desk.Web.Data;
using Desk.Web.Features.Orders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Desk.Tests.Orders;

/// <summary>The import-orders command: progress and result on its output, exit code 1 with the row errors on refusal.</summary>
public abstract class ImportOrdersCommandTests : IDisposable
{
    private readonly TestDatabase _database;
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"desk-orders-{Guid.NewGuid():N}.csv");
    private readonly ServiceProvider _services;

    protected ImportOrdersCommandTests(DatabaseProvider provider)
    {
        _database = new(provider);
        _services = new ServiceCollection()
            .AddScoped(_ => _database.NewContext())
            .AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(DeskWebFactory.Now)))
            .AddScoped<OrderImport>()
            .BuildServiceProvider();
    }

    public void Dispose()
    {
        _services.Dispose();
        File.Delete(_file);
        _database.Dispose();
    }

    private async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var exit = await ImportOrdersCommand.RunAsync(_services, args, output);
        return (exit, output.ToString());
    }

    [StorageFact]
    public async Task Run_GoodFile_ImportsAndPrintsProgressAndResult()
    {
        await File.WriteAllTextAsync(_file, "email,external_ref,date,amount\ncmd@example.org,C-1,2026-01-02,10\ncmd@example.org,C-2,2026-01-03,20\n");

        var (exit, output) = await RunAsync(_file);

        Assert.Equal(0, exit);
        Assert.Contains("2 rows", output); // the progress line
        Assert.Contains("Imported 2 new orders from 2 rows", output);
        await using var db = _database.NewContext();
        Assert.Equal(2, await db.Orders.CountAsync());

        var (again, second) = await RunAsync(_file);
        Assert.Equal(0, again);
        Assert.Contains("Imported 0 new orders from 2 rows", second);
        Assert.Contains("2 already imported", second);
    }

    [StorageFact]
    public async Task Run_BadRows_ExitsOneWithEachRowErrorAndImportsNothing()
    {
        await File.WriteAllTextAsync(_file, "email,external_ref,date,amount\ncmd@example.org,C-1,2026-01-02,10\ncmd@example.org,C-2,yesterday,20\n");

        var (exit, output) = await RunAsync(_file);

        Assert.Equal(1, exit);
        Assert.Contains("Refused: 1 problem(s) in 2 rows; nothing was imported.", output);
        Assert.Contains("row 3, date: \"yesterday\" is not a date Desk can read. → Write dates year first", output);
        await using var db = _database.NewContext();
        Assert.Equal(0, await db.Orders.CountAsync());
    }

    [StorageFact]
    public async Task Run_DryRun_WritesNothing()
    {
        await File.WriteAllTextAsync(_file, "email,external_ref,date,amount\ncmd@example.org,C-1,2026-01-02,10\n");

        var (exit, output) = await RunAsync(_file, "--dry-run");

        Assert.Equal(0, exit);
        Assert.Contains("1 new", output);
        await using var db = _database.NewContext();
        Assert.Equal(0, await db.Orders.CountAsync());
    }

    [StorageTheory]
    [InlineData()]
    [InlineData("/nonexistent/orders.csv")]
    public async Task Run_NoFile_ExitsTwo(params string[] args) => Assert.Equal(2, (await RunAsync(args)).Exit);
}

public sealed class ImportOrdersCommandTestsOnSqlite() : ImportOrdersCommandTests(DatabaseProvider.Sqlite);

public sealed class ImportOrdersCommandTestsOnPostgres() : ImportOrdersCommandTests(DatabaseProvider.Postgres), IRunsOnPostgres;

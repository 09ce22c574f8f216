using Desk.Domain.Sla;
using Desk.Tests.Support;
using Desk.Web.Data;
using Desk.Web.Features.Import;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Desk.Tests.Import;

/// <summary>The import command from its entry: progress per ticket, the result, the unmapped report; usage and refusals.</summary>
public abstract class ImportHistoryCommandTests : IDisposable
{
    private readonly TestDatabase _database;
    private readonly ServiceProvider _services;

    protected ImportHistoryCommandTests(DatabaseProvider provider)
    {
        _database = new(provider);
        var services = new ServiceCollection()
            .AddScoped(_ => _database.NewContext())
            .AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(DeskWebFactory.Now)))
            .AddSingleton(SlaPolicy.Default)
            .AddScoped<HistoryImport>();
        foreach (var reader in ImportFixture.Readers) services.AddSingleton(reader);
        _services = services.BuildServiceProvider();
    }

    public void Dispose()
    {
        _services.Dispose();
        _database.Dispose();
    }

    private async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var exit = await ImportHistoryCommand.RunAsync(_services, args, output);
        return (exit, output.ToString());
    }

    [StorageFact]
    public async Task Run_OsTicketExport_PrintsProgressResultAndWhatWasNotMapped()
    {
        var (exit, output) = await RunAsync("osticket", ImportFixture.All["osticket"].Path);

        Assert.True(exit == 0, output);
        Assert.True(output.Contains("4 tickets found; importing", StringComparison.Ordinal), output);
        Assert.True(output.Contains("       4 / 4         4 imported         0 already imported", StringComparison.Ordinal), output); // the progress line after the last ticket
        Assert.True(output.Contains("Imported 4 of 4 osTicket tickets", StringComparison.Ordinal), output);
        Assert.True(output.Contains("10 messages, 1 files, 3 new customers; 0 already imported.", StringComparison.Ordinal), output);
        Assert.True(output.Contains("Not mapped (1):", StringComparison.Ordinal), output);
        Assert.True(output.Contains("  osTicket #100235: The status 'Deleted' (deleted) has no counterpart in Desk: not imported.", StringComparison.Ordinal), output);
        await using (var db = _database.NewContext())
            Assert.Equal(4, await db.Tickets.CountAsync());

        var (again, second) = await RunAsync("OSTICKET", ImportFixture.All["osticket"].Path);
        Assert.Equal(0, again);
        Assert.True(second.Contains("Imported 0 of 4 osTicket tickets", StringComparison.Ordinal), second);
        Assert.True(second.Contains("4 already imported", StringComparison.Ordinal), second);
    }

    [StorageFact]
    public async Task Run_WrongCalls_PrintUsageOrRefuseAndImportNothing()
    {
        var (unknown, usage) = await RunAsync("helpscout", ImportFixture.All["zendesk"].Path);
        Assert.Equal(2, unknown);
        Assert.Contains("Usage: dotnet run --project Desk.Web -- import osticket|zammad|freescout|zendesk FILE", usage);

        var (missing, noFile) = await RunAsync("zendesk", "/nonexistent/export.json");
        Assert.Equal(2, missing);
        Assert.Contains("error: there is no file", noFile);

        var (refused, wrongPeer) = await RunAsync("freescout", ImportFixture.All["zammad"].Path);
        Assert.Equal(1, refused);
        Assert.Contains("error: This is not a FreeScout export Desk can read", wrongPeer);
        await using var db = _database.NewContext();
        Assert.Equal(0, await db.Tickets.CountAsync());
    }
}

public sealed class ImportHistoryCommandTestsOnSqlite() : ImportHistoryCommandTests(DatabaseProvider.Sqlite);

public sealed class ImportHistoryCommandTestsOnPostgres() : ImportHistoryCommandTests(DatabaseProvider.Postgres), IRunsOnPostgres;

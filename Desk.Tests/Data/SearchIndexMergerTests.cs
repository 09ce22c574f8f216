using Desk.Domain.Customers;
using Desk.Domain.Search;
using Desk.Domain.Sla;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web.Data;
using Desk.Web.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Desk.Tests.Data;

/// <summary>
/// Writes no longer merge the search index (a merge inside one agent's note took seconds at a million tickets);
/// the merger does it in small steps between writes, and searches find the same tickets before and after.
/// </summary>
public sealed class SearchIndexMergerTests : IDisposable
{
    private static readonly DateTime Start = new(2026, 5, 4, 9, 0, 0, DateTimeKind.Utc);
    private readonly TestDatabase _database = new();
    private readonly ServiceProvider _services;

    public SearchIndexMergerTests()
    {
        var services = new ServiceCollection();
        services.AddScoped(_ => _database.NewContext());
        _services = services.BuildServiceProvider();
    }

    public void Dispose()
    {
        _services.Dispose();
        _database.Dispose();
    }

    private SearchIndexMerger Merger() => new(_services.GetRequiredService<IServiceScopeFactory>(), NullLogger<SearchIndexMerger>.Instance);

    [Fact]
    public void Migrations_TurnMergingInsideWritesOff_AndKeepACrisisMergeAsSafetyNet()
    {
        using var db = _database.NewContext();
        var config = db.Database.SqlQueryRaw<ConfigRow>("SELECT k AS Key, CAST(v AS TEXT) AS Value FROM TicketSearch_config")
            .ToDictionary(r => r.Key, r => r.Value);
        Assert.Equal("0", config["automerge"]);
        Assert.Equal("64", config["crisismerge"]);
    }

    [Fact]
    public async Task Merge_AfterManySmallWrites_MergesInStepsThenHasNothingLeft_AndSearchFindsTheSame()
    {
        long[] ids;
        using (var db = _database.NewContext())
        {
            var customer = new Customer("piles@example.com", "Pia Segment", Start.AddYears(-1));
            db.Customers.Add(customer);
            db.SaveChanges();
            var tickets = new List<Ticket>();
            for (var i = 0; i < 60; i++) // one write transaction each, as agents' notes and web complaints come: one segment each
            {
                var ticket = Ticket.Receive(new TicketIntake(TicketKind.Complaint, Channel.Web, Severity.Minor, $"Blender {i} overheats",
                    $"Blender number {i} smells of smoke; order zebra{i}."), customer, SlaPolicy.Default, RepeatComplaintPolicy.Default, null, Start);
                db.Tickets.Add(ticket);
                db.SaveChanges();
                tickets.Add(ticket);
            }
            ids = [.. tickets.Select(t => t.Id)];
        }
        var before = Find("blender");
        Assert.Equal(ids.Order(), before.Order());
        var piled = Segments();

        var merged = await Merger().MergeAsync(CancellationToken.None);
        var again = await Merger().MergeAsync(CancellationToken.None);

        Assert.True(piled >= 50, $"sixty writes should leave their segments unmerged, found {piled}"); // automerge on: under 10
        Assert.True(merged > 0);
        Assert.Equal(0, again);
        Assert.True(Segments() <= 6, $"merged down to {Segments()} segments");
        Assert.Equal(before.Order(), Find("blender").Order());
        Assert.Equal([ids[17]], Find("zebra17"));
        Assert.Equal(ids.Order(), Find("smoke").Order());
    }

    [Fact]
    public async Task Merge_OnAnIndexWithNothingToMerge_WritesNothing()
    {
        Assert.Equal(0, await Merger().MergeAsync(CancellationToken.None));
    }

    private List<long> Find(string typed)
    {
        using var db = _database.NewContext();
        return [.. db.TicketSearch(typed)];
    }

    /// <summary>
    /// The index's segments, counted from its data table: a segment's pages have rowids of segment id × 2^37 + page
    /// (FTS5's layout); ids from 2^16 up are tombstone pages of deletes, not segments.
    /// </summary>
    private int Segments()
    {
        using var db = _database.NewContext();
        return db.Database.SqlQueryRaw<int>(
            "SELECT count(DISTINCT id >> 37) AS Value FROM TicketSearch_data WHERE id >> 37 BETWEEN 1 AND 65535").Single();
    }

    private sealed record ConfigRow(string Key, string Value);
}

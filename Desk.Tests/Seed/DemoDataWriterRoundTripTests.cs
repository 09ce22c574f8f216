using Desk.Domain.Customers;
using Desk.Domain.FollowUps;
using Desk.Domain.Orders;
using Desk.Domain.Tickets;
using Desk.Seed;
using Desk.Tests.Support;
using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Seed;

/// <summary>
/// The PostgreSQL writer stores what the SQLite writer stores: the same seed written by each and read back through the
/// web app's model gives the same value in every mapped property of every row. The SQLite writer's own round trip
/// (<see cref="DemoDataGeneratorTests"/>) shows those values are the model's; this ties the PostgreSQL one to it.
/// </summary>
public sealed class DemoDataWriterRoundTripTests : IRunsOnPostgres, IDisposable
{
    private static readonly DateTime Now = new(2026, 11, 23, 0, 0, 0, DateTimeKind.Utc);
    private readonly TestDatabase _sqlite = new(DatabaseProvider.Sqlite);
    private readonly TestDatabase _postgres = new(DatabaseProvider.Postgres);

    public void Dispose()
    {
        _sqlite.Dispose();
        _postgres.Dispose();
    }

    [StorageFact]
    public void WriteTo_SameSeedOnSqliteAndPostgres_EfReadsTheSameValuesFromBoth()
    {
        GeneratedDesk.Generate(_sqlite, 1_500, 3, Now);
        GeneratedDesk.Generate(_postgres, 1_500, 3, Now);

        using var sqlite = _sqlite.NewContext();
        using var postgres = _postgres.NewContext();
        AssertSameRows<Customer>(sqlite, postgres);
        AssertSameRows<Order>(sqlite, postgres);
        AssertSameRows<Ticket>(sqlite, postgres);
        AssertSameRows<ConversationEntry>(sqlite, postgres);
        AssertSameRows<AuditEntry>(sqlite, postgres);
        AssertSameRows<Survey>(sqlite, postgres);
        AssertSameRows<FollowUpTask>(sqlite, postgres);
    }

    /// <summary>Every row of <typeparamref name="T"/>, by id, property by property as EF maps them (shadow properties too).</summary>
    private static void AssertSameRows<T>(DeskDbContext sqlite, DeskDbContext postgres) where T : class
    {
        var expected = Rows<T>(sqlite);
        var actual = Rows<T>(postgres);
        Assert.True(expected.Count > 0, $"no {typeof(T).Name} rows generated");
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
            foreach (var (name, value) in expected[i])
            {
                var stored = actual[i][name];
                if (!Equals(value, stored))
                    Assert.Fail($"{typeof(T).Name} #{expected[i]["Id"]}.{name}: SQLite gives {Show(value)}, PostgreSQL {Show(stored)}");
                if (value is DateTime time) Assert.Equal(time.Kind, ((DateTime)stored!).Kind);
            }
    }

    private static List<Dictionary<string, object?>> Rows<T>(DeskDbContext db) where T : class =>
        [.. db.Set<T>().OrderBy(e => EF.Property<long>(e, "Id")).AsEnumerable()
            .Select(e => db.Entry(e).Properties.ToDictionary(p => p.Metadata.Name, p => p.CurrentValue))];

    private static string Show(object? value) => value is null ? "null" : $"{value} ({value.GetType().Name})";
}

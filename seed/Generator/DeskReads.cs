using System.Data.Common;
using System.Globalization;
using Desk.Domain.Customers;
using Desk.Domain.Sla;
using Desk.Domain.Tickets;

namespace Desk.Seed;

/// <summary>
/// What the generator reads from the desk it fills, in SQL both databases accept (quoted identifiers, no integer
/// stand-ins for booleans), so the two writers read exactly the same and the same seed gives the same rows on both.
/// </summary>
internal static class DeskReads
{
    /// <summary>Refuses a desk that holds tickets, customers or orders already; <paramref name="advice"/> says what to use instead.</summary>
    public static void EnsureEmpty(DbConnection connection, string advice)
    {
        foreach (var table in new[] { "Tickets", "Customers", "Orders" })
        {
            using var count = connection.CreateCommand();
            count.CommandText = $"SELECT EXISTS (SELECT 1 FROM \"{table}\")"; // 0/1 on SQLite, a boolean on PostgreSQL
            if (Convert.ToBoolean(count.ExecuteScalar(), CultureInfo.InvariantCulture))
                throw new InvalidOperationException(
                    $"The database already holds {table.ToLowerInvariant()}; demo data goes only into an empty desk. {advice}");
        }
    }

    public static SlaPolicy SlaPolicy(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT \"Severity\", \"Level\", \"FirstResponseMinutes\", \"ResolutionMinutes\" FROM \"SlaTargets\" ORDER BY \"Id\"";
        using var reader = command.ExecuteReader();
        var targets = new List<SlaTarget>();
        while (reader.Read())
            targets.Add(new SlaTarget(Enum.Parse<Severity>(reader.GetString(0)), Enum.Parse<RelationshipLevel>(reader.GetString(1)),
                TimeSpan.FromMinutes(reader.GetInt32(2)), TimeSpan.FromMinutes(reader.GetInt32(3))));
        return new SlaPolicy(targets);
    }

    /// <summary>The active root causes in id order: the generator draws from them by position, so the order is part of "same seed, same data".</summary>
    public static IReadOnlyList<(int Id, int? ParentId, string Code)> RootCauses(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        // "IsActive" is an INTEGER 0/1 on SQLite and a boolean on PostgreSQL: both read it as a condition.
        command.CommandText = "SELECT \"Id\", \"ParentId\", \"Code\" FROM \"RootCauses\" WHERE \"IsActive\" ORDER BY \"Id\"";
        using var reader = command.ExecuteReader();
        var causes = new List<(int, int?, string)>();
        while (reader.Read())
            causes.Add((reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetInt32(1), reader.GetString(2)));
        return causes;
    }
}

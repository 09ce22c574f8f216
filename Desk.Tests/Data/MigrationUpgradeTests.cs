using Desk.Domain.Remedies;
using Desk.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Desk.Tests.Data;

/// <summary>Migrations that change columns keep the data of a desk that is already running.</summary>
public sealed class MigrationUpgradeTests : IDisposable
{
    private readonly TestDatabase _database = new(migrate: false);

    public void Dispose() => _database.Dispose();

    [Fact]
    public void RemedyKinds_TicketsWithEnumNames_KeepTheirRemediesAsIds()
    {
        using (var db = _database.NewContext())
            db.GetService<IMigrator>().Migrate("20261123031520_InitialCreate");
        using (var connection = _database.OpenConnection())
        {
            Execute(connection, """
                INSERT INTO Customers (Id, Email, Name, Language, Level, FirstSeenAt) VALUES (1, 'a@example.org', 'A', 'en', 'Basic', 0);
                """);
            InsertTicket(connection, 1, "'Replacement'", "'Refund'");
            InsertTicket(connection, 2, "'ApologyAndExplanation'", "NULL");
            InsertTicket(connection, 3, "NULL", "'NoAction'");
        }

        using (var db = _database.NewContext())
            db.Database.Migrate();

        using var check = _database.NewContext();
        var remedies = check.Tickets.OrderBy(t => t.Id).Select(t => new { t.RemedySoughtId, t.RemedyGivenId }).ToList();
        Assert.Equal(
            [(RemedyKinds.Replacement, RemedyKinds.Refund), (RemedyKinds.ApologyAndExplanation, (int?)null), ((int?)null, RemedyKinds.NoAction)],
            remedies.Select(r => (r.RemedySoughtId, r.RemedyGivenId)).ToList());
        Assert.Equal(RemedyKinds.Default.Select(k => k.Code), check.RemedyKinds.OrderBy(k => k.SortOrder).Select(k => k.Code));
    }

    private static void InsertTicket(System.Data.Common.DbConnection connection, long id, string sought, string given) => Execute(connection, $"""
        INSERT INTO Tickets (Id, Version, State, Kind, Channel, Severity, Impact, SafetyRisk, CustomerId, CustomerLevel, IsRepeatComplaint,
            Subject, Description, RemedySought, ReceivedAt, UpdatedAt, FirstResponseDueAt, ResolutionDueAt, RemedyGiven, ReopenCount)
        VALUES ({id}, 1, 'Resolved', 'Complaint', 'Email', 'Minor', 'Low', 0, 1, 'Basic', 0,
            'Subject', 'Body', {sought}, 0, 0, 0, 0, {given}, 0);
        """);

    private static void Execute(System.Data.Common.DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

using System.Net;
using System.Text.RegularExpressions;
using Desk.Domain.Customers;
using Desk.Domain.Remedies;
using Desk.Domain.Sla;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web.Data;
using Desk.Web.Features.Queue;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Data;

/// <summary>The queue's counters are kept by triggers: after any mix of writes they equal a fresh count.</summary>
public abstract class QueueCounterTests(DatabaseProvider provider) : IDisposable
{
    private static readonly DateTime Start = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);
    private readonly TestDatabase _database = new(provider);

    public void Dispose() => _database.Dispose();

    [StorageFact]
    public void Counters_AfterWorkflowStepsRawUpdatesAndDeletes_EqualAFreshCount()
    {
        using (var db = _database.NewContext())
        {
            var customer = new Customer("counted@example.com", "Counted", Start.AddYears(-1));
            db.Customers.Add(customer);
            db.SaveChanges();
            var tickets = Enumerable.Range(0, 12).Select(i => Ticket.Receive(
                new TicketIntake(TicketKind.Complaint, Channel.Email, Severity.Minor, $"T{i}", "Body"),
                customer, SlaPolicy.Default, RepeatComplaintPolicy.Default, null, Start.AddMinutes(i))).ToList();
            db.Tickets.AddRange(tickets);
            db.SaveChanges();
            Assert.Equal(12, Counter(db, "open"));
            Assert.Equal(12, Counter(db, "state:New"));

            var now = Start.AddHours(1);
            foreach (var t in tickets.Skip(2)) t.Acknowledge("desk", now);
            foreach (var t in tickets.Skip(4)) t.Assign("lead", now, t.Subject.EndsWith('5') ? "bob" : "alice");
            tickets[6].Assign("lead", now.AddMinutes(1), "bob"); // reassigned: alice loses one, bob gains one
            tickets[7].Resolve("alice", now, new Resolution(RemedyKinds.Refund, 5m, 11));
            tickets[1].Reject("alice", now, RejectionReason.Spam);
            tickets[9].Resolve("alice", now, new Resolution(RemedyKinds.Refund, 5m, 11));
            tickets[9].Reopen("alice", now.AddMinutes(2), "Customer still unhappy");
            db.SaveChanges();
        }
        using (var connection = _database.OpenConnection())
        {
            Execute(connection, "UPDATE \"Tickets\" SET \"AssignedTo\" = 'carol' WHERE \"Subject\" = 'T10'");
            Execute(connection, "DELETE FROM \"Tickets\" WHERE \"Subject\" = 'T11'");
        }

        using var check = _database.NewContext();
        var kept = Counters(check);
        Assert.Equal(3, kept["agent:alice"]); // T4, T8, T9 (reopened); T6 moved to bob, T7 resolved, T10 moved to carol, T11 deleted
        Assert.Equal(2, kept["agent:bob"]);
        Assert.Equal(1, kept["agent:carol"]);
        Assert.Equal(9, kept["open"]);
        using (var connection = _database.OpenConnection()) Execute(connection, QueueCounterKeys.Recount());
        Assert.Equal(Counters(check).Where(c => c.Value != 0), kept.Where(c => c.Value != 0));
    }

    [Fact]
    public void Label_TimeDrivenCountPastTheCap_ShowsTheCapWithPlus()
    {
        var counts = new QueueCountsSnapshot(new Dictionary<string, long> { ["overdue"] = QueueCounts.Cap + 1, ["open"] = 12_345, ["followups"] = 3 });
        var open = QueueViews.Find("open");
        Assert.Equal("999+", counts.Label(QueueViews.Find("overdue")));
        Assert.Equal("3", counts.Label(QueueViews.Find("followups")));
        Assert.Equal(12_345.ToString("N0", System.Globalization.CultureInfo.CurrentCulture), counts.Label(open));
    }

    private static long Counter(DeskDbContext db, string key) =>
        db.Set<QueueCounter>().AsNoTracking().Where(c => c.Key == key).Select(c => c.Count).SingleOrDefault();

    private static Dictionary<string, long> Counters(DeskDbContext db) =>
        db.Set<QueueCounter>().AsNoTracking().OrderBy(c => c.Key).ToDictionary(c => c.Key, c => c.Count);

    private static void Execute(System.Data.Common.DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

public sealed class QueueCounterTestsOnSqlite() : QueueCounterTests(DatabaseProvider.Sqlite);

public sealed class QueueCounterTestsOnPostgres() : QueueCounterTests(DatabaseProvider.Postgres), IRunsOnPostgres;

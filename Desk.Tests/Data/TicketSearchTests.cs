using Desk.Domain.Customers;
using Desk.Domain.Search;
using Desk.Domain.Sla;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Data;

/// <summary>The search index is kept by triggers: whatever writes a ticket, message or customer, a search finds what is there now.</summary>
public abstract class TicketSearchTests(DatabaseProvider provider) : IDisposable
{
    private static readonly DateTime Start = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);
    private readonly TestDatabase _database = new(provider);

    public void Dispose() => _database.Dispose();

    [StorageFact]
    public void Index_FollowsNewTicketsNotesRenamesEditsAndDeletes()
    {
        long kettle, toaster;
        using (var db = _database.NewContext())
        {
            var customer = new Customer("mei@example.com", "Mei Lin", Start.AddYears(-1), "zh");
            db.Customers.Add(customer);
            db.SaveChanges();
            var first = Receive(customer, "Kettle leaks", "水从底座漏出来了，我要求退款。");
            var second = Receive(customer, "Toaster burns bread", "Every slice comes out black.");
            db.Tickets.AddRange(first, second);
            db.SaveChanges();
            (kettle, toaster) = (first.Id, second.Id);

            Assert.Equal([kettle], Find(db, "kettle"));
            Assert.Equal([kettle], Find(db, "退款"));                 // two characters inside a Chinese sentence
            Assert.Equal([toaster, kettle], Find(db, "mei"));         // the customer's name is on every ticket
            Assert.Empty(Find(db, "退底"));                            // characters from the text, but not next to each other

            second.Acknowledge("desk", Start.AddMinutes(5));
            second.AddInternalNote("alice", Start.AddMinutes(6), "Supplier batch 7734X, same fault as last week.");
            db.SaveChanges();
            Assert.Equal([toaster], Find(db, "7734x"));
        }
        using (var connection = _database.OpenConnection())
        {
            // Written outside the application, as a hand fix would be: the triggers still keep the index.
            Execute(connection, "UPDATE \"Customers\" SET \"Name\" = 'Mei Chen' WHERE \"Email\" = 'mei@example.com'");
            Execute(connection, $"UPDATE \"Tickets\" SET \"Subject\" = 'Kettle base cracked' WHERE \"Id\" = {kettle}");
            Execute(connection, $"DELETE FROM \"Tickets\" WHERE \"Id\" = {toaster}");
        }

        using var check = _database.NewContext();
        Assert.Equal([kettle], Find(check, "chen"));
        Assert.Empty(Find(check, "lin"));
        Assert.Equal([kettle], Find(check, "cracked"));
        Assert.Empty(Find(check, "toaster"));
        Assert.Empty(Find(check, "7734x"));
    }

    [StorageFact]
    public void Search_FoldsCaseAndAccentsTakesPrefixesAndTreatsTypedSyntaxAsText()
    {
        using var db = _database.NewContext();
        var customer = new Customer("zoe@example.com", "Zoë Brontë", Start.AddYears(-1));
        db.Customers.Add(customer);
        db.SaveChanges();
        var cafe = Receive(customer, "Café machine broken", "The espresso parcel arrived crushed; order SO-00000011.");
        var other = Receive(customer, "Slow reply", "Nobody answered about the refund.");
        db.Tickets.AddRange(cafe, other);
        db.SaveChanges();

        Assert.Equal([cafe.Id], Find(db, "cafe"));               // accents folded in the text…
        Assert.Equal([cafe.Id], Find(db, "CAFÉ"));               // …and in the search, case aside
        Assert.Equal([other.Id, cafe.Id], Find(db, "zoe bronte")); // the customer's name on every ticket
        Assert.Equal([cafe.Id], Find(db, "parc*"));              // a prefix of three letters or more
        Assert.Empty(Find(db, "pa*"));                            // shorter: a whole word only
        Assert.Equal([cafe.Id], Find(db, "00000011"));           // digits inside an order number
        Assert.Equal([cafe.Id], Find(db, "\"espresso\" (parcel:")); // quotes, brackets, colons typed are no syntax
        Assert.Empty(Find(db, "espresso OR nothing"));            // OR is a word to find, not an operator
        Assert.Empty(Find(db, "espresso refund"));               // every word must occur
        Assert.Empty(Find(db, "*** :() <->"));                    // nothing searchable: nothing found, no error
    }

    /// <summary>
    /// A new ticket's row is written by the ticket's own insert, from its description (its first message's text), and the
    /// first message adds nothing to it; later messages are added. A ticket left without messages is found by its
    /// description, and an erasure that blanks the description takes its words out. A rebuild finds the same.
    /// </summary>
    [StorageFact]
    public void Index_FirstMessageLaterMessagesAndTicketWithoutMessages_FoundAsARebuildFindsThem()
    {
        using var db = _database.NewContext();
        var customer = new Customer("li@example.com", "Li Wei", Start.AddYears(-1));
        db.Customers.Add(customer);
        db.SaveChanges();
        var kettle = Receive(customer, "Kettle leaks", "The base cracked after a week.");
        var toaster = Receive(customer, "Toaster", "Every slice comes out blackened.");
        db.Tickets.AddRange(kettle, toaster);
        db.SaveChanges();
        kettle.Acknowledge("desk", Start.AddMinutes(1));
        kettle.AddInternalNote("alice", Start.AddMinutes(2), "Supplier batch 5521Q again.");
        db.SaveChanges();
        Assert.Equal([kettle.Id], Find(db, "cracked"));
        Assert.Equal([kettle.Id], Find(db, "5521q"));
        Assert.Equal([toaster.Id], Find(db, "blackened"));

        db.Database.OpenConnection();
        var connection = db.Database.GetDbConnection();
        Execute(connection, $"DELETE FROM \"ConversationEntries\" WHERE \"TicketId\" = {toaster.Id}");
        Assert.Equal([toaster.Id], Find(db, "blackened")); // no messages left: its description stands in
        Execute(connection, $"UPDATE \"Customers\" SET \"Name\" = 'Li Na' WHERE \"Id\" = {customer.Id}");
        Assert.Equal([toaster.Id, kettle.Id], Find(db, "na"));
        Assert.Equal([toaster.Id], Find(db, "blackened"));

        var queries = new[] { "cracked", "5521q", "blackened", "na", "wei", "toaster" };
        var before = queries.Select(q => Find(db, q)).ToList();
        db.Database.ExecuteSqlRaw(provider == DatabaseProvider.Sqlite
            ? Desk.Web.Data.Sqlite.TicketSearchSql.Rebuild()
            : Desk.Web.Data.Postgres.TicketSearchSql.Rebuild());
        Assert.Equal(before, queries.Select(q => Find(db, q)).ToList());

        Execute(connection, $"UPDATE \"Tickets\" SET \"Description\" = 'removed' WHERE \"Id\" = {toaster.Id}"); // as an erasure does
        Assert.Empty(Find(db, "blackened"));
        Assert.Equal([toaster.Id], Find(db, "removed"));
    }

    [StorageFact]
    public void Rebuild_IndexesWhatTheTriggersWould()
    {
        using var db = _database.NewContext();
        var customer = new Customer("ann@example.com", "Ann Example", Start.AddYears(-1));
        db.Customers.Add(customer);
        db.SaveChanges();
        db.Tickets.AddRange(Receive(customer, "Parcel lost", "Tracking stopped in Leipzig."), Receive(customer, "退货", "快递没有来取件。"));
        db.SaveChanges();
        var before = new[] { "parcel", "leipzig", "取件", "ann" }.Select(q => Find(db, q)).ToList();

        db.Database.OpenConnection();
        db.Database.ExecuteSqlRaw(provider == DatabaseProvider.Sqlite
            ? Desk.Web.Data.Sqlite.TicketSearchSql.Rebuild()
            : Desk.Web.Data.Postgres.TicketSearchSql.Rebuild());

        Assert.Equal(before, new[] { "parcel", "leipzig", "取件", "ann" }.Select(q => Find(db, q)).ToList());
        Assert.All(before, ids => Assert.NotEmpty(ids));
    }

    private static Ticket Receive(Customer customer, string subject, string body) => Ticket.Receive(
        new TicketIntake(TicketKind.Complaint, Channel.Email, Severity.Minor, subject, body),
        customer, SlaPolicy.Default, RepeatComplaintPolicy.Default, null, Start);

    private static List<long> Find(DeskDbContext db, string typed) =>
        [.. db.TicketSearch(typed).OrderByDescending(id => id)];

    private static void Execute(System.Data.Common.DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

public sealed class TicketSearchTestsOnSqlite() : TicketSearchTests(DatabaseProvider.Sqlite);

public sealed class TicketSearchTestsOnPostgres() : TicketSearchTests(DatabaseProvider.Postgres), IRunsOnPostgres;

/// <summary>SQLite's side of the index: the FTS5 query a search becomes, the text as FTS5 reads it, its connection function.</summary>
public sealed class SqliteTicketSearchTests : IDisposable
{
    private static readonly DateTime Start = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public void AConnectionWithoutTheFunction_IsToldWhatIsMissing_AndWritesNothing()
    {
        using (var db = _database.NewContext())
        {
            db.Customers.Add(new Customer("bo@example.com", "Bo", Start));
            db.SaveChanges();
        }
        using var bare = new SqliteConnection(_database.ConnectionString);
        bare.Open();

        var error = Assert.Throws<SqliteException>(() => Execute(bare, "UPDATE \"Customers\" SET \"Name\" = 'Bo Li'"));

        Assert.Contains(Desk.Web.Data.Sqlite.TicketSearchSql.Function, error.Message);
        using var check = _database.NewContext();
        Assert.Equal("Bo", check.Customers.Single().Name);
    }

    [Theory]
    [InlineData("kettle", "\"kettle\"")]
    [InlineData("Kettle  leaks!", "\"Kettle\" \"leaks\"")]
    [InlineData("kett*", "\"kett\"*")]
    [InlineData("ke*", "\"ke\"")]                                // too short to extend: a whole word
    [InlineData("\"kettle\" OR NEAR(x)", "\"kettle\" \"OR\" \"NEAR\" \"x\"")]
    [InlineData("我要退款", "\"我 要 退 款\"")]
    [InlineData("SO-00000011 退款", "\"SO\" \"00000011\" \"退 款\"")]
    [InlineData("kettle kettle", "\"kettle\"")]
    [InlineData("  *** ", null)]
    [InlineData("", null)]
    public void ToMatchQuery_TurnsTypedTextIntoAQueryWithoutSyntax(string typed, string? expected) =>
        Assert.Equal(expected, SearchText.ToMatchQuery(typed));

    [Theory]
    [InlineData("Kettle leaks", "Kettle leaks")]
    [InlineData("我要退款", " 我  要  退  款 ")]
    [InlineData("订单SO-1已发货", " 订  单 SO-1 已  发  货 ")]
    [InlineData("ハロー 한국", " ハ  ロ  ー   한  국 ")]
    public void ForIndex_SetsCjkCharactersApart(string text, string expected) =>
        Assert.Equal(expected, SearchText.ForIndex(text));

    private static void Execute(System.Data.Common.DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

/// <summary>PostgreSQL's side: what a typed search becomes as a <c>tsquery</c> (sent as a parameter, never as SQL).</summary>
public sealed class PostgresTicketSearchQueryTests
{
    [Theory]
    [InlineData("kettle", "'kettle'")]
    [InlineData("Kettle  leaks!", "'Kettle' & 'leaks'")]
    [InlineData("kett*", "'kett':*")]
    [InlineData("ke*", "'ke'")]
    [InlineData("it's", "'it' & 's'")]
    [InlineData("  *** ", null)]
    [InlineData("", null)]
    public void ToTsQuery_TurnsTypedTextIntoAQueryWithoutSyntax(string typed, string? expected) =>
        Assert.Equal(expected, Desk.Web.Data.Postgres.TicketSearchSql.ToTsQuery(typed));
}

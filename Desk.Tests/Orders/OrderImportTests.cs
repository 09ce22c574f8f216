using Desk.Web.Data;
using System.Text;
using Desk.Domain.Customers;
using Desk.Tests.Support;
using Desk.Web.Features.Orders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Desk.Tests.Orders;

/// <summary>The CSV import on a real SQLite file: all or nothing, idempotent on the reference, customers by e-mail.</summary>
public abstract class OrderImportTests(DatabaseProvider provider) : IDisposable
{
    private static readonly DateTime Now = new(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc);
    private readonly TestDatabase _database = new(provider);

    public void Dispose() => _database.Dispose();

    private const string Good = """
        email,external_ref,date,amount,product,category,name
        ann@example.org,S-1001,2026-03-14,129.90,Kettle,Kitchen,Ann Lee
        BOB@Example.org ,S-1002,2026-03-15T10:30:00+08:00,15,Mug,Kitchen,
        ann@example.org,S-1003,2026/4/2,"1299.00","Sofa, grey",Living,
        """;

    private async Task<(OrderImportResult Result, OrderCsv Csv)> ImportAsync(string text, OrderImportMode mode = OrderImportMode.Import)
    {
        await using var db = _database.NewContext();
        var import = new OrderImport(db, new FakeTimeProvider(new DateTimeOffset(Now)));
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        var csv = await OrderCsv.OpenAsync(stream);
        var result = await import.RunAsync(csv.LinesAsync(), mode);
        return (result, csv);
    }

    [StorageFact]
    public async Task Import_GoodFile_StoresEveryOrderAsParsed()
    {
        var (result, _) = await ImportAsync(Good);

        Assert.Equal((OrderImportOutcome.Imported, 3L, 3L, 0L, 2L), (result.Outcome, result.Lines, result.New, result.AlreadyImported, result.NewCustomers));
        await using var db = _database.NewContext();
        var orders = await db.Orders.OrderBy(o => o.ExternalRef).ToListAsync();
        Assert.Equal(["S-1001", "S-1002", "S-1003"], orders.Select(o => o.ExternalRef));
        Assert.Equal(new DateTime(2026, 3, 15, 2, 30, 0, DateTimeKind.Utc), orders[1].PlacedAt); // +08:00 taken to UTC
        Assert.Equal(new DateTime(2026, 4, 2, 0, 0, 0, DateTimeKind.Utc), orders[2].PlacedAt);
        Assert.Equal((1299.00m, "Sofa, grey"), (orders[2].Amount, orders[2].Product));
        var bob = await db.Customers.SingleAsync(c => c.Email == "bob@example.org"); // normalised as Customer.NormalizeEmail does
        Assert.Equal(bob.Id, orders[1].CustomerId);
    }

    [StorageFact]
    public async Task Import_BadRows_RefusesTheWholeFileWithEachRowsErrors()
    {
        var (result, csv) = await ImportAsync("""
            Customer Email;Order ID;Order Date;Total;Product
            ann@example.org;S-1;2026-03-14;129.90;Kettle
            not-an-address;S-2;2026-03-14;10;Mug
            cy@example.org;S-3;14/03/2026;12,50;Mug
            dee@example.org;;2027-01-01;-5;Mug
            """);

        Assert.Equal(OrderImportOutcome.Refused, result.Outcome);
        Assert.Equal(0L, result.Lines - 4); // every row was read, so every problem is listed at once
        var found = result.Errors.Select(e => (e.Position, e.Field is { } f ? csv.ColumnName(f) : null)).ToList();
        Assert.Equal([(3, "Customer Email"), (4, "Order Date"), (4, "Total"), (5, "Order ID"), (5, "Order Date"), (5, "Total")], found);
        Assert.Equal("\"12,50\" is not an amount Desk can read.", result.Errors[2].Problem.ToString());
        Assert.Contains("dot before the cents", result.Errors[2].Fix.ToString());
        Assert.Equal("The date 2027-01-01 is in the future.", result.Errors[4].Problem.ToString());
        await using var db = _database.NewContext();
        Assert.Equal(0, await db.Orders.CountAsync()); // the good first row too: all or nothing
        Assert.Equal(0, await db.Customers.CountAsync());
    }

    [StorageFact]
    public async Task Import_SameFileTwice_ImportsOnce()
    {
        var first = (await ImportAsync(Good)).Result;
        var second = (await ImportAsync(Good)).Result;

        Assert.Equal((3L, 0L), (first.New, first.AlreadyImported));
        Assert.Equal((OrderImportOutcome.Imported, 0L, 3L, 0L), (second.Outcome, second.New, second.AlreadyImported, second.NewCustomers));
        await using var db = _database.NewContext();
        Assert.Equal(3, await db.Orders.CountAsync());
    }

    [StorageFact]
    public async Task Import_KnownReferenceWithOtherData_IsReportedAndNothingChanges()
    {
        await ImportAsync(Good);
        var (result, csv) = await ImportAsync("""
            email,external_ref,date,amount
            ann@example.org,S-1001,2026-03-14,139.90
            new@example.org,S-2001,2026-05-01,10
            """);

        Assert.Equal(OrderImportOutcome.Refused, result.Outcome);
        var error = Assert.Single(result.Errors);
        Assert.Equal((2L, "amount"), (error.Position, csv.ColumnName(error.Field!.Value)));
        Assert.Equal("Order S-1001 was imported before with 129.90; this says 139.90.", error.Problem.ToString());
        await using var db = _database.NewContext();
        Assert.Equal(129.90m, (await db.Orders.SingleAsync(o => o.ExternalRef == "S-1001")).Amount);
        Assert.False(await db.Customers.AnyAsync(c => c.Email == "new@example.org"));
    }

    [StorageFact]
    public async Task Import_UnknownEmail_CreatesTheCustomerWithTheNameAndTheFirstOrdersDate()
    {
        await using (var db = _database.NewContext())
        {
            db.Customers.Add(new Customer("known@example.org", "Known Person", new DateTime(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc)));
            await db.SaveChangesAsync();
        }
        var (result, _) = await ImportAsync("""
            email,name,external_ref,date,amount
            fresh@example.org,Fresh Face,F-2,2026-02-10,20
            fresh@example.org,,F-1,2026-01-05,10
            nameless@example.org,,F-3,2026-03-01,30
            known@example.org,Another Name,F-4,2026-04-01,40
            """);

        Assert.Equal((OrderImportOutcome.Imported, 2L), (result.Outcome, result.NewCustomers));
        await using var check = _database.NewContext();
        var fresh = await check.Customers.SingleAsync(c => c.Email == "fresh@example.org");
        Assert.Equal(("Fresh Face", new DateTime(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc)), (fresh.Name, fresh.FirstSeenAt));
        Assert.Equal("nameless@example.org", (await check.Customers.SingleAsync(c => c.Email == "nameless@example.org")).Name);
        var known = await check.Customers.SingleAsync(c => c.Email == "known@example.org");
        // A known customer keeps their name; their tenure starts with the older order the import brought.
        Assert.Equal(("Known Person", new DateTime(2026, 4, 1, 0, 0, 0, DateTimeKind.Utc)), (known.Name, known.FirstSeenAt));
    }

    [StorageFact]
    public async Task Import_ReferenceRepeatedInTheFile_ImportsItOnceOrReportsTheDifference()
    {
        var same = (await ImportAsync("""
            email,external_ref,date,amount
            ann@example.org,R-1,2026-03-14,10
            ann@example.org,R-1,2026-03-14,10.00
            """)).Result;
        Assert.Equal((OrderImportOutcome.Imported, 1L, 1L), (same.Outcome, same.New, same.RepeatedInInput));

        var differs = (await ImportAsync("""
            email,external_ref,date,amount
            ann@example.org,R-2,2026-03-14,10
            bob@example.org,R-2,2026-03-14,10
            """)).Result;
        var error = Assert.Single(differs.Errors);
        Assert.Equal((3L, OrderField.Email), (error.Position, error.Field));
        Assert.Equal("Order R-2 comes earlier in this input with ann@example.org; this says bob@example.org.", error.Problem.ToString());
    }

    [StorageFact]
    public async Task Import_AcrossBatches_FindsRepeatsWrittenEarlierInTheSameRun()
    {
        var text = new StringBuilder("email,external_ref,date,amount\n");
        for (var i = 0; i < OrderImport.BatchSize + 10; i++) text.Append($"c{i % 50}@example.org,B-{i},2026-03-14,{i}.00\n");
        text.Append("c1@example.org,B-1,2026-03-14,1.00\n"); // the second batch repeats a line of the first

        var (result, _) = await ImportAsync(text.ToString());

        Assert.Equal((OrderImportOutcome.Imported, OrderImport.BatchSize + 10L, 1L, 0L), (result.Outcome, result.New, result.RepeatedInInput, result.AlreadyImported));
    }

    [StorageFact]
    public async Task DryRun_GoodFile_CountsLikeAnImportAndWritesNothing()
    {
        var (result, _) = await ImportAsync(Good, OrderImportMode.DryRun);

        Assert.Equal((OrderImportOutcome.WouldImport, 3L, 2L), (result.Outcome, result.New, result.NewCustomers));
        Assert.Equal(["S-1001", "S-1002", "S-1003"], result.Sample.Select(s => s.ExternalRef));
        await using var db = _database.NewContext();
        Assert.Equal(0, await db.Orders.CountAsync());
    }

    [StorageTheory]
    [InlineData("", "The file is empty.")]
    [InlineData("email,external_ref,date,amount\n", "The file has no orders below its header.")]
    [InlineData("email,reference,ref,date,amount\nann@example.org,A,B,2026-01-01,1\n", "Two columns mean the same: \"reference\" and \"ref\".")]
    [InlineData("mail,date,amount\nann@example.org,2026-01-01,1\n", "The header has no column for this.")]
    [InlineData("email,external_ref,date,amount\nann@example.org,A,2026-01-01,1,299.00\n", "This row has 5 values; the header has 4 columns.")]
    public async Task Import_WrongFile_IsRefusedWithWhatIsWrong(string text, string problem)
    {
        var (result, _) = await ImportAsync(text);

        Assert.Equal(OrderImportOutcome.Refused, result.Outcome);
        Assert.Equal(problem, result.Errors[0].Problem.ToString());
    }

    [StorageFact]
    public async Task Import_ChineseHeadersAndUtf8Bom_AreRead()
    {
        var (result, _) = await ImportAsync("\uFEFF邮箱,订单号,下单时间,金额,商品,分类,姓名\nwang@example.cn,CN-1,2026-03-14 10:00,88.00,茶壶,厨房,王芳\n");

        Assert.Equal((OrderImportOutcome.Imported, 1L), (result.Outcome, result.New));
        await using var db = _database.NewContext();
        Assert.Equal("王芳", (await db.Customers.SingleAsync()).Name);
    }
}

public sealed class OrderImportTestsOnSqlite() : OrderImportTests(DatabaseProvider.Sqlite);

public sealed class OrderImportTestsOnPostgres() : OrderImportTests(DatabaseProvider.Postgres), IRunsOnPostgres;

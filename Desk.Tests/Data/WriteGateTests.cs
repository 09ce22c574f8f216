using Desk.Domain.Customers;
using Desk.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Data;

/// <summary>Writers to one file take turns at the write gate; a transaction never keeps the gate after it ends.</summary>
public sealed class WriteGateTests : IDisposable
{
    private static readonly DateTime Now = new(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc);
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task SaveChanges_WhileAWriteTransactionIsOpen_WaitsForItsCommit()
    {
        await using var first = _database.NewContext();
        await using var second = _database.NewContext();
        var transaction = await first.BeginWriteAsync();
        first.Customers.Add(new Customer("first@example.org", "First", Now));
        await first.SaveChangesAsync();

        second.Customers.Add(new Customer("second@example.org", "Second", Now));
        var waiting = second.SaveChangesAsync();
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted, "the second writer should wait at the gate, not write beside the open transaction");

        var gate = Desk.Web.Data.Sqlite.SqliteWriteGate.For(_database.ConnectionString)!;
        Assert.Equal(0, gate.CurrentCount); // held by the open transaction, the second writer queued behind it

        await transaction.CommitAsync();
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        await transaction.DisposeAsync();
        Assert.Equal(1, gate.CurrentCount);
        Assert.Equal(2, await second.Customers.CountAsync());
    }

    [Fact]
    public async Task BeginWrite_DisposedWithoutCommit_RollsBackAndFreesTheGate()
    {
        await using (var abandoned = _database.NewContext())
        {
            await using var transaction = await abandoned.BeginWriteAsync();
            abandoned.Customers.Add(new Customer("abandoned@example.org", "Abandoned", Now));
            await abandoned.SaveChangesAsync();
        } // an exception would leave the same way: disposed, never committed

        await using var next = _database.NewContext();
        next.Customers.Add(new Customer("next@example.org", "Next", Now));
        await next.SaveChangesAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["next@example.org"], await next.Customers.Select(c => c.Email).ToListAsync());
    }

    [Fact]
    public async Task SaveChanges_Refused_FreesTheGate()
    {
        await using (var db = _database.NewContext())
        {
            db.Customers.Add(new Customer("twice@example.org", "Once", Now));
            await db.SaveChangesAsync();
        }
        await using (var db = _database.NewContext())
        {
            db.Customers.Add(new Customer("twice@example.org", "Twice", Now)); // unique address: the save fails
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }
        await using var after = _database.NewContext();
        after.Customers.Add(new Customer("after@example.org", "After", Now));
        await after.SaveChangesAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }
}

using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Desk.Web.Data;

/// <summary>
/// Tells something once a save that changed the rows it cares about is committed — after the save, or after the
/// transaction around it (never for a rolled-back one). Every way in saves through EF, so no writer has to remember
/// to tell; a change made past EF (a hand-written <c>UPDATE</c>) is not seen, which is why what listens keeps a backstop.
/// </summary>
public abstract class CommittedChangeSignal : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    /// <summary>Contexts whose saved changes wait for their transaction's commit.</summary>
    private readonly ConditionalWeakTable<DbContext, object> _pending = [];

    /// <summary>Whether this added, changed or deleted entry is one to tell about.</summary>
    protected abstract bool Concerns(EntityEntry entry);

    /// <summary>Called once per committed save that changed a concerned row; it must return quickly.</summary>
    protected abstract void Committed();

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private void Note(DbContext? context)
    {
        if (context is null) return;
        foreach (var entry in context.ChangeTracker.Entries())
            if (entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted && Concerns(entry))
            {
                _pending.AddOrUpdate(context, this);
                return;
            }
    }

    private void Saved(DbContext? context)
    {
        if (context is null || context.Database.CurrentTransaction is not null) return; // told at the commit
        Committed(context);
    }

    private void Committed(DbContext? context)
    {
        if (context is null || !_pending.Remove(context)) return;
        Committed();
    }

    private void Forget(DbContext? context)
    {
        if (context is not null) _pending.Remove(context);
    }
}

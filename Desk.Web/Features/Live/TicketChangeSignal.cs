using System.Data.Common;
using System.Runtime.CompilerServices;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Desk.Web.Features.Live;

/// <summary>
/// The one place every ticket change passes: a save of any context that adds or changes a <see cref="Ticket"/> raises
/// <see cref="DeskSignals.Tickets"/> once it is committed — after the save, or after the transaction around it. Every
/// way in (mail, web form, status page, steps, follow-ups, API) saves through EF, so none has to remember to tell the
/// live feed. Raises are gathered for a moment, so that a burst of saves (intake of a mailbox) is one signal.
/// </summary>
public sealed class TicketChangeSignal(DeskSignals signals) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(150);

    /// <summary>Contexts whose saved ticket changes wait for their transaction's commit.</summary>
    private readonly ConditionalWeakTable<DbContext, object> _pending = [];
    private int _raising;

    /// <summary>
    /// Called at once after each committed ticket change in this desk, before the gathered signal goes out: for what this
    /// desk keeps and must not show stale even for a moment (the bell's counts). It must return quickly.
    /// </summary>
    public event Action? CommittedHere;

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
        foreach (var entry in context.ChangeTracker.Entries<Ticket>())
            if (entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
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
        CommittedHere?.Invoke();
        Raise();
    }

    private void Forget(DbContext? context)
    {
        if (context is not null) _pending.Remove(context);
    }

    private void Raise()
    {
        if (Interlocked.Exchange(ref _raising, 1) == 1) return; // one is on its way and will carry this change too
        _ = Task.Run(async () =>
        {
            await Task.Delay(Gather);
            Volatile.Write(ref _raising, 0);
            signals.Raise(DeskSignals.Tickets);
        });
    }
}

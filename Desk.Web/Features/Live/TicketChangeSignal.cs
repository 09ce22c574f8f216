using Desk.Domain.Tickets;
using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Desk.Web.Features.Live;

/// <summary>
/// The one place every ticket change passes: a save of any context that adds or changes a <see cref="Ticket"/> raises
/// <see cref="DeskSignals.Tickets"/> once it is committed — after the save, or after the transaction around it. Every
/// way in (mail, web form, status page, steps, follow-ups, API) saves through EF, so none has to remember to tell the
/// live feed. Raises are gathered for a moment, so that a burst of saves (intake of a mailbox) is one signal.
/// </summary>
public sealed class TicketChangeSignal(DeskSignals signals) : CommittedChangeSignal
{
    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(150);

    private int _raising;

    /// <summary>
    /// Called at once after each committed ticket change in this desk, before the gathered signal goes out: for what this
    /// desk keeps and must not show stale even for a moment (the bell's counts). It must return quickly.
    /// </summary>
    public event Action? CommittedHere;

    protected override bool Concerns(EntityEntry entry) => entry.Entity is Ticket;

    protected override void Committed()
    {
        CommittedHere?.Invoke();
        Raise();
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

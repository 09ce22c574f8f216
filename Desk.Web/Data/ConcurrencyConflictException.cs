using Desk.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Data;

/// <summary>Someone else saved the same record first; the message says what to do about it.</summary>
public sealed class ConcurrencyConflictException(string message, Exception inner) : Exception(message, inner)
{
    public static ConcurrencyConflictException From(DbUpdateConcurrencyException e)
    {
        var ticket = e.Entries.Select(x => x.Entity).OfType<Ticket>().FirstOrDefault();
        var what = ticket is null ? "This record" : $"Ticket {ticket.Number}";
        return new ConcurrencyConflictException(
            $"{what} was changed by someone else while you were working on it. Nothing of yours was saved: reload it, check what changed, and try again.",
            e);
    }
}

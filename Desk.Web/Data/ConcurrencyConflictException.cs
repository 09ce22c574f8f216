using Desk.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Data;

/// <summary>A save lost to someone else's change (the version moved on): nothing was saved; the message says what to do.</summary>
public sealed class ConcurrencyConflictException(string template, string? ticketNumber, Exception inner)
    : Exception(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, ticketNumber), inner)
{
    public const string TicketTemplate = "Ticket {0} was changed by someone else while you were working on it. Nothing of yours was saved: reload it, check what changed, and try again.";
    public const string RecordTemplate = "This record was changed by someone else while you were working on it. Nothing of yours was saved: reload it, check what changed, and try again.";

    public string Template { get; } = template;
    public string? TicketNumber { get; } = ticketNumber;

    public static ConcurrencyConflictException From(DbUpdateConcurrencyException e)
    {
        var ticket = e.Entries.Select(x => x.Entity).OfType<Ticket>().FirstOrDefault();
        return ticket is null ? new(RecordTemplate, null, e) : new(TicketTemplate, ticket.Number, e);
    }
}

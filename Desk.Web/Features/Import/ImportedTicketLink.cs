namespace Desk.Web.Features.Import;

/// <summary>
/// A ticket brought over from another desk: (source, external id) is unique, so importing the same export again, or two
/// desks importing it at once, stores each ticket once.
/// </summary>
public sealed class ImportedTicketLink
{
    private ImportedTicketLink() { } // for EF Core

    public ImportedTicketLink(string source, string externalId, long ticketId, DateTime importedAt)
    {
        Source = source;
        ExternalId = externalId;
        TicketId = ticketId;
        ImportedAt = importedAt;
    }

    public long Id { get; private set; }
    /// <summary>The peer's key, e.g. "osticket".</summary>
    public string Source { get; private set; } = "";
    /// <summary>The peer's own id of the ticket.</summary>
    public string ExternalId { get; private set; } = "";
    public long TicketId { get; private set; }
    /// <summary>When Desk imported it (the ticket keeps the peer's own times).</summary>
    public DateTime ImportedAt { get; private set; }
}

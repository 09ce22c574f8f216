using Desk.Domain.Tickets;
using Desk.Web.Features.Orders;

namespace Desk.Web.Features.Import;

/// <summary>
/// Reads one other desk's export file into <see cref="PeerExport"/>: the tickets in Desk's terms, and what it could not
/// carry over. One per peer; the import itself (<see cref="HistoryImport"/>) is the same for all.
/// </summary>
public interface IPeerExportReader
{
    /// <summary>The peer's key on the command line and the page: "osticket", "zammad", "freescout", "zendesk".</summary>
    string Key { get; }

    /// <summary>The peer's name as people know it, e.g. "osTicket".</summary>
    string Name { get; }

    /// <summary>Reads the whole file; throws <see cref="PeerExportException"/> when it is not this peer's export.</summary>
    Task<PeerExport> ReadAsync(Stream file, CancellationToken ct);
}

/// <summary>The file is not an export Desk can read (not JSON, or not the peer's shape), in words for the person importing.</summary>
public sealed class PeerExportException(string message) : Exception(message);

/// <summary>What a reader found: the tickets, and what it could not map (each in words, naming the peer's item).</summary>
public sealed record PeerExport(IReadOnlyList<PeerTicket> Tickets, IReadOnlyList<UnmappedItem> Unmapped);

/// <summary>Something of the peer's that Desk could not carry over as it was: which item (data, e.g. "Zendesk #12"), and what happened (words to translate).</summary>
public sealed record UnmappedItem(string Item, ImportText Problem)
{
    /// <summary>As the command prints it: states by the names the pages show ("In progress").</summary>
    public override string ToString() =>
        $"{Item}: {Problem with { Arguments = [.. Problem.Arguments.Select(a => a is TicketState s ? Shared.Badges.StateLabel(s) : a)] }}";
}

/// <summary>One ticket of the peer, mapped: its customer, its Desk state, its messages and files.</summary>
/// <param name="ExternalId">The peer's own id, unique there: the key that keeps a second import from adding it again.</param>
public sealed record PeerTicket(string ExternalId, PeerCustomer Customer, ImportedTicket Ticket, IReadOnlyList<PeerFile> Files);

/// <summary>The customer by address (merged with a customer Desk already has under it); null address: the peer had none.</summary>
public sealed record PeerCustomer(string? Email, string? Name);

/// <summary>A file of one message (the index into <see cref="ImportedTicket.Messages"/>), with its bytes.</summary>
public sealed record PeerFile(int MessageIndex, string FileName, string? ContentType, byte[] Content);

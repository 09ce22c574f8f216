using System.Diagnostics;
using Desk.Domain;
using Desk.Domain.Customers;
using Desk.Domain.Sla;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Features.Attachments;
using Desk.Web.Features.Orders;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Import;

/// <summary>Where an import stands, after each ticket.</summary>
public sealed record HistoryImportProgress(int Done, int Total, int Imported, int AlreadyImported, TimeSpan Elapsed);

/// <summary>What an import did, and what it could not carry over.</summary>
public sealed record HistoryImportResult(
    string Peer, int Tickets, int Imported, int AlreadyImported, int NewCustomers, int Messages, int Attachments,
    IReadOnlyList<UnmappedItem> Unmapped, TimeSpan Elapsed);

/// <summary>
/// "Bring over another desk's history": each ticket a reader found is stored through <see cref="Ticket.Import"/> with its
/// customer (found by address, or created), its messages and files, in a write transaction of its own, together with
/// its (peer, external id) claim in <see cref="ImportedTicketLink"/>. A ticket already claimed is skipped, so a second
/// import of the same file changes nothing, and two desks importing it at once store it once. Nothing is acknowledged,
/// mailed or counted as a new arrival: the tickets keep the peer's times.
/// </summary>
public sealed class HistoryImport(DeskDbContext db, SlaPolicy sla, TimeProvider clock)
{
    public async Task<HistoryImportResult> RunAsync(IPeerExportReader reader, PeerExport export, IProgress<HistoryImportProgress>? progress, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var unmapped = export.Unmapped.ToList();
        int imported = 0, already = 0, newCustomers = 0, messages = 0, attachments = 0, done = 0;
        foreach (var peerTicket in export.Tickets)
        {
            ct.ThrowIfCancellationRequested();
            var item = $"{reader.Name} #{peerTicket.Ticket.Reference}";
            try
            {
                var outcome = await ImportOneAsync(reader.Key, peerTicket, item, unmapped, ct);
                if (outcome is null) already++;
                else
                {
                    imported++;
                    newCustomers += outcome.Value.NewCustomer ? 1 : 0;
                    messages += peerTicket.Ticket.Messages.Count;
                    attachments += outcome.Value.Files;
                }
            }
            catch (DomainException e)
            {
                unmapped.Add(new(item, new ImportText("Not imported: {0}", e.Message)));
            }
            finally
            {
                db.ChangeTracker.Clear(); // one ticket at a time in memory, however long the history
            }
            progress?.Report(new(++done, export.Tickets.Count, imported, already, watch.Elapsed));
        }
        return new HistoryImportResult(reader.Name, export.Tickets.Count, imported, already, newCustomers, messages, attachments, unmapped, watch.Elapsed);
    }

    /// <summary>Stores one ticket, or returns null when it was imported before (by this desk or another at the same moment).</summary>
    private async Task<(bool NewCustomer, int Files)?> ImportOneAsync(string source, PeerTicket peer, string item, List<UnmappedItem> unmapped, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await db.ImportedTickets.AnyAsync(l => l.Source == source && l.ExternalId == peer.ExternalId, ct)) return null;
            var notes = new List<UnmappedItem>();
            try
            {
                await using var transaction = await db.BeginWriteAsync(ct);
                var (customer, isNew) = await CustomerAsync(peer, item, notes, ct);
                var ticket = Ticket.Import(peer.Ticket, customer, sla);
                db.Tickets.Add(ticket);
                await db.SaveChangesAsync(ct);
                var files = 0;
                foreach (var file in peer.Files)
                {
                    var entry = ticket.Conversation[file.MessageIndex];
                    var name = AttachmentRules.SafeName(file.FileName);
                    if (file.Content.Length > AttachmentRules.MaxBytes)
                    {
                        notes.Add(new(item, new ImportText("The file \"{0}\" is larger than {1} MB: not imported.", name, AttachmentRules.MaxBytes / 1024 / 1024)));
                        continue;
                    }
                    // Kept whatever its type: a file Desk would not take from a customer is stored as a plain download.
                    var type = AttachmentRules.Check(name, file.Content).Type ?? "application/octet-stream";
                    db.Attachments.Add(new Attachment(ticket.Id, entry.Id, name, type, file.Content, entry.At));
                    files++;
                }
                db.ImportedTickets.Add(new ImportedTicketLink(source, peer.ExternalId, ticket.Id, clock.GetUtcNow().UtcDateTime));
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                unmapped.AddRange(notes);
                return (isNew, files);
            }
            catch (DbUpdateException e) when (attempt < 3 && db.Provider.IsConflict(e))
            {
                db.ChangeTracker.Clear(); // another desk claimed the ticket or created the customer: look again
            }
        }
    }

    private async Task<(Customer Customer, bool IsNew)> CustomerAsync(PeerTicket peer, string item, List<UnmappedItem> notes, CancellationToken ct)
    {
        var receivedAt = peer.Ticket.ReceivedAt;
        string? address = null;
        try
        {
            if (!string.IsNullOrWhiteSpace(peer.Customer.Email)) address = Customer.NormalizeEmail(peer.Customer.Email);
        }
        catch (DomainException)
        {
            notes.Add(new(item, new ImportText("\"{0}\" is not an e-mail address: the customer was imported without one.", peer.Customer.Email!)));
        }
        if (address is not null && await db.Customers.SingleOrDefaultAsync(c => c.Email == address, ct) is { } known)
        {
            known.SeenAt(receivedAt); // their tenure starts with their first ticket there, if that is earlier
            return (known, false);
        }
        Customer created;
        if (address is not null) created = new Customer(address, peer.Customer.Name, receivedAt);
        else
        {
            if (string.IsNullOrWhiteSpace(peer.Customer.Email))
                notes.Add(new(item, new ImportText("The customer has no e-mail address: imported without one (never mailed).")));
            created = Customer.WithoutAddress(peer.Customer.Name ?? "Customer of " + item, null, receivedAt);
        }
        db.Customers.Add(created);
        await db.SaveChangesAsync(ct);
        return (created, true);
    }
}

using System.Text.Json;
using Desk.Domain.Tickets;
using Desk.Web.Features.Orders;

namespace Desk.Web.Features.Import;

/// <summary>
/// Zammad: its REST API's JSON in one file, <c>{"users": …, "tickets": …, "articles": …}</c>: the lists
/// <c>GET /api/v1/users</c> and <c>GET /api/v1/tickets?expand=true</c> answer (expanded: "state" and "owner" by name),
/// and every ticket's <c>GET /api/v1/ticket_articles/by_ticket/{id}</c>. An attachment's bytes are read from a "data"
/// property (base64, as Zammad's own article API takes them) that the exporting script adds from
/// <c>GET /api/v1/ticket_attachment/{ticket}/{article}/{id}</c>.
/// </summary>
public sealed class ZammadReader : IPeerExportReader
{
    public string Key => "zammad";
    public string Name => "Zammad";

    public async Task<PeerExport> ReadAsync(Stream file, CancellationToken ct)
    {
        using var document = await PeerJson.ParseAsync(file, Name, ct);
        var root = document.RootElement;
        if (root.Child("tickets") is not { ValueKind: JsonValueKind.Array })
            throw new PeerExportException("This is not a Zammad export Desk can read: it has no \"tickets\" list (see README, Importing).");
        var users = root.Items("users").Where(u => u.Text("id") is not null).GroupBy(u => u.Text("id")!).ToDictionary(g => g.Key, g => g.Last());
        var articles = root.Items("articles").Where(a => a.Text("ticket_id") is not null).ToLookup(a => a.Text("ticket_id")!);
        var unmapped = new List<UnmappedItem>();
        var tickets = new List<PeerTicket>();
        foreach (var t in root.Items("tickets").Where(t => t.Text("id") is not null))
        {
            var id = t.Text("id")!;
            var number = t.Text("number") ?? id;
            var item = $"Zammad #{number}";
            var stateName = t.Text("state") ?? "";
            TicketState? state = stateName.ToLowerInvariant() switch
            {
                "new" or "open" => TicketState.InProgress,
                "pending reminder" => TicketState.AwaitingCustomer,
                "pending close" => TicketState.Resolved,
                "closed" => TicketState.Closed,
                _ => null,
            };
            if (stateName.ToLowerInvariant() is "merged" or "removed")
            {
                unmapped.Add(new(item, new ImportText("The state '{0}' has no counterpart in Desk (its messages live on in another ticket, or it was removed): not imported.", stateName)));
                continue;
            }
            if (state is null)
            {
                unmapped.Add(new(item, new ImportText("The state '{0}' has no counterpart in Desk: imported as {1}.", stateName, TicketState.InProgress)));
                state = TicketState.InProgress;
            }
            var customerUser = t.Text("customer_id") is { } cid && users.TryGetValue(cid, out var cu) ? cu : (JsonElement?)null;
            var customer = new PeerCustomer(customerUser?.Text("email") ?? t.Text("customer"),
                PeerJson.Join(customerUser?.Text("firstname"), customerUser?.Text("lastname")));
            var created = t.Time("created_at") ?? DateTime.UnixEpoch;
            var conversation = new ConversationBuilder(item, unmapped);
            foreach (var a in articles[id])
            {
                var sender = a.Text("sender") ?? "";
                var internalNote = a.Flag("internal");
                var kind = sender.Equals("Customer", StringComparison.OrdinalIgnoreCase) && !internalNote ? ConversationEntryKind.Inbound
                    : internalNote || sender.Equals("System", StringComparison.OrdinalIgnoreCase) || a.Text("type") == "note" ? ConversationEntryKind.InternalNote
                    : ConversationEntryKind.Outbound;
                var (fromName, fromEmail) = PeerJson.Address(a.Text("from"));
                var author = kind == ConversationEntryKind.Inbound ? fromEmail ?? customer.Email ?? "" : fromName ?? fromEmail ?? "Zammad";
                var html = (a.Text("content_type") ?? "").Contains("html", StringComparison.OrdinalIgnoreCase);
                conversation.Add(kind, author, a.Time("created_at") ?? created, PeerJson.PlainText(a.Text("body"), html));
                foreach (var f in a.Items("attachments"))
                    conversation.File(f.Text("filename"), f.Child("preferences")?.Text("Content-Type") ?? f.Text("mime_type"), PeerJson.Bytes(f.Text("data")));
            }
            var (messages, files) = conversation.Build();
            var owner = t.Text("owner") is { } login && login != "-" ? login
                : t.Text("owner_id") is { } oid && oid != "1" && users.TryGetValue(oid, out var o) ? PeerJson.Join(o.Text("firstname"), o.Text("lastname")) : null;
            var channel = t.Text("create_article_type") switch
            {
                "web" => Channel.Web,
                "phone" => Channel.Phone,
                _ => Channel.Email,
            };
            var updated = t.Time("updated_at") ?? created;
            tickets.Add(new PeerTicket(id, customer, new ImportedTicket(Name, number, t.Text("title") ?? "", stateName, state.Value, channel,
                created, updated, null, t.Time("close_at"), owner, messages), files));
        }
        return new PeerExport(tickets, unmapped);
    }
}

using System.Text.Json;
using Desk.Domain.Tickets;
using Desk.Web.Features.Orders;

namespace Desk.Web.Features.Import;

/// <summary>
/// FreeScout: its API module's <c>GET /api/conversations?embed=threads</c> (HAL: "_embedded" → "conversations", each with
/// "_embedded" → "threads" and their "attachments"); several pages may be given as a JSON array of such responses. An
/// attachment's bytes are read from a "data" property (base64, as FreeScout's API takes them when creating a thread) that
/// the exporting script adds from the attachment's fileUrl.
/// </summary>
public sealed class FreeScoutReader : IPeerExportReader
{
    public string Key => "freescout";
    public string Name => "FreeScout";

    public async Task<PeerExport> ReadAsync(Stream file, CancellationToken ct)
    {
        using var document = await PeerJson.ParseAsync(file, Name, ct);
        var pages = document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement.EnumerateArray().ToList() : [document.RootElement];
        if (pages.Any(p => p.Child("_embedded")?.Child("conversations") is not { ValueKind: JsonValueKind.Array }))
            throw new PeerExportException("This is not a FreeScout export Desk can read: it has no \"_embedded\" → \"conversations\" list (see README, Importing).");
        var unmapped = new List<UnmappedItem>();
        var tickets = new List<PeerTicket>();
        foreach (var c in pages.SelectMany(p => p.Child("_embedded")!.Value.Items("conversations")).Where(c => c.Text("id") is not null))
        {
            var id = c.Text("id")!;
            var number = c.Text("number") ?? id;
            var item = $"FreeScout #{number}";
            if (c.Text("state") is { } published && !published.Equals("published", StringComparison.OrdinalIgnoreCase))
            {
                unmapped.Add(new(item, new ImportText("A conversation that is {0} in FreeScout (not published): not imported.", published)));
                continue;
            }
            var status = c.Text("status") ?? "";
            TicketState? state = status.ToLowerInvariant() switch
            {
                "active" or "open" => TicketState.InProgress,
                "pending" => TicketState.AwaitingCustomer,
                "closed" => TicketState.Closed,
                "spam" => TicketState.Rejected,
                _ => null,
            };
            if (state is null)
            {
                unmapped.Add(new(item, new ImportText("The state '{0}' has no counterpart in Desk: imported as {1}.", status, TicketState.InProgress)));
                state = TicketState.InProgress;
            }
            var person = c.Child("customer");
            var customer = new PeerCustomer(person?.Text("email"), PeerJson.Join(person?.Text("firstName"), person?.Text("lastName")));
            var created = c.Time("createdAt") ?? DateTime.UnixEpoch;
            var conversation = new ConversationBuilder(item, unmapped);
            foreach (var t in c.Child("_embedded")?.Items("threads") ?? [])
            {
                var type = (t.Text("type") ?? "").ToLowerInvariant();
                if (type == "lineitem") continue; // FreeScout's own record of a status change or assignment: no message
                var by = t.Child("createdBy");
                var kind = type switch
                {
                    "customer" => ConversationEntryKind.Inbound,
                    "note" => ConversationEntryKind.InternalNote,
                    "message" or "phone" or "chat" => by?.Text("type") == "customer" ? ConversationEntryKind.Inbound : ConversationEntryKind.Outbound,
                    _ => (ConversationEntryKind?)null,
                };
                if (kind is null)
                {
                    unmapped.Add(new(item, new ImportText("A thread of type {0} has no counterpart in Desk: not imported.", type)));
                    continue;
                }
                var author = kind == ConversationEntryKind.Inbound ? by?.Text("email") ?? customer.Email ?? ""
                    : PeerJson.Join(by?.Text("firstName"), by?.Text("lastName")) ?? by?.Text("email") ?? "FreeScout";
                conversation.Add(kind.Value, author, t.Time("createdAt") ?? created, PeerJson.PlainText(t.Text("body"), html: true));
                foreach (var f in t.Child("_embedded")?.Items("attachments") ?? [])
                    conversation.File(f.Text("fileName"), f.Text("mimeType"), PeerJson.Bytes(f.Text("data")));
            }
            var (messages, files) = conversation.Build();
            var assignee = c.Child("assignee") is { } who ? PeerJson.Join(who.Text("firstName"), who.Text("lastName")) ?? who.Text("email") : null;
            var channel = c.Text("type") switch
            {
                "phone" => Channel.Phone,
                "chat" => Channel.Web,
                _ => Channel.Email,
            };
            tickets.Add(new PeerTicket(id, customer, new ImportedTicket(Name, number, c.Text("subject") ?? "", status, state.Value, channel,
                created, c.Time("updatedAt") ?? created, null, c.Time("closedAt"), assignee, messages), files));
        }
        return new PeerExport(tickets, unmapped);
    }
}

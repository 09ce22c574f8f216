using System.Text.Json;
using Desk.Domain.Tickets;
using Desk.Web.Features.Orders;

namespace Desk.Web.Features.Import;

/// <summary>
/// Zendesk: the Incremental Ticket Export (<c>GET /api/v2/incremental/tickets/cursor.json?include=users</c>: "tickets" and
/// the sideloaded "users"), each ticket with its "comments" as <c>GET /api/v2/tickets/{id}/comments.json</c> lists them.
/// Several pages may be given as a JSON array of such responses. An attachment's bytes are read from a "data" property
/// (base64) the exporting script adds; Zendesk itself only gives a content_url.
/// </summary>
public sealed class ZendeskReader : IPeerExportReader
{
    public string Key => "zendesk";
    public string Name => "Zendesk";

    public async Task<PeerExport> ReadAsync(Stream file, CancellationToken ct)
    {
        using var document = await PeerJson.ParseAsync(file, Name, ct);
        var pages = document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement.EnumerateArray().ToList() : [document.RootElement];
        if (pages.Any(p => p.Child("tickets") is not { ValueKind: JsonValueKind.Array }))
            throw new PeerExportException("This is not a Zendesk export Desk can read: it has no \"tickets\" list (see README, Importing).");
        var users = pages.SelectMany(p => p.Items("users")).Where(u => u.Text("id") is not null)
            .GroupBy(u => u.Text("id")!).ToDictionary(g => g.Key, g => g.Last());
        var unmapped = new List<UnmappedItem>();
        var tickets = new List<PeerTicket>();
        foreach (var t in pages.SelectMany(p => p.Items("tickets")).GroupBy(t => t.Text("id") ?? "").Where(g => g.Key != "").Select(g => g.Last()))
        {
            var id = t.Text("id")!;
            var item = $"Zendesk #{id}";
            var status = t.Text("status") ?? "";
            TicketState? state = status.ToLowerInvariant() switch
            {
                "new" or "open" or "hold" => TicketState.InProgress,
                "pending" => TicketState.AwaitingCustomer,
                "solved" => TicketState.Resolved,
                "closed" => TicketState.Closed,
                _ => null,
            };
            if (status.Equals("deleted", StringComparison.OrdinalIgnoreCase))
            {
                unmapped.Add(new(item, new ImportText("Deleted in Zendesk: not imported.")));
                continue;
            }
            if (state is null)
            {
                unmapped.Add(new(item, new ImportText("The state '{0}' has no counterpart in Desk: imported as {1}.", status, TicketState.InProgress)));
                state = TicketState.InProgress;
            }
            var requesterId = t.Text("requester_id");
            var requester = requesterId is not null && users.TryGetValue(requesterId, out var r) ? r : (JsonElement?)null;
            var customer = new PeerCustomer(requester?.Text("email"), requester?.Text("name"));
            var created = t.Time("created_at") ?? DateTime.UnixEpoch;
            var conversation = new ConversationBuilder(item, unmapped);
            foreach (var c in t.Items("comments"))
            {
                var type = c.Text("type") ?? "Comment";
                if (!type.Equals("Comment", StringComparison.OrdinalIgnoreCase))
                {
                    unmapped.Add(new(item, new ImportText("A comment of type {0} (e.g. a call recording) has no counterpart in Desk: not imported.", type)));
                    continue;
                }
                var authorId = c.Text("author_id");
                var author = authorId is not null && users.TryGetValue(authorId, out var a) ? a : (JsonElement?)null;
                var fromCustomer = authorId == requesterId || author?.Text("role") == "end-user";
                var kind = fromCustomer ? ConversationEntryKind.Inbound : c.Child("public") is { ValueKind: JsonValueKind.False } ? ConversationEntryKind.InternalNote : ConversationEntryKind.Outbound;
                var body = (c.Text("plain_body") ?? c.Text("body")) is { } text
                    ? PeerJson.PlainText(text, html: false)
                    : PeerJson.PlainText(c.Text("html_body"), html: true);
                var who = fromCustomer ? author?.Text("email") ?? customer.Email ?? "" : author?.Text("name") ?? "Zendesk";
                conversation.Add(kind, who, c.Time("created_at") ?? created, body);
                foreach (var f in c.Items("attachments"))
                    conversation.File(f.Text("file_name"), f.Text("content_type"), PeerJson.Bytes(f.Text("data")));
            }
            if (conversation.Count == 0 && t.Text("description") is { } description)
                conversation.Add(ConversationEntryKind.Inbound, customer.Email ?? "", created, description);
            var (messages, files) = conversation.Build();
            var updated = t.Time("updated_at") ?? created;
            var assigneeId = t.Text("assignee_id");
            var assignee = assigneeId is not null && users.TryGetValue(assigneeId, out var who2) ? who2.Text("name") : null;
            var channel = (t.Child("via") is { } via ? via.Text("channel") : null) switch
            {
                "web" => Channel.Web,
                "voice" => Channel.Phone,
                "api" => Channel.Api,
                _ => Channel.Email,
            };
            tickets.Add(new PeerTicket(id, customer, new ImportedTicket(Name, id, t.Text("subject") ?? t.Text("raw_subject") ?? "", status, state.Value,
                channel, created, updated, null, null, assignee, messages), files));
        }
        return new PeerExport(tickets, unmapped);
    }
}

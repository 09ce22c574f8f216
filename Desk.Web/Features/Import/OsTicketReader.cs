using System.Text;
using System.Text.Json;
using Desk.Domain.Tickets;
using Desk.Web.Features.Orders;

namespace Desk.Web.Features.Import;

/// <summary>
/// osTicket: its database as phpMyAdmin's JSON export writes it (Export → Format "JSON", with "Dump binary columns in
/// hexadecimal notation"): a list of <c>{"type": "table", "name": "ost_ticket", "data": [rows]}</c>. osTicket's own
/// ticket export (a CSV of the queue) has no conversation, and its API only creates tickets, so the tables are the one
/// complete source. Read: ticket, ticket__cdata, ticket_status, user, user_email, staff, thread, thread_entry,
/// attachment, file and file_chunk, with any table prefix. Times are taken as UTC.
/// </summary>
public sealed class OsTicketReader : IPeerExportReader
{
    public string Key => "osticket";
    public string Name => "osTicket";

    public async Task<PeerExport> ReadAsync(Stream file, CancellationToken ct)
    {
        using var document = await PeerJson.ParseAsync(file, Name, ct);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
            throw new PeerExportException("This is not an osTicket export Desk can read: expected phpMyAdmin's JSON export of the osTicket database (see README, Importing).");
        var tables = document.RootElement.EnumerateArray()
            .Where(e => e.Text("type") == "table" && e.Text("name") is not null)
            .ToDictionary(e => e.Text("name")!, e => e.Items("data").ToList());
        var prefix = tables.Keys.FirstOrDefault(n => n.EndsWith("thread_entry", StringComparison.Ordinal)) is { } entries
            ? entries[..^"thread_entry".Length] : null;
        if (prefix is null || !tables.ContainsKey(prefix + "ticket"))
            throw new PeerExportException("This is not an osTicket export Desk can read: the tables ticket and thread_entry are missing (see README, Importing).");
        List<JsonElement> Table(string name) => tables.TryGetValue(prefix + name, out var rows) ? rows : [];
        Dictionary<string, JsonElement> ById(string name, string key = "id") =>
            Table(name).Where(r => r.Text(key) is not null).GroupBy(r => r.Text(key)!).ToDictionary(g => g.Key, g => g.Last());

        var subjects = ById("ticket__cdata", "ticket_id");
        var statuses = ById("ticket_status");
        var users = ById("user");
        var emails = ById("user_email");
        var staff = ById("staff", "staff_id");
        var threads = Table("thread").Where(t => (t.Text("object_type") ?? "T") == "T" && t.Text("object_id") is not null)
            .GroupBy(t => t.Text("object_id")!).ToDictionary(g => g.Key, g => g.Last().Text("id"));
        var threadEntries = Table("thread_entry").ToLookup(e => e.Text("thread_id") ?? "");
        var attachments = Table("attachment").Where(a => (a.Text("type") ?? "H") == "H").ToLookup(a => a.Text("object_id") ?? "");
        var files = ById("file");
        var chunks = Table("file_chunk").OrderBy(c => int.TryParse(c.Text("chunk_id"), out var n) ? n : 0).ToLookup(c => c.Text("file_id") ?? "");

        string? EmailOf(string? userId) =>
            userId is not null && users.TryGetValue(userId, out var u) && u.Text("default_email_id") is { } eid && emails.TryGetValue(eid, out var e)
                ? e.Text("address")
                : emails.Values.FirstOrDefault(e => e.Text("user_id") == userId).Text("address");
        string? StaffName(string? staffId) =>
            staffId is not null && staff.TryGetValue(staffId, out var s) ? PeerJson.Join(s.Text("firstname"), s.Text("lastname")) ?? s.Text("username") : null;

        var unmapped = new List<UnmappedItem>();
        var tickets = new List<PeerTicket>();
        foreach (var t in Table("ticket").Where(t => t.Text("ticket_id") is not null))
        {
            var id = t.Text("ticket_id")!;
            var number = t.Text("number") ?? id;
            var item = $"osTicket #{number}";
            var status = t.Text("status_id") is { } sid && statuses.TryGetValue(sid, out var s) ? s : (JsonElement?)null;
            var statusName = status?.Text("name") ?? "Open";
            var statusState = (status?.Text("state") ?? "open").ToLowerInvariant();
            TicketState? state = statusState switch
            {
                "open" when IsWaiting(statusName) => TicketState.AwaitingCustomer,
                "open" => TicketState.InProgress,
                "closed" when statusName.Contains("resolved", StringComparison.OrdinalIgnoreCase) => TicketState.Resolved,
                "closed" or "archived" => TicketState.Closed,
                _ => null,
            };
            if (state is null)
            {
                unmapped.Add(new(item, new ImportText("The status '{0}' ({1}) has no counterpart in Desk: not imported.", statusName, statusState)));
                continue;
            }
            var userId = t.Text("user_id");
            var customer = new PeerCustomer(EmailOf(userId), userId is not null && users.TryGetValue(userId, out var u) ? u.Text("name") : null);
            var created = t.Time("created") ?? DateTime.UnixEpoch;
            var conversation = new ConversationBuilder(item, unmapped);
            var subject = subjects.TryGetValue(id, out var cdata) ? cdata.Text("subject") : null;
            foreach (var e in threads.TryGetValue(id, out var threadId) && threadId is not null ? threadEntries[threadId] : [])
            {
                var type = e.Text("type") ?? "";
                ConversationEntryKind? kind = type switch
                {
                    "M" => ConversationEntryKind.Inbound,
                    "R" => ConversationEntryKind.Outbound,
                    "N" => ConversationEntryKind.InternalNote,
                    _ => null,
                };
                if (kind is null)
                {
                    unmapped.Add(new(item, new ImportText("A thread entry of type '{0}' has no counterpart in Desk: not imported.", type)));
                    continue;
                }
                subject ??= e.Text("title");
                var author = kind == ConversationEntryKind.Inbound ? EmailOf(e.Text("user_id")) ?? customer.Email ?? ""
                    : StaffName(e.Text("staff_id")) ?? e.Text("poster") ?? "osTicket";
                var html = !string.Equals(e.Text("format"), "text", StringComparison.OrdinalIgnoreCase);
                conversation.Add(kind.Value, author, e.Time("created") ?? created, PeerJson.PlainText(e.Text("body"), html));
                foreach (var a in attachments[e.Text("id") ?? ""])
                {
                    if (a.Flag("inline")) continue; // a picture inside the message's HTML, already part of its text
                    var f = a.Text("file_id") is { } fid && files.TryGetValue(fid, out var row) ? row : (JsonElement?)null;
                    conversation.File(a.Text("name") ?? f?.Text("name"), f?.Text("type"), Content(f?.Text("id"), chunks));
                }
            }
            var (messages, peerFiles) = conversation.Build();
            var channel = (t.Text("source") ?? "").ToLowerInvariant() switch
            {
                "web" => Channel.Web,
                "phone" => Channel.Phone,
                "api" => Channel.Api,
                _ => Channel.Email,
            };
            var updated = new[] { t.Time("updated"), t.Time("lastupdate"), t.Time("closed") }.Max() ?? created;
            tickets.Add(new PeerTicket(id, customer, new ImportedTicket(Name, number, subject ?? "", statusName, state.Value, channel,
                created, updated, null, t.Time("closed"), StaffName(t.Text("staff_id")), messages), peerFiles));
        }
        return new PeerExport(tickets, unmapped);
    }

    /// <summary>A status of the "open" kind whose name says the desk waits for the customer ("Pending", "Awaiting reply").</summary>
    private static bool IsWaiting(string name) =>
        name.Contains("pending", StringComparison.OrdinalIgnoreCase) || name.Contains("await", StringComparison.OrdinalIgnoreCase)
        || name.Contains("waiting", StringComparison.OrdinalIgnoreCase);

    /// <summary>A file's bytes from its chunks (hexadecimal 0x…, or the text itself); null when none are in the export.</summary>
    private static byte[]? Content(string? fileId, ILookup<string, JsonElement> chunks)
    {
        if (fileId is null || !chunks.Contains(fileId)) return null;
        using var bytes = new MemoryStream();
        foreach (var chunk in chunks[fileId])
        {
            var data = chunk.Text("filedata");
            if (data is null) continue;
            byte[] part;
            try { part = data.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? Convert.FromHexString(data.AsSpan(2)) : Encoding.UTF8.GetBytes(data); }
            catch (FormatException) { return null; }
            bytes.Write(part);
        }
        return bytes.Length == 0 ? null : bytes.ToArray();
    }
}

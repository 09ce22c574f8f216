using Desk.Domain.Tickets;
using Desk.Web.Features.Orders;

namespace Desk.Web.Features.Import;

/// <summary>
/// Collects one ticket's messages and files as a reader finds them (in any order), and hands them over oldest first,
/// empty messages left out, each file pointing at its message. A file whose bytes are not in the export is reported.
/// </summary>
internal sealed class ConversationBuilder(string item, List<UnmappedItem> unmapped)
{
    private readonly List<(ImportedMessage Message, List<(string Name, string? Type, byte[] Content)> Files)> _messages = [];

    public void Add(ConversationEntryKind kind, string author, DateTime at, string body) =>
        _messages.Add((new ImportedMessage(kind, author, at, body), []));

    /// <summary>A file of the message added last.</summary>
    public void File(string? name, string? contentType, byte[]? content)
    {
        var shown = string.IsNullOrWhiteSpace(name) ? "attachment" : name;
        if (content is null || content.Length == 0)
        {
            unmapped.Add(new(item, new ImportText("The file \"{0}\" is not in the export (only its name is): not imported.", shown)));
            return;
        }
        if (_messages.Count == 0) return;
        _messages[^1].Files.Add((shown, contentType, content));
    }

    public int Count => _messages.Count;

    public (IReadOnlyList<ImportedMessage> Messages, IReadOnlyList<PeerFile> Files) Build()
    {
        var messages = new List<ImportedMessage>();
        var files = new List<PeerFile>();
        foreach (var (message, attached) in _messages.OrderBy(m => m.Message.At)) // OrderBy is stable: same-time messages keep the export's order
        {
            var body = message.Body;
            if (string.IsNullOrWhiteSpace(body))
            {
                if (attached.Count == 0) continue;
                body = "(" + string.Join(", ", attached.Select(f => f.Name)) + ")";
            }
            messages.Add(message with { Body = body });
            files.AddRange(attached.Select(f => new PeerFile(messages.Count - 1, f.Name, f.Type, f.Content)));
        }
        return (messages, files);
    }
}

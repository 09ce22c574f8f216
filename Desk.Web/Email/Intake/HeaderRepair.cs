using System.Text;
using System.Text.RegularExpressions;
using MimeKit;

namespace Desk.Web.Email.Intake;

/// <summary>
/// Repairs a mail a person would still read but MimeKit would read wrong or not at all (a line pasted above the
/// headers, an unfolded continuation, an empty mailbox before the sender, an address without angle brackets). Each
/// repair adds a sentence for the agent; <see cref="MailContent.Parse"/> hands them to the message's notes.
/// </summary>
internal static partial class HeaderRepair
{
    /// <summary>Header fields a mail carries; a line naming one is taken as a header when repairing a header block.</summary>
    private static bool IsKnownField(string name) =>
        MailContent.MailHeaders.Contains(name) || name.StartsWith("X-", StringComparison.OrdinalIgnoreCase) || name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("List-", StringComparison.OrdinalIgnoreCase) || name.StartsWith("ARC-", StringComparison.OrdinalIgnoreCase)
        || name is "DKIM-Signature" or "Authentication-Results" or "Thread-Topic" or "Thread-Index" or "Importance" or "Priority"
            or "User-Agent" or "Organization" or "Comments" or "Keywords" or "Auto-Submitted" or "Precedence";

    /// <summary>
    /// Repairs a header block a person would still read: lines pasted above the headers ("-----…", a note) are
    /// skipped, and a line without a field name between two header fields (an unfolded continuation) continues the
    /// field above it. Only lines followed by a known header field are touched, so a body that starts right under the
    /// headers (no blank line) is left as it is. Each repair is described in <paramref name="repairs"/>.
    /// </summary>
    public static byte[] HeaderBlock(byte[] raw, List<string> repairs)
    {
        var start = raw.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        var lines = new List<(int Start, int Length, string Text)>();
        for (var at = start; at < raw.Length && at - start < 64 * 1024 && lines.Count < 500;)
        {
            var newline = Array.IndexOf(raw, (byte)'\n', at);
            var length = newline < 0 ? raw.Length - at : newline - at + 1;
            var text = Encoding.Latin1.GetString(raw, at, length).TrimEnd('\r', '\n');
            if (text.Length == 0) break; // the blank line that ends the headers
            lines.Add((at, length, text));
            at += length;
        }
        static string? FieldOf(string line) =>
            HeaderFieldLine().Match(line) is { Success: true } match && IsKnownField(match.Groups[1].Value) ? match.Groups[1].Value : null;
        static bool IsField(string line) => HeaderFieldLine().IsMatch(line);
        static bool IsFolded(string line) => line[0] is ' ' or '\t';
        static string Quote(string line) => line.Length <= 60 ? line : line[..60] + "…";

        var firstField = lines.FindIndex(l => IsField(l.Text));
        var skip = 0;
        if (firstField is > 0 and <= 3 && FieldOf(lines[firstField].Text) is not null
            && lines.Take(firstField).All(l => !IsFolded(l.Text) && !l.Text.StartsWith("From ", StringComparison.Ordinal)))
        {
            skip = firstField;
            foreach (var line in lines.Take(skip))
                repairs.Add($"A line above the mail's headers was not a header and was skipped: \"{Quote(line.Text)}\".");
        }

        var joined = new HashSet<int>();
        string? field = null;
        for (var i = skip; i < lines.Count; i++)
        {
            var text = lines[i].Text;
            if (IsField(text)) { field = HeaderFieldLine().Match(text).Groups[1].Value; continue; }
            if (IsFolded(text) || field is null) continue;
            var next = i + 1;
            while (next < lines.Count && !IsField(lines[next].Text)) next++;
            if (next >= lines.Count || FieldOf(lines[next].Text) is null) break; // the body, written right under the headers
            joined.Add(i);
            repairs.Add($"A header line without a field name (\"{Quote(text)}\") was read as the continuation of {field}.");
        }
        if (skip == 0 && joined.Count == 0)
            return raw;

        using var repaired = new MemoryStream(raw.Length + joined.Count);
        repaired.Write(raw, 0, start);
        var from = skip < lines.Count ? lines[skip].Start : start;
        for (var i = skip; i < lines.Count; i++)
        {
            if (joined.Contains(i)) repaired.WriteByte((byte)' ');
            repaired.Write(raw, lines[i].Start, lines[i].Length);
        }
        var rest = lines.Count > 0 ? lines[^1].Start + lines[^1].Length : from;
        repaired.Write(raw, rest, raw.Length - rest);
        return repaired.ToArray();
    }

    /// <summary>
    /// A From a reader still understands: an empty mailbox ("&lt;&gt;") listed before a real address is dropped (a
    /// robot's From is empty alone, and stays so), and a bare "Name address@example.com" without angle brackets is read
    /// as that name and address. Each repair is described in <paramref name="repairs"/>.
    /// </summary>
    public static void From(MimeMessage message, List<string> repairs)
    {
        static bool Real(MailboxAddress m) => m.Address is { } a && a.IndexOf('@') is > 0 && a.IndexOf('@') < a.Length - 1 && !a.Any(char.IsWhiteSpace);
        if (message.Headers.FirstOrDefault(h => h.Id == HeaderId.From) is not { } header)
            return;
        var mailboxes = message.From.Mailboxes.ToList();
        if (mailboxes.Any(Real))
        {
            var empty = mailboxes.Where(m => !Real(m)).ToList();
            if (empty.Count == 0 && !header.Value.Replace(" ", "", StringComparison.Ordinal).Contains("<>", StringComparison.Ordinal))
                return;
            var real = mailboxes.Where(Real).ToList();
            message.From.Clear();
            message.From.AddRange(real);
            repairs.Add($"The sender (From) listed an empty address before {real[0].Address}; the mail was taken as from {real[0].Address}.");
            return;
        }

        var text = MailContent.HeaderText(header);
        var withoutEmpty = EmptyMailboxes().Replace(text, "");
        if (withoutEmpty.Length != text.Length && InternetAddressList.TryParse(withoutEmpty, out var rest) && rest.Mailboxes.Where(Real).ToList() is { Count: > 0 } found)
        {
            message.From.Clear();
            message.From.AddRange(found);
            repairs.Add($"The sender (From) listed an empty address before {found[0].Address}; the mail was taken as from {found[0].Address}.");
            return;
        }
        if (BareNameAndAddress().Match(withoutEmpty) is { Success: true } bare)
        {
            var name = bare.Groups["name"].Value.Trim().Trim('"').Trim();
            var address = bare.Groups["address"].Value;
            message.From.Clear();
            message.From.Add(new MailboxAddress(name, address));
            repairs.Add($"The sender's address was written without angle brackets (\"{Desk.Domain.OneLine.Of(text)}\"); it was read as {name} <{address}>.");
        }
    }

    [GeneratedRegex(@"^([!-9;-~]+):", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex HeaderFieldLine();

    [GeneratedRegex(@"^(?:\s*<\s*>\s*[,;]?)+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex EmptyMailboxes();

    [GeneratedRegex(@"^\s*(?<name>[^<>@]*?)\s*<?(?<address>[^\s<>""@,;]+@[^\s<>""@,;]+\.[^\s<>""@,;]+)>?\s*$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex BareNameAndAddress();
}

using System.Net;
using System.Text;
using AngleSharp.Dom;

namespace Desk.Web.Email.Intake;

/// <summary>
/// A cheap look at how deep HTML nests, before any parser sees it. HTML parsers (AngleSharp included) take time
/// that grows with the square of the nesting depth: 40,000 nested divs, a 240 KB mail, took 18 seconds to parse, so
/// a mail could stall the poller. Real mail stays far below <see cref="MaxDepth"/>; deeper HTML is shown as rough
/// text instead.
/// </summary>
internal static class HtmlNesting
{
    public const int MaxDepth = 1_000;

    /// <summary>Elements that never nest in practice (void) or that close themselves when a sibling opens.</summary>
    private static readonly HashSet<string> Flat = new(StringComparer.OrdinalIgnoreCase)
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
        "p", "li", "td", "th", "tr", "dt", "dd", "option", "optgroup", "thead", "tbody", "tfoot", "colgroup", "caption",
        "rb", "rt", "rp", "o:p",
    };

    /// <summary>Formatting elements: a parser that meets their end tag while a block opened inside them is still open
    /// ends them but leaves the block open (the HTML standard's adoption agency), so "&lt;b&gt;&lt;div&gt;&lt;/b&gt;" nests.</summary>
    private static readonly HashSet<string> Formatting = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
    };

    /// <summary>
    /// Whether the tags nest deeper than <see cref="MaxDepth"/>, by one pass over the tags that keeps the open
    /// elements the way a parser would: an end tag closes its element and everything opened inside it, an end tag with
    /// no open element of its name closes nothing ("&lt;div&gt;&lt;/span&gt;" a hundred thousand times is that deep),
    /// and a formatting element's end tag leaves the blocks opened inside it open. Linear in the length of the HTML:
    /// the open elements never number more than <see cref="MaxDepth"/>.
    /// </summary>
    public static bool TooDeep(string html)
    {
        if (html.Length < MaxDepth * 3)
            return false;
        var open = new List<string>();
        var counts = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var i = html.IndexOf('<');
        while (i >= 0 && i + 1 < html.Length)
        {
            if (string.CompareOrdinal(html, i, "<!--", 0, 4) == 0)
            {
                var endOfComment = html.IndexOf("-->", i + 4, StringComparison.Ordinal);
                if (endOfComment < 0) break;
                i = html.IndexOf('<', endOfComment + 3);
                continue;
            }
            var closing = html[i + 1] == '/';
            var start = closing ? i + 2 : i + 1;
            var end = start;
            while (end < html.Length && (char.IsAsciiLetterOrDigit(html[end]) || html[end] is ':' or '-')) end++;
            var close = html.IndexOf('>', end);
            if (close < 0) break;
            if (end > start && char.IsAsciiLetter(html[start]) && html[start..end] is var name && !Flat.Contains(name))
            {
                if (!closing)
                {
                    if (html[close - 1] != '/')
                    {
                        open.Add(name);
                        counts[name] = counts.GetValueOrDefault(name) + 1;
                        if (open.Count > MaxDepth) return true;
                    }
                }
                else if (counts.GetValueOrDefault(name) > 0)
                {
                    var at = open.FindLastIndex(n => n.Equals(name, StringComparison.OrdinalIgnoreCase));
                    var blockInside = Formatting.Contains(name) && open.Skip(at + 1).Any(n => !Formatting.Contains(n));
                    var removeTo = blockInside ? at + 1 : open.Count;
                    for (var k = at; k < removeTo; k++) counts[open[k]]--;
                    open.RemoveRange(at, removeTo - at);
                }
            }
            i = html.IndexOf('<', close);
        }
        return false;
    }

    /// <summary>Whether a parsed tree nests deeper than twice <see cref="MaxDepth"/>: the check after parsing, for HTML
    /// whose depth <see cref="TooDeep(string)"/> underestimated, before anything walks the tree recursively.</summary>
    public static bool TooDeep(INode root)
    {
        var stack = new Stack<(INode Node, int Depth)>();
        stack.Push((root, 0));
        while (stack.Count > 0)
        {
            var (node, depth) = stack.Pop();
            if (depth > MaxDepth * 2) return true;
            foreach (var child in node.ChildNodes)
                if (child is IElement) stack.Push((child, depth + 1));
        }
        return false;
    }

    /// <summary>Elements whose content is not text (a parser reads it raw): dropped with their content.</summary>
    private static readonly string[] RawText = ["script", "style", "head", "title", "textarea", "xmp", "noscript"];

    private static readonly HashSet<string> LineEnds = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote", "pre",
    };

    /// <summary>The text of HTML without parsing it, in one pass: scripts and styles dropped, tags removed (line breaks
    /// and block ends become new lines), entities decoded, blanks collapsed. Linear, whatever the HTML holds.</summary>
    public static string RoughText(string html)
    {
        var text = new StringBuilder(html.Length);
        var i = 0;
        while (i < html.Length)
        {
            var lt = html.IndexOf('<', i);
            var gt = lt < 0 ? -1 : html.IndexOf('>', lt);
            if (gt < 0)
            {
                text.Append(html, i, html.Length - i);
                break;
            }
            text.Append(html, i, lt - i);
            var closing = lt + 1 < gt && html[lt + 1] == '/';
            var start = closing ? lt + 2 : lt + 1;
            var end = start;
            while (end < gt && char.IsAsciiLetterOrDigit(html[end])) end++;
            var name = html[start..end];
            i = gt + 1;
            if (!closing && Array.Exists(RawText, r => r.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                var endTag = html.IndexOf("</" + name, i, StringComparison.OrdinalIgnoreCase);
                var after = endTag < 0 ? -1 : html.IndexOf('>', endTag);
                i = after < 0 ? html.Length : after + 1;
                text.Append(' ');
            }
            else if (name.Equals("br", StringComparison.OrdinalIgnoreCase) || closing && LineEnds.Contains(name))
                text.Append('\n');
        }

        var result = new StringBuilder(text.Length);
        var blank = false;
        foreach (var raw in WebUtility.HtmlDecode(text.ToString()).Split('\n'))
        {
            var line = string.Join(' ', raw.Split([' ', '\t', '\r', '\f', '\u00A0'], StringSplitOptions.RemoveEmptyEntries));
            if (line.Length == 0)
            {
                blank = result.Length > 0;
                continue;
            }
            if (blank) result.Append('\n');
            result.Append(line).Append('\n');
            blank = false;
        }
        return result.ToString().TrimEnd('\n');
    }
}

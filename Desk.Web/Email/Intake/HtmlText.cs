using System.Globalization;
using System.Text;
using AngleSharp.Dom;

namespace Desk.Web.Email.Intake;

/// <summary>HTML to readable plain text: paragraphs, line breaks and list items kept, no tags, entities decoded.</summary>
internal static class HtmlText
{
    private static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "head", "title", "template", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet",
        "svg", "math", "select", "xml", "meta", "link", "base", "img", "input", "button", "audio", "video", "canvas", "map",
    };

    private static readonly HashSet<string> Paragraphs = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table", "blockquote", "pre", "hr", "figure",
    };

    private static readonly HashSet<string> Lines = new(StringComparer.OrdinalIgnoreCase)
    {
        "div", "li", "tr", "dt", "dd", "address", "center", "section", "article", "header", "footer", "nav", "aside", "main",
        "form", "fieldset", "legend", "caption", "thead", "tbody", "tfoot", "figcaption", "details", "summary", "body",
    };

    public static string ToPlainText(string html)
    {
        if (HtmlNesting.TooDeep(html))
            return HtmlNesting.RoughText(html);
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        return HtmlNesting.TooDeep(document) ? HtmlNesting.RoughText(html) : ToPlainText(document.Body ?? (INode)document);
    }

    /// <summary>Walks the tree without recursion, so a deeply nested mail cannot exhaust the stack.</summary>
    private static string ToPlainText(INode root)
    {
        var output = new PlainTextWriter();
        var stack = new Stack<(INode Node, bool Leaving)>();
        stack.Push((root, false));
        var preformatted = 0;
        while (stack.Count > 0)
        {
            var (node, leaving) = stack.Pop();
            if (node is IText text)
            {
                output.Write(text.Data, preformatted > 0);
                continue;
            }
            if (node is not IElement element)
            {
                if (node is IDocument or IDocumentFragment)
                    foreach (var child in node.ChildNodes.Reverse()) stack.Push((child, false));
                continue;
            }

            var name = element.LocalName;
            if (leaving)
            {
                if (name == "pre") preformatted--;
                if (Paragraphs.Contains(name)) output.Break(2);
                else if (Lines.Contains(name)) output.Break(1);
                else if (name is "td" or "th") output.Space();
                continue;
            }
            if (Skipped.Contains(name))
                continue;
            switch (name)
            {
                case "br":
                    output.LineBreak();
                    continue;
                case "hr":
                    output.Break(2);
                    continue;
                case "li":
                    output.Break(1);
                    output.Write(ListMarker(element), preformatted: true);
                    break;
                case "td" or "th":
                    output.Space();
                    break;
                default:
                    if (Paragraphs.Contains(name)) output.Break(2);
                    else if (Lines.Contains(name)) output.Break(1);
                    break;
            }
            if (name == "pre") preformatted++;
            stack.Push((element, true));
            foreach (var child in element.ChildNodes.Reverse())
                stack.Push((child, false));
        }
        return output.ToString();
    }

    private static string ListMarker(IElement item)
    {
        if (item.ParentElement is not { LocalName: "ol" } list)
            return "• ";
        var start = int.TryParse(list.GetAttribute("start"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : 1;
        var position = 0;
        for (var sibling = item.PreviousElementSibling; sibling is not null; sibling = sibling.PreviousElementSibling)
            if (sibling.LocalName == "li") position++;
        return string.Create(CultureInfo.InvariantCulture, $"{start + position}. ");
    }

    private sealed class PlainTextWriter
    {
        private readonly StringBuilder _text = new();
        private int _pendingBreaks;
        private bool _pendingSpace;
        private int _newlinesAtEnd = 1; // the start counts as a fresh line

        public void Break(int lines) => _pendingBreaks = Math.Max(_pendingBreaks, lines);

        public void Space() => _pendingSpace = true;

        public void LineBreak()
        {
            FlushBreaks();
            _text.Append('\n');
            _newlinesAtEnd++;
            _pendingSpace = false;
        }

        public void Write(string data, bool preformatted)
        {
            if (preformatted)
            {
                if (data.Length == 0) return;
                Start();
                var normalised = data.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
                _text.Append(normalised);
                var trailing = normalised.Length - normalised.TrimEnd('\n').Length;
                _newlinesAtEnd = trailing == normalised.Length ? _newlinesAtEnd + trailing : trailing;
                return;
            }
            var words = data.Split([' ', '\t', '\n', '\r', '\f'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                if (data.Length > 0) _pendingSpace = true;
                return;
            }
            if (char.IsWhiteSpace(data[0]) && data[0] != '\u00A0') _pendingSpace = true;
            Start();
            _text.Append(string.Join(' ', words));
            _newlinesAtEnd = 0;
            _pendingSpace = char.IsWhiteSpace(data[^1]) && data[^1] != '\u00A0';
        }

        private void Start()
        {
            if (FlushBreaks()) return;
            if (_pendingSpace && _newlinesAtEnd == 0) _text.Append(' ');
            _pendingSpace = false;
        }

        private bool FlushBreaks()
        {
            var needed = _text.Length == 0 ? 0 : _pendingBreaks - _newlinesAtEnd;
            _pendingBreaks = 0;
            if (needed <= 0) return false;
            while (_text.Length > 0 && _text[^1] == ' ') _text.Length--;
            _text.Append('\n', needed);
            _newlinesAtEnd += needed;
            _pendingSpace = false;
            return true;
        }

        public override string ToString()
        {
            var lines = _text.ToString().Replace('\u00A0', ' ').Split('\n').Select(l => l.TrimEnd());
            var result = new StringBuilder();
            var blank = 0;
            foreach (var line in lines)
            {
                if (line.Length == 0)
                {
                    if (++blank > 1 || result.Length == 0) continue;
                }
                else blank = 0;
                result.Append(line).Append('\n');
            }
            return result.ToString().Trim('\n');
        }
    }
}

using System.Globalization;
using System.Text;

namespace Desk.Web.Email.Intake;

/// <summary>
/// The text of an RTF body (Outlook sends some bodies only as compressed RTF inside winmail.dat): paragraphs and
/// line breaks kept, \'hh bytes read in the document's code page, \uN characters, hidden destinations skipped.
/// Meant for display and search, not for layout.
/// </summary>
internal static class RtfText
{
    private static readonly HashSet<string> SkippedDestinations = new(StringComparer.Ordinal)
    {
        "fonttbl", "colortbl", "stylesheet", "info", "pict", "header", "headerl", "headerr", "headerf", "footer", "footerl",
        "footerr", "footerf", "themedata", "colorschememapping", "latentstyles", "datastore", "xmlnstbl", "listtable",
        "listoverridetable", "rsidtbl", "generator", "object", "fldinst", "mmathpr", "pgdsctbl", "filetbl", "revtbl", "bkmkstart", "bkmkend",
    };

    public static string ToPlainText(byte[] rtf)
    {
        var text = new StringBuilder();
        var pending = new List<byte>();
        var codePage = Encoding.GetEncoding(1252);
        var skipDepth = -1;
        var depth = 0;
        var unicodeSkip = 1;
        var toSkip = 0;
        void Flush()
        {
            if (pending.Count == 0) return;
            text.Append(codePage.GetString(pending.ToArray()));
            pending.Clear();
        }

        for (var i = 0; i < rtf.Length; i++)
        {
            var c = (char)rtf[i];
            if (c == '{') { depth++; continue; }
            if (c == '}') { if (depth == skipDepth) skipDepth = -1; depth--; continue; }
            if (c is '\r' or '\n') continue;
            var skipping = skipDepth >= 0 && depth >= skipDepth;
            if (c != '\\')
            {
                if (toSkip > 0) { toSkip--; continue; }
                if (!skipping) { Flush(); text.Append(c); }
                continue;
            }
            if (i + 1 >= rtf.Length) break;
            var next = (char)rtf[i + 1];
            if (next == '\'' && i + 3 < rtf.Length)
            {
                i += 3;
                if (toSkip > 0) { toSkip--; continue; }
                if (!skipping && byte.TryParse(Encoding.ASCII.GetString(rtf, i - 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
                    pending.Add(b);
                continue;
            }
            if (!char.IsAsciiLetter(next))
            {
                i++;
                if (next == '*') { if (skipDepth < 0) skipDepth = depth; continue; }
                if (skipping) continue;
                Flush();
                if (next is '\\' or '{' or '}') text.Append(next);
                else if (next == '~') text.Append(' ');
                else if (next == '_') text.Append('-');
                continue;
            }

            var start = i + 1;
            var end = start;
            while (end < rtf.Length && char.IsAsciiLetter((char)rtf[end])) end++;
            var word = Encoding.ASCII.GetString(rtf, start, end - start);
            var numberStart = end;
            if (end < rtf.Length && rtf[end] == '-') end++;
            while (end < rtf.Length && char.IsAsciiDigit((char)rtf[end])) end++;
            int? parameter = end > numberStart && int.TryParse(Encoding.ASCII.GetString(rtf, numberStart, end - numberStart), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var p) ? p : null;
            if (end < rtf.Length && rtf[end] == ' ') end++;
            i = end - 1;

            if (SkippedDestinations.Contains(word)) { if (skipDepth < 0) skipDepth = depth; continue; }
            if (word == "ansicpg" && parameter is { } cp)
            {
                try { Flush(); codePage = Encoding.GetEncoding(cp); } catch (Exception e) when (e is ArgumentException or NotSupportedException) { }
                continue;
            }
            if (word == "uc" && parameter is { } n) { unicodeSkip = Math.Max(0, n); continue; }
            if (skipping) continue;
            switch (word)
            {
                case "par" or "line" or "row":
                    Flush(); text.Append('\n'); break;
                case "tab" or "cell":
                    Flush(); text.Append('\t'); break;
                case "u" when parameter is { } code:
                    Flush(); text.Append((char)(code < 0 ? code + 65536 : code)); toSkip = unicodeSkip; break;
            }
        }
        Flush();
        return string.Join('\n', text.ToString().Split('\n').Select(l => l.TrimEnd())).Trim();
    }
}

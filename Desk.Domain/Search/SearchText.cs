using System.Globalization;
using System.Text;

namespace Desk.Domain.Search;

/// <summary>
/// How text is prepared for the full-text index and how a person's search becomes an index query, kept together
/// because both sides must agree. The index splits words at spaces and punctuation; Chinese and Japanese are
/// written without spaces, so every ideograph, kana or hangul syllable is set apart as a word of its own and
/// a search for 退款 becomes the phrase "退 款" — two adjacent characters, found anywhere in a sentence.
/// </summary>
public static class SearchText
{
    /// <summary>The longest search the desk turns into a query; longer input is cut here.</summary>
    public const int MaxQueryLength = 200;

    /// <summary>The text as the index should read it: unchanged except for spaces around each CJK character.</summary>
    public static string ForIndex(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        if (!text.Any(IsCjk)) return text;
        var spaced = new StringBuilder(text.Length * 2);
        foreach (var c in text)
        {
            if (IsCjk(c)) spaced.Append(' ').Append(c).Append(' ');
            else spaced.Append(c);
        }
        return spaced.ToString();
    }

    /// <summary>The shortest word a trailing * may extend (kett* finds kettle); shorter ones would match half the index.</summary>
    public const int MinPrefixLength = 3;

    /// <summary>
    /// An FTS5 query for what someone typed: every word must occur, in any order, as a whole word (case and accents
    /// aside); a word ending in * of at least <see cref="MinPrefixLength"/> characters also as the start of a longer
    /// one; a run of CJK characters as that exact sequence. Operators and quotes typed by the person are taken as
    /// text, never as query syntax. Null when nothing searchable is left.
    /// </summary>
    public static string? ToMatchQuery(string? typed)
    {
        if (string.IsNullOrWhiteSpace(typed)) return null;
        var input = typed.Length > MaxQueryLength ? typed[..MaxQueryLength] : typed;
        var terms = new List<string>();
        var word = new StringBuilder();
        var cjk = new List<char>();

        void EndWord(bool prefix)
        {
            if (word.Length > 0) terms.Add(prefix && word.Length >= MinPrefixLength ? $"\"{word}\"*" : $"\"{word}\"");
            word.Clear();
        }
        void EndCjk()
        {
            if (cjk.Count > 0) terms.Add($"\"{string.Join(' ', cjk)}\"");
            cjk.Clear();
        }

        foreach (var c in input)
        {
            if (IsCjk(c)) { EndWord(prefix: false); cjk.Add(c); }
            else if (char.IsLetterOrDigit(c)) { EndCjk(); word.Append(c); }
            else { EndWord(prefix: c == '*'); EndCjk(); }
        }
        EndWord(prefix: false);
        EndCjk();
        return terms.Count == 0 ? null : string.Join(' ', terms.Distinct());
    }

    /// <summary>Han ideographs, kana and hangul: scripts written without spaces between words.</summary>
    public static bool IsCjk(char c) => char.GetUnicodeCategory(c) is UnicodeCategory.OtherLetter or UnicodeCategory.ModifierLetter && c switch
    {
        >= '\u2E80' and <= '\u9FFF' => true,   // CJK radicals, kana, bopomofo, hangul compatibility, CJK ideographs
        >= '\uAC00' and <= '\uD7AF' => true,   // hangul syllables
        >= '\uF900' and <= '\uFAFF' => true,   // CJK compatibility ideographs
        _ => false,
    };
}

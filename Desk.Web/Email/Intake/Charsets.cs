using System.Text;
using System.Text.RegularExpressions;
using System.Text.Unicode;

namespace Desk.Web.Email.Intake;

/// <summary>
/// Chooses how to read a text part's bytes. The label is trusted unless real mail shows it lies in a known way:
/// gb2312/GBK labels are read as GB18030 (a superset; mail labelled gb2312 often holds GBK characters), text labelled
/// us-ascii/latin-1 or not at all that is valid UTF-8 is UTF-8, so is valid UTF-8 with a few characters' worth of
/// non-ASCII under any legacy label (gb2312, windows-1251, …), and HTML without a label uses its meta charset.
/// </summary>
internal static class Charsets
{
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Encoding?> Resolved = new(StringComparer.Ordinal);

    public static string Decode(byte[] bytes, string? label, bool isHtml)
    {
        ReadOnlySpan<byte> span = bytes;
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            return Utf8.GetString(span[3..]);
        if (span.Length >= 2 && span[0] == 0xFF && span[1] == 0xFE)
            return Encoding.Unicode.GetString(span[2..]);
        if (span.Length >= 2 && span[0] == 0xFE && span[1] == 0xFF)
            return Encoding.BigEndianUnicode.GetString(span[2..]);
        return MixedSegments(span, label) ?? Choose(span, label, isHtml).GetString(span);
    }

    /// <summary>
    /// Text under a legacy label that holds UTF-8 lines and lines in some other 8-bit charset (a script pasting the
    /// customer's UTF-8 into a gb2312 mail with a Windows-1252 signature): the label lies for part of it, so each line
    /// is read as what it is — UTF-8 when it is valid UTF-8 with non-ASCII in it, otherwise word by word: the label's
    /// charset for what looks like it (Chinese double bytes under a Chinese label; anything under a single-byte
    /// label), else Windows-1252. Only when some line is UTF-8 beyond doubt (<see cref="LongEnoughToTrust"/>), so legacy
    /// text with a stray byte keeps its label. Null when the text is not mixed.
    /// </summary>
    /// <summary>Whether most of a word's bytes are 8-bit, as in double-byte text; an accented Latin word ("Hélène") has
    /// a letter or more between its 8-bit bytes, which Big5 and GBK would otherwise read as trail bytes.</summary>
    private static bool MostlyHigh(ReadOnlySpan<byte> word)
    {
        var high = 0;
        foreach (var b in word)
            if (b >= 0x80) high++;
        return high * 5 > word.Length * 3;
    }

    private static string? MixedSegments(ReadOnlySpan<byte> bytes, string? label)
    {
        var name = Normalise(label);
        if (name is null || name == "us-ascii" || !IsLegacyLabel(name) || System.Text.Ascii.IsValid(bytes) || Utf8Validity(bytes)
            || Resolve(name) is not { } labelled)
            return null;
        var lines = new List<(int Start, int Length)>();
        for (var start = 0; start < bytes.Length;)
        {
            var end = bytes[start..].IndexOf((byte)'\n');
            var length = end < 0 ? bytes.Length - start : end + 1;
            lines.Add((start, length));
            start += length;
        }
        var confident = false;
        foreach (var (start, length) in lines)
        {
            var line = bytes.Slice(start, length);
            if (!System.Text.Ascii.IsValid(line) && Utf8Validity(line) && LongEnoughToTrust(line) && !LooksLikeGb2312(line))
            {
                confident = true;
                break;
            }
        }
        if (!confident)
            return null;

        var doubleByteLabel = IsDoubleByte(labelled);
        var windows1252 = Resolve("windows-1252")!;
        var text = new StringBuilder(bytes.Length);
        foreach (var (start, length) in lines)
        {
            var line = bytes.Slice(start, length);
            if (System.Text.Ascii.IsValid(line) || Utf8Validity(line) && !LooksLikeGb2312(line))
            {
                text.Append(Utf8.GetString(line));
                continue;
            }
            // Word by word: a legacy double-byte word may hold ASCII trail bytes, but never a space.
            for (var i = 0; i < line.Length;)
            {
                var space = line[i..].IndexOfAny((byte)' ', (byte)'\t');
                var wordLength = space < 0 ? line.Length - i : Math.Max(space, 1);
                var word = line.Slice(i, wordLength);
                var encoding = System.Text.Ascii.IsValid(word) ? windows1252
                    : Utf8Validity(word) && LongEnoughToTrust(word) && !LooksLikeGb2312(word) ? Utf8
                    : !doubleByteLabel || MostlyHigh(word) && IsDoubleByte(Guess(word)) ? labelled
                    : Utf8Validity(word) ? Utf8
                    : windows1252;
                text.Append(encoding.GetString(word));
                i += wordLength;
            }
        }
        return text.ToString();
    }

    public static Encoding Choose(ReadOnlySpan<byte> bytes, string? label, bool isHtml)
    {
        var name = Normalise(label);
        if (isHtml && name is null or "us-ascii" && MetaCharset(bytes) is { } meta)
            name = Normalise(meta);

        if (System.Text.Ascii.IsValid(bytes))
        {
            if (name is not null && name != "us-ascii" && Resolve(name) is { } labelled) return labelled;
            return bytes.IndexOf((byte)0x1B) >= 0 && Resolve("iso-2022-jp") is { } jis ? jis : Utf8;
        }

        var utf8 = Utf8Validity(bytes);
        if (utf8 && name is not null && IsLegacyLabel(name) && LongEnoughToTrust(bytes))
            return Utf8;
        return name switch
        {
            null or "us-ascii" => utf8 ? Utf8 : Guess(bytes),
            "windows-1252" => utf8 ? Utf8 : LooksLikeGb2312(bytes) ? Gb18030 : Resolve("windows-1252")!,
            "utf-8" => utf8 || !LooksLikeGb2312(bytes) ? Utf8 : Gb18030,
            "gb18030" => Gb18030,
            _ => Resolve(name) ?? (utf8 ? Utf8 : Guess(bytes)),
        };
    }

    private static Encoding Gb18030 => Resolve("gb18030")!;

    /// <summary>A label for a legacy 8-bit or double-byte charset (gb2312, big5, windows-1251, koi8-r, …): webmail
    /// and scripts put such labels on text that is really UTF-8. Unicode labels and the 7-bit ISO-2022 family are not
    /// legacy in this sense (their bytes are never mistaken for UTF-8 by accident).</summary>
    private static bool IsLegacyLabel(string name) =>
        !name.StartsWith("utf-", StringComparison.Ordinal) && !name.StartsWith("ucs-", StringComparison.Ordinal)
        && !name.StartsWith("unicode", StringComparison.Ordinal) && !name.StartsWith("iso-2022", StringComparison.Ordinal);

    /// <summary>
    /// Whether valid UTF-8 has enough non-ASCII bytes that it cannot be legacy text by accident. Legacy double-byte
    /// text is rarely valid UTF-8: two GB2312 characters (4 bytes) pass by chance about once in fifty, four (8 bytes)
    /// about once in three thousand; single-byte Cyrillic or Latin text almost never does, since its letters do not
    /// come in UTF-8's lead-and-continuation pattern. Below 8 bytes the label is believed.
    /// </summary>
    private static bool LongEnoughToTrust(ReadOnlySpan<byte> bytes)
    {
        var high = 0;
        foreach (var b in bytes)
            if (b >= 0x80 && ++high >= 8)
                return true;
        return false;
    }

    private static bool Utf8Validity(ReadOnlySpan<byte> bytes) => System.Text.Unicode.Utf8.IsValid(bytes);

    /// <summary>No usable label: GB2312-looking double bytes are Chinese (GB18030), Shift_JIS with kana is Japanese,
    /// clean Big5 pairs are Big5, the rest is read as Windows-1252 (the superset of Latin-1 that Windows mail uses).
    /// Used for text without a label and for raw 8-bit headers and file names, wherever in the mail they are.</summary>
    public static Encoding Guess(ReadOnlySpan<byte> bytes) =>
        LooksLikeGb2312(bytes) ? Gb18030
        : LooksLikeShiftJis(bytes) && Resolve("shift_jis") is { } sjis ? sjis
        : LooksLikeBig5(bytes) && Resolve("big5") is { } big5 ? big5
        : Resolve("windows-1252")!;

    /// <summary>Whether a guess is a double-byte Asian charset rather than the Windows-1252 fallback.</summary>
    public static bool IsDoubleByte(Encoding encoding) => encoding.CodePage is 54936 or 936 or 932 or 950;

    /// <summary>
    /// Whether 8-bit bytes read as Japanese in Shift_JIS: every high byte is a valid lead with a valid trail (or a
    /// half-width katakana byte), and some lead is in 81–9F — where hiragana, katakana and the common kanji live, and
    /// where GB2312 never puts a byte (its leads and trails are A1–FE), so Chinese text is not taken for Japanese.
    /// Half-width katakana, rare in real mail, must not outnumber the double-byte characters, and two double-byte
    /// characters must stand side by side (Japanese words do): Windows-1252 text whose curly quotes happen to pair
    /// with the next letter ("it’s", "don’t") has such pairs only apart.
    /// </summary>
    public static bool LooksLikeShiftJis(ReadOnlySpan<byte> bytes)
    {
        int pairs = 0, kana = 0, halfWidth = 0, run = 0, longestRun = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            var lead = bytes[i];
            if (lead < 0x80)
            {
                run = 0;
                continue;
            }
            if (lead is >= 0xA1 and <= 0xDF)
            {
                halfWidth++;
                continue;
            }
            if (lead is not (>= 0x81 and <= 0x9F or >= 0xE0 and <= 0xFC) || i + 1 >= bytes.Length) return false;
            var trail = bytes[++i];
            if (trail is not (>= 0x40 and <= 0x7E or >= 0x80 and <= 0xFC)) return false;
            pairs++;
            longestRun = Math.Max(longestRun, ++run);
            if (lead <= 0x9F) kana++;
        }
        return kana > 0 && longestRun >= 2 && halfWidth <= pairs;
    }

    /// <summary>
    /// Whether 8-bit bytes read as Chinese in GB2312 (allowing a few GBK-only characters): every high byte pairs up,
    /// the pairs fall in the hanzi rows (B0–F7) or the common punctuation rows (A1–A3), never in rows GB2312 leaves
    /// empty. Latin-1 text almost never has two accented letters in a row in those ranges; Big5 text lands in the
    /// empty rows or has low trail bytes.
    /// </summary>
    public static bool LooksLikeGb2312(ReadOnlySpan<byte> bytes)
    {
        int hanzi = 0, odd = 0, gbkOnly = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            var lead = bytes[i];
            if (lead < 0x80) continue;
            if (i + 1 >= bytes.Length || lead == 0x80 || lead == 0xFF) return false;
            var trail = bytes[++i];
            if (trail is >= 0xA1 and <= 0xFE)
            {
                if (lead is >= 0xB0 and <= 0xF7) hanzi++;
                else if (lead is >= 0xA4 and <= 0xA9) odd++;
                else if (lead is >= 0xAA and <= 0xAF or >= 0xF8) return false;
                else if (lead < 0xA1) gbkOnly++; // a GBK extension (or Shift_JIS kana): never GB2312
            }
            else if (trail is >= 0x40 and <= 0xFE and not 0x7F) gbkOnly++;
            else return false;
        }
        return hanzi >= 2 && odd * 4 <= hanzi && gbkOnly * 10 <= hanzi;
    }

    private static bool LooksLikeBig5(ReadOnlySpan<byte> bytes)
    {
        var pairs = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            var lead = bytes[i];
            if (lead < 0x80) continue;
            if (lead is < 0xA1 or > 0xF9 || i + 1 >= bytes.Length) return false;
            var trail = bytes[++i];
            if (trail is not (>= 0x40 and <= 0x7E or >= 0xA1 and <= 0xFE)) return false;
            pairs++;
        }
        return pairs >= 2;
    }

    private static string? MetaCharset(ReadOnlySpan<byte> bytes)
    {
        var head = Encoding.Latin1.GetString(bytes[..Math.Min(bytes.Length, 8192)]);
        var match = Regex.Match(head, @"<meta\b[^>]*?charset\s*=\s*[""']?\s*([A-Za-z0-9_:.\-]+)", RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));
        return match.Success ? match.Groups[1].Value : null;
    }

    /// <summary>Lower-cases a label and folds the aliases mail clients use onto one name; null for "no real charset".</summary>
    public static string? Normalise(string? label)
    {
        var name = label?.Trim().Trim('"', '\'').Trim().ToLowerInvariant();
        return name switch
        {
            null or "" or "unknown" or "unknown-8bit" or "x-unknown" or "x-user-defined" or "default" or "8bit" or "binary" or "none" => null,
            "ascii" or "us" or "us-ascii" or "ansi_x3.4-1968" or "iso646-us" or "iso-646-us" or "646" or "cp367" => "us-ascii",
            "iso-8859-1" or "iso8859-1" or "iso_8859-1" or "iso_8859-1:1987" or "latin1" or "latin-1" or "l1" or "iso-ir-100" or "cp819"
                or "windows-1252" or "cp1252" or "x-cp1252" or "cp-1252" => "windows-1252",
            "utf8" or "utf-8" or "unicode-1-1-utf-8" or "x-unicode20utf8" or "utf_8" => "utf-8",
            "gb2312" or "gbk" or "x-gbk" or "cp936" or "ms936" or "windows-936" or "euc-cn" or "x-euc-cn" or "csgb2312" or "gb_2312-80"
                or "gb_2312" or "chinese" or "iso-ir-58" or "csiso58gb231280" or "gb18030" or "gb-18030" or "gb2312-80" => "gb18030",
            "big5" or "big-5" or "big5-hkscs" or "cn-big5" or "x-x-big5" or "csbig5" or "cp950" or "ms950" or "windows-950" or "x-big5" => "big5",
            "x-sjis" or "sjis" or "shift-jis" or "shift_jis" or "ms_kanji" or "cp932" or "windows-31j" or "csshiftjis" or "x-ms-cp932" => "shift_jis",
            "ks_c_5601-1987" or "ks_c_5601" or "ks_c_5601-1989" or "euc-kr" or "cp949" or "windows-949" or "ksc5601" or "ksc_5601" => "ks_c_5601-1987",
            "iso-2022-jp" or "iso-2022-jp-1" or "iso-2022-jp-2" or "iso-2022-jp-3" or "csiso2022jp" => "iso-2022-jp",
            "iso-8859-8-i" => "iso-8859-8",
            "utf7" or "utf-7" or "unicode-1-1-utf-7" or "csunicode11utf7" or "x-unicode20utf7" => "utf-7",
            _ => name,
        };
    }

    public static Encoding? Resolve(string name) => Resolved.GetOrAdd(name, static n =>
    {
        try
        {
            return n switch
            {
                "utf-8" => Utf8,
                "gb18030" => Encoding.GetEncoding(54936),
                // .NET refuses GetEncoding("utf-7") since UTF-7 is unsafe for new data, but Outlook 2000 sent mail in it.
#pragma warning disable SYSLIB0001
                "utf-7" => new UTF7Encoding(allowOptionals: true),
#pragma warning restore SYSLIB0001
                _ => Encoding.GetEncoding(n),
            };
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return null;
        }
    });
}

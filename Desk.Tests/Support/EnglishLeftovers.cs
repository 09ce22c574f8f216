using System.Net;
using System.Text.RegularExpressions;

namespace Desk.Tests.Support;

/// <summary>Finds English words a reader would see on a page meant to be Chinese.</summary>
public static partial class EnglishLeftovers
{
    public const string NumbersAndAddresses = "D-[0-9]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+";

    /// <summary>
    /// Fails when the visible text (between tags, and placeholder/title/aria-label/alt) holds a Latin word of two
    /// letters or more, other than <paramref name="allowed"/>, once <paramref name="data"/> and what
    /// <paramref name="ignorePattern"/> matches are taken out. Scripts and styles are not read.
    /// </summary>
    public static void AssertNone(string html, IReadOnlySet<string> allowed, IEnumerable<string>? data = null,
        string ignorePattern = NumbersAndAddresses)
    {
        var visible = Regex.Replace(html, "<(script|style)[^>]*>.*?</\\1>", " ", RegexOptions.Singleline);
        var text = string.Join(" ", TagText().Matches(visible).Select(m => m.Groups[1].Value)
            .Concat(AttributeText().Matches(visible).Select(m => m.Groups[2].Value)));
        text = WebUtility.HtmlDecode(text);
        foreach (var item in (data ?? []).OrderByDescending(d => d.Length)) text = text.Replace(item, " ", StringComparison.Ordinal);
        text = Regex.Replace(text, ignorePattern, " ");
        var leftovers = Regex.Matches(text, "[A-Za-z]{2,}").Select(m => m.Value).Where(w => !allowed.Contains(w)).Distinct().ToList();
        Assert.True(leftovers.Count == 0, "English left on a Chinese page: " + string.Join(", ", leftovers));
    }

    [GeneratedRegex(">([^<]+)<")]
    private static partial Regex TagText();

    [GeneratedRegex("(placeholder|title|aria-label|alt)=\"([^\"]*)\"")]
    private static partial Regex AttributeText();
}

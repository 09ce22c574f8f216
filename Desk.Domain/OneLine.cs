namespace Desk.Domain;

/// <summary>
/// Names and subjects are one line of text: line breaks and other control characters (a mail's encoded-word may carry
/// CR LF, a form field a tab) would break a greeting, a mail's header or a table row, so each run of them and of white
/// space becomes one space.
/// </summary>
public static class OneLine
{
    /// <summary><paramref name="text"/> with every run of control characters, line separators and white space folded to one space, trimmed.</summary>
    public static string Of(string text)
    {
        var folded = new System.Text.StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c) || c is '\u2028' or '\u2029')
            {
                space = true;
                continue;
            }
            if (space && folded.Length > 0) folded.Append(' ');
            space = false;
            folded.Append(c);
        }
        return folded.ToString();
    }
}

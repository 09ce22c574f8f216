using System.Net;
using System.Text.RegularExpressions;

namespace Desk.Tests.Cluster;

/// <summary>
/// The hidden inputs of a form in a page, as a browser posts them back: the antiforgery token and whatever else the form
/// carries (a ticket's version, a one-time submission token), whatever they are named.
/// </summary>
public static partial class HiddenInputs
{
    /// <summary>
    /// The hidden inputs of the form that posts to <paramref name="action"/>, by its action or a button's formaction (the
    /// first form when null).
    /// </summary>
    public static Dictionary<string, string> Of(string html, string? action = null)
    {
        var forms = FormElement().Matches(html).Where(f => action is null
            || string.Equals(WebUtility.HtmlDecode(Attribute(f.Groups["open"].Value, "action")), action, StringComparison.OrdinalIgnoreCase)
            || f.Value.Contains($"formaction=\"{action}\"", StringComparison.OrdinalIgnoreCase));
        var form = forms.FirstOrDefault() ?? throw new InvalidOperationException($"No form{(action is null ? "" : " posting to " + action)} in the page.");
        var fields = new Dictionary<string, string>();
        foreach (Match input in InputElement().Matches(form.Value))
        {
            if (!string.Equals(Attribute(input.Value, "type"), "hidden", StringComparison.OrdinalIgnoreCase)) continue;
            if (Attribute(input.Value, "name") is { Length: > 0 } name)
                fields[WebUtility.HtmlDecode(name)] = WebUtility.HtmlDecode(Attribute(input.Value, "value") ?? "");
        }
        return fields;
    }

    private static string? Attribute(string element, string name)
    {
        var match = Regex.Match(element, $"""\s{name}="([^"]*)" """.TrimEnd(), RegexOptions.IgnoreCase);
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex("""(?<open><form\b[^>]*>).*?</form>""", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex FormElement();

    [GeneratedRegex("""<input\b[^>]*>""", RegexOptions.IgnoreCase)]
    private static partial Regex InputElement();
}

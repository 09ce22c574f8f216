using System.Net;
using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Ganss.Xss;

namespace Desk.Web.Email.Intake;

/// <summary>The one configured HtmlSanitizer (thread-safe for sanitising) and the desk's rules around it.</summary>
internal static class Sanitizer
{
    public const string LinkRel = "noopener noreferrer nofollow";

    /// <summary>Removed with everything inside them before sanitising: their content is code, styling or controls,
    /// never the customer's words. Other disallowed tags are unwrapped (their text kept).</summary>
    private const string RemovedWithContent =
        "script, style, title, head, template, noscript, iframe, frame, frameset, object, embed, applet, svg, math, select, "
        + "textarea, input, button, audio, video, source, track, canvas, noembed, noframes, param, link, meta, base, portal, xml, map, dialog";

    private static readonly HtmlSanitizer Instance = Create();

    private static HtmlSanitizer Create()
    {
        var sanitizer = new HtmlSanitizer { KeepChildNodes = true };
        sanitizer.AllowedSchemes.Clear();
        foreach (var scheme in new[] { "http", "https", "mailto", "cid" })
            sanitizer.AllowedSchemes.Add(scheme);
        foreach (var tag in new[] { "form", "input", "button", "select", "option", "optgroup", "textarea", "label", "fieldset", "legend",
                     "datalist", "output", "keygen", "audio", "video", "source", "track", "map", "area", "style", "link", "meta", "base",
                     "iframe", "frame", "object", "embed", "svg", "math", "dialog", "menu", "menuitem", "picture" })
            sanitizer.AllowedTags.Remove(tag);
        // id/name clobber the page's DOM; class picks up the desk's own styles (a fake button or alert).
        foreach (var attribute in new[] { "id", "name", "class", "srcset", "sizes", "background", "target", "rel", "action", "formaction",
                     "method", "ping", "usemap", "ismap", "poster", "autofocus", "tabindex", "accesskey", "contenteditable", "draggable",
                     "form", "longdesc", "cite" })
            sanitizer.AllowedAttributes.Remove(attribute);
        // Positioning lets a mail lay itself over the desk's own controls.
        foreach (var property in new[] { "position", "z-index", "top", "right", "bottom", "left", "inset", "float", "cursor",
                     "pointer-events", "content", "behavior", "-moz-binding", "clip", "clip-path", "transform", "filter" })
            sanitizer.AllowedCssProperties.Remove(property);
        sanitizer.AllowedAtRules.Clear();
        sanitizer.FilterUrl += (_, e) => e.SanitizedUrl = Allowed(e.Tag, e.OriginalUrl, e.SanitizedUrl);
        return sanitizer;
    }

    /// <summary>Links (an a/area element's own href) may go to http(s) and mailto; pictures (an img element's own src)
    /// may only come from the mail (cid:). Every other URL — remote pictures, CSS backgrounds, relative URLs that
    /// would point at the desk itself — is dropped.</summary>
    private static string? Allowed(IElement element, string original, string? sanitized)
    {
        if (sanitized is null || !Uri.TryCreate(sanitized.Trim(), UriKind.Absolute, out var uri))
            return null;
        var own = original.Trim();
        return element.LocalName switch
        {
            "a" when uri.Scheme is "http" or "https" or "mailto" && string.Equals(element.GetAttribute("href")?.Trim(), own, StringComparison.Ordinal) => sanitized,
            "img" when uri.Scheme == "cid" && string.Equals(element.GetAttribute("src")?.Trim(), own, StringComparison.Ordinal) => sanitized,
            _ => null,
        };
    }

    public static string Sanitize(string html) => Sanitize(html, out _);

    /// <param name="tooDeep">True when the HTML nests too deep to parse or walk, and the result is its rough text.</param>
    /// <param name="contentIdForLocation">The Content-ID of the mail's picture a src names by Content-Location, or
    /// null; such pictures are pointed at cid: before sanitising, so they are kept like cid: ones.</param>
    public static string Sanitize(string html, out bool tooDeep, Func<string, string?>? contentIdForLocation = null)
    {
        tooDeep = HtmlNesting.TooDeep(html);
        if (tooDeep)
            return FromPlainText(HtmlNesting.RoughText(html));
        var document = Instance.HtmlParserFactory().ParseDocument(html);
        if (HtmlNesting.TooDeep(document))
        {
            tooDeep = true;
            return FromPlainText(HtmlNesting.RoughText(html));
        }
        foreach (var element in document.QuerySelectorAll(RemovedWithContent).ToList())
            element.Remove();
        if (contentIdForLocation is not null)
            foreach (var image in document.QuerySelectorAll("img[src]"))
                if (ContentIdOf(image.GetAttribute("src")) is null && contentIdForLocation(image.GetAttribute("src")!) is { } id)
                    image.SetAttribute("src", "cid:" + Uri.EscapeDataString(id));
        var body = document.Body;
        if (body is null)
            return "";
        Instance.SanitizeDom(document, body);
        foreach (var element in body.QuerySelectorAll("a, img").ToList())
        {
            if (element.LocalName == "img")
            {
                if (ContentIdOf(element.GetAttribute("src")) is null)
                    ReplaceByAltText(element);
            }
            else if (element.HasAttribute("href"))
            {
                element.SetAttribute("rel", LinkRel);
                element.SetAttribute("target", "_blank");
            }
        }
        return body.ChildNodes.ToHtml(Instance.OutputFormatter).Trim();
    }

    public static string FromPlainText(string text) =>
        "<div style=\"white-space: pre-wrap\">" + WebUtility.HtmlEncode(text.Replace("\r\n", "\n", StringComparison.Ordinal)) + "</div>";

    public static IHtmlDocument Parse(string safeHtml) => new AngleSharp.Html.Parser.HtmlParser().ParseDocument(safeHtml);

    /// <summary>The Content-ID a cid: URL names (RFC 2392: percent-encoded, no angle brackets), or null.</summary>
    public static string? ContentIdOf(string? src)
    {
        if (src is null || !src.TrimStart().StartsWith("cid:", StringComparison.OrdinalIgnoreCase))
            return null;
        string id;
        try
        {
            id = Uri.UnescapeDataString(src.Trim()[4..]);
        }
        catch (UriFormatException)
        {
            id = src.Trim()[4..];
        }
        id = id.Trim().TrimStart('<').TrimEnd('>');
        return id.Length == 0 ? null : id;
    }

    public static HashSet<string> ContentIdsShown(string safeHtml)
    {
        var shown = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var image in Parse(safeHtml).QuerySelectorAll("img"))
            if (ContentIdOf(image.GetAttribute("src")) is { } id)
                shown.Add(id);
        return shown;
    }

    public static void ReplaceByAltText(IElement image)
    {
        var alt = image.GetAttribute("alt")?.Trim();
        if (!string.IsNullOrEmpty(alt) && image.Owner is { } owner)
            image.Replace(owner.CreateTextNode(alt));
        else
            image.Remove();
    }
}

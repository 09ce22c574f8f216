using System.Net;
using Desk.Web.Email.Intake;
using Markdig;

namespace Desk.Web.Email.Outbound;

/// <summary>
/// Agents write replies and notes in a simple Markdown (bold, italics, lists, links, quotes, code). The typed text is what is
/// stored and what the mail's plain-text part carries; the HTML is made from it by Markdig with raw HTML turned off, then
/// passed through the same sanitiser as customers' HTML mail (no scripts, no remote pictures, links opened apart).
/// </summary>
public static class ReplyMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()                       // typed <tags> stay text
        .UseEmphasisExtras()                 // ~~strike~~
        .UseAutoLinks()                      // a bare https://… becomes a link
        .UsePipeTables()
        .UseSoftlineBreakAsHardlineBreak()   // a line break typed is a line break shown, as agents expect from a text box
        .Build();

    /// <summary>Sanitised HTML for <paramref name="markdown"/>; safe to write into a page or a mail as is.</summary>
    public static string ToSafeHtml(string markdown) => Sanitizer.Sanitize(Markdown.ToHtml(markdown, Pipeline));

    /// <summary>Plain text as HTML with its line breaks kept (a signature, the desk's closing lines).</summary>
    public static string PlainToHtml(string text) =>
        WebUtility.HtmlEncode(text.Replace("\r\n", "\n", StringComparison.Ordinal)).Replace("\n", "<br>", StringComparison.Ordinal);
}

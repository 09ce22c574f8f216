using System.Net;
using Desk.Web.Email.Intake;
using Markdig;
using Microsoft.Extensions.Caching.Memory;

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

    /// <summary>
    /// What <see cref="ToSafeHtml"/> made, by the text it was made from: a ticket page shows every reply and note of its
    /// conversation on each view, and the sanitiser's parse was three fifths of what the page allocated. The result
    /// depends on the text alone; at most <see cref="KeptCharacters"/> characters of HTML are kept (least used go first).
    /// </summary>
    private static readonly Microsoft.Extensions.Caching.Memory.MemoryCache Made = new(new Microsoft.Extensions.Caching.Memory.MemoryCacheOptions
    {
        SizeLimit = KeptCharacters,
        CompactionPercentage = 0.25,
    });

    /// <summary>How much HTML <see cref="ToSafeHtml"/> keeps (characters, about twice as many bytes).</summary>
    public const long KeptCharacters = 16L * 1024 * 1024;

    /// <summary>Sanitised HTML for <paramref name="markdown"/>; safe to write into a page or a mail as is.</summary>
    public static string ToSafeHtml(string markdown)
    {
        if (Made.TryGetValue(markdown, out string? made) && made is not null) return made;
        made = Sanitizer.Sanitize(Markdown.ToHtml(markdown, Pipeline));
        Made.Set(markdown, made, new Microsoft.Extensions.Caching.Memory.MemoryCacheEntryOptions { Size = made.Length + markdown.Length });
        return made;
    }

    /// <summary>Plain text as HTML with its line breaks kept (a signature, the desk's closing lines).</summary>
    public static string PlainToHtml(string text) =>
        WebUtility.HtmlEncode(text.Replace("\r\n", "\n", StringComparison.Ordinal)).Replace("\n", "<br>", StringComparison.Ordinal);
}

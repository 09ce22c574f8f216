using System.Text;
using Desk.Web.Email.Intake;
using static Desk.Tests.Support.MailSamples;

namespace Desk.Tests.Email;

/// <summary>
/// <c>HtmlNesting</c>: HTML nested absurdly deep is shown as text after one linear pass, so a mail cannot stall the poller.
/// </summary>
public sealed class HtmlNestingTests
{
    [Fact]
    public void Extract_HtmlNestedAHundredThousandDeep_IsShownAsTextQuicklyWithANote()
    {
        var html = string.Concat(Enumerable.Repeat("<div>", 100_000)) + "deep <script>alert(1)</script>" + string.Concat(Enumerable.Repeat("</div>", 100_000));
        var raw = Mail("Content-Type: text/html; charset=utf-8", Encoding.UTF8.GetBytes(html));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var body = MailContent.Extract(MailContent.Parse(raw));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}"); // parsing it would take minutes
        Assert.Equal("deep", body.Text);
        Assert.Equal("<div style=\"white-space: pre-wrap\">deep</div>", body.Html);
        Assert.Contains(body.Notes, n => n.Contains("nests more than", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("<div></span>", "")]         // end tags that close nothing do not make it shallower
    [InlineData("<b><div></b>", "")]         // a formatting element's end leaves the block opened inside it open
    [InlineData("<style>", "")]              // raw-text elements that never end
    [InlineData("<div>\n \n", "")]           // blank runs that a backtracking pattern would chew on
    [InlineData("<table><tr><td>", "</td>")]
    public void Extract_HtmlNestedDeepInDisguise_IsShownAsTextQuicklyWithANote(string open, string close)
    {
        var html = "<p>before</p>" + string.Concat(Enumerable.Repeat(open, 100_000)) + "deep" + string.Concat(Enumerable.Repeat(close, 100_000));
        var raw = Mail("Content-Type: text/html; charset=utf-8", Encoding.UTF8.GetBytes(html));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var body = MailContent.Extract(MailContent.Parse(raw));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}"); // parsing it took over a minute
        Assert.StartsWith("before", body.Text, StringComparison.Ordinal);
        Assert.StartsWith("<div style=\"white-space: pre-wrap\">before", body.Html, StringComparison.Ordinal);
        Assert.Contains(body.Notes, n => n.Contains("nests more than", StringComparison.Ordinal));
        if (open != "<style>") Assert.EndsWith("deep", body.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void SanitizeHtml_OrdinaryNesting_IsParsedNormally()
    {
        var html = string.Concat(Enumerable.Repeat("<div><p>x", 300)) + string.Concat(Enumerable.Repeat("</p></div>", 300));

        Assert.StartsWith("<div><p>x</p><div><p>x", MailContent.SanitizeHtml(html), StringComparison.Ordinal);
    }
}

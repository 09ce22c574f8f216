using System.Text;
using Desk.Web.Email.Intake;
using Xunit.Abstractions;
using static Desk.Tests.Support.MailSamples;

namespace Desk.Tests.Email;

/// <summary>
/// <c>Sanitizer</c>: customer HTML made safe to show, and its <c>cid:</c> pictures pointed at the desk.
/// </summary>
public sealed class SanitizerTests(ITestOutputHelper output)
{
    private const string HostileHtml =
        "<p onclick=\"steal()\">Hello <b>agent</b></p>"
        + "<script>alert(1)</script>"
        + "<img src=\"x\" onerror=\"alert(2)\" alt=\"broken\">"
        + "<a href=\"javascript:alert(3)\">click</a> "
        + "<a href=\"https://example.com/order?id=1\">order</a> "
        + "<a href=\"mailto:shop@example.com\">mail us</a> "
        + "<a href=\"/admin/users/1/delete\">relative</a>"
        + "<iframe src=\"https://evil.example/\"></iframe>"
        + "<img src=\"https://tracker.example/pixel.gif?u=42\" alt=\"Shop logo\" width=\"1\" height=\"1\">"
        + "<img src=\"cid:photo1@desk\" alt=\"my broken kettle\">"
        + "<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"inline data\">"
        + "<form action=\"https://evil.example/login\"><input name=\"password\"><button>Log in</button></form>"
        + "<object data=\"x.swf\"></object><embed src=\"x.swf\">"
        + "<div style=\"position:fixed;top:0;left:0;background:url(https://tracker.example/bg.png);color:red\" class=\"btn btn-danger\" id=\"logout\">styled</div>"
        + "<svg><script>alert(4)</script></svg><style>body{display:none}</style>"
        + "<a href=\"  JaVaScRiPt:alert(5)\">sneaky</a><a href=\"data:text/html,<script>alert(6)</script>\">data link</a>";

    [Fact]
    public void SanitizeHtml_HostileHtml_KeepsTextLinksAndCidPicturesOnly()
    {
        var safe = MailContent.SanitizeHtml(HostileHtml);
        output.WriteLine(safe);

        AssertInert(safe);
        Assert.Contains("Hello <b>agent</b>", safe, StringComparison.Ordinal);
        Assert.DoesNotContain("<iframe", safe, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<form", safe, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<input", safe, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<object", safe, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<embed", safe, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<style", safe, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("tracker.example", safe, StringComparison.Ordinal);
        Assert.DoesNotContain("data:", safe, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"[\s;""]position\s*:", safe);
        Assert.DoesNotContain("btn", safe, StringComparison.Ordinal);
        Assert.DoesNotContain("logout", safe, StringComparison.Ordinal);
        Assert.DoesNotContain("/admin/", safe, StringComparison.Ordinal);
        Assert.Contains("Shop logo", safe, StringComparison.Ordinal); // the tracking pixel's alt text stays
        Assert.Contains("broken", safe, StringComparison.Ordinal);
        Assert.Contains("<img src=\"cid:photo1@desk\" alt=\"my broken kettle\">", safe, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://example.com/order?id=1\" rel=\"noopener noreferrer nofollow\" target=\"_blank\">order</a>", safe, StringComparison.Ordinal);
        Assert.Contains("<a href=\"mailto:shop@example.com\" rel=\"noopener noreferrer nofollow\" target=\"_blank\">mail us</a>", safe, StringComparison.Ordinal);
        Assert.Contains("color: rgba(255, 0, 0, 1)", safe, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_HostileHtmlMail_StoresOnlySanitisedHtml()
    {
        var raw = Mail("Content-Type: text/html; charset=utf-8", Encoding.UTF8.GetBytes(HostileHtml));

        var body = MailContent.Extract(MailContent.Parse(raw));

        AssertInert(body.Html);
        Assert.DoesNotContain("alert", body.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("display:none", body.Text, StringComparison.Ordinal);
        Assert.Contains("Hello agent", body.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveInlineImages_CidPictures_PointAtTheDeskOrFallBackToAltText()
    {
        var safe = MailContent.SanitizeHtml("<p>Photo: <img src=\"cid:photo1@desk\" alt=\"kettle\"> and <img src=\"cid:gone@desk\" alt=\"lost one\"><img src=\"cid:gone2@desk\"></p>");

        var resolved = MailContent.ResolveInlineImages(safe, id => id == "photo1@desk" ? "/tickets/7/attachments/12" : null);

        Assert.Equal("<p>Photo: <img src=\"/tickets/7/attachments/12\" alt=\"kettle\"> and lost one</p>", resolved);
    }

    [Fact]
    public void ResolveInlineImages_UrlWithForeignScheme_IsNotUsed()
    {
        var safe = MailContent.SanitizeHtml("<img src=\"cid:a@b\" alt=\"x\">");

        Assert.Equal("x", MailContent.ResolveInlineImages(safe, _ => "javascript:alert(1)"));
    }
}

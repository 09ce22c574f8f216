using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Desk.Web.Features;

/// <summary>
/// The headers every response carries: no framing (X-Frame-Options DENY and CSP frame-ancestors 'none', against
/// click-jacking), no MIME sniffing, and a Content-Security-Policy that runs only the desk's own scripts and the inline
/// scripts its views wrote in this response (a per-response nonce, see <see cref="ScriptNonceTagHelper"/>).
/// Before, the only X-Frame-Options came from the antiforgery system, which adds one only when it issues a new
/// antiforgery cookie: the first page of a visit was protected, the pages after it were not.
/// A download or a mail's HTML replaces the policy with a stricter sandbox of its own.
/// </summary>
public static class SecurityHeaders
{
    private const string NonceKey = "Desk.ScriptNonce";

    public static IApplicationBuilder UseDeskSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)); // hex: nothing for HTML to encode
        context.Items[NonceKey] = nonce;
        var headers = context.Response.Headers;
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        // Inline styles stay allowed: the views' style attributes, and the diagram library's generated <style>.
        headers.ContentSecurityPolicy = $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; " +
            "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
        return next(context);
    });

    /// <summary>This response's script nonce (one per response, never reused).</summary>
    public static string ScriptNonce(HttpContext context) => context.Items[NonceKey] as string ?? "";
}

/// <summary>Gives every script a view writes this response's nonce, so the policy runs it and nothing injected.</summary>
[HtmlTargetElement("script")]
public sealed class ScriptNonceTagHelper : TagHelper
{
    [ViewContext, HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        // A data block (type="application/json", "text/plain") never runs: it needs no nonce.
        if (output.Attributes["type"]?.Value?.ToString() is { } type && type is not ("text/javascript" or "module")) return;
        output.Attributes.SetAttribute("nonce", SecurityHeaders.ScriptNonce(ViewContext.HttpContext));
    }
}

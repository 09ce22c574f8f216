using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Mvc.TagHelpers;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Desk.Web.Features.Shared;

/// <summary>
/// A field bound with <c>asp-for</c> that the last post got wrong says so itself: it is marked (<c>aria-invalid</c>,
/// Bootstrap's <c>is-invalid</c>) and its message is written right under it and tied to it (<c>aria-describedby</c>),
/// so a screen reader reads the message with the field rather than only in the summary at the top.
/// </summary>
[HtmlTargetElement("input", Attributes = ForAttribute)]
[HtmlTargetElement("select", Attributes = ForAttribute)]
[HtmlTargetElement("textarea", Attributes = ForAttribute)]
public sealed class FieldErrorTagHelper : TagHelper
{
    private const string ForAttribute = "asp-for";

    /// <summary>After the framework's input, select and textarea helpers, which write the id and name.</summary>
    public override int Order => 100;

    [HtmlAttributeName(ForAttribute)]
    public ModelExpression For { get; set; } = null!;

    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var name = ViewContext.ViewData.TemplateInfo.GetFullHtmlFieldName(For.Name);
        if (ViewContext.ViewData.ModelState.TryGetValue(name, out var entry) is false || entry.Errors.Count == 0) return;
        if (output.Attributes["type"]?.Value?.ToString() is "hidden") return;
        var id = output.Attributes["id"]?.Value?.ToString() ?? TagBuilder.CreateSanitizedId(name, "_");
        var messageId = id + "-error";
        output.Attributes.SetAttribute("aria-invalid", "true");
        var described = output.Attributes["aria-describedby"]?.Value?.ToString();
        output.Attributes.SetAttribute("aria-describedby", string.IsNullOrEmpty(described) ? messageId : described + " " + messageId);
        output.AddClass("is-invalid", HtmlEncoder.Default);
        var message = entry.Errors.Select(e => e.ErrorMessage).FirstOrDefault(m => !string.IsNullOrEmpty(m)) ?? "";
        output.PostElement.AppendHtml($"<div class=\"invalid-feedback d-block\" id=\"{HtmlEncoder.Default.Encode(messageId)}\">");
        output.PostElement.Append(message);
        output.PostElement.AppendHtml("</div>");
    }
}

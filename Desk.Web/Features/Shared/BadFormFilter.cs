using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Desk.Web.Features.Shared;

/// <summary>
/// A form the desk cannot take is the sender's mistake, not the desk's: a 400 page that says what was wrong, logged as
/// information. Runs on every MVC action before the antiforgery check (which reads the form too, and turns a form it
/// cannot read into a bare "bad request") and after [RequestSizeLimit]/[RequestFormLimits] have set an action's own
/// limits (order 900). Refused: a NUL character anywhere in the query or the form (PostgreSQL cannot store one, and no
/// person types one), a form over its limits (a field over 4 MB, a post over the upload limit), a form that is not one.
/// </summary>
internal sealed class BadFormFilter(ILogger<BadFormFilter> log) : IAsyncAuthorizationFilter
{
    public const string Nul = "The form contains a character that cannot be taken (a NUL, character 0). Nothing was saved; remove it and send the form again.";
    public const string TooLarge = "What you sent is too large to be taken: at most 5 files of 10 MB each, and no field longer than 4 million characters. Nothing was saved; please send it again with less.";
    public const string Unreadable = "The form could not be read. Nothing was saved; reload the page and send it again.";

    /// <summary>After [RequestSizeLimit] and [RequestFormLimits] (900), before [AutoValidateAntiforgeryToken] (1000).</summary>
    public const int Order = 950;

    public async Task OnAuthorizationAsync(AuthorizationFilterContext context)
    {
        var http = context.HttpContext;
        var refusal = HasNul(http.Request.Query) ? Nul : null;
        string? reason = null;
        if (refusal is null && http.Request.HasFormContentType)
        {
            try
            {
                var form = await http.Request.ReadFormAsync(http.RequestAborted);
                if (HasNul(form) || form.Files.Any(f => f.FileName.Contains('\0') || f.Name.Contains('\0'))) refusal = Nul;
            }
            catch (InvalidDataException e) // FormReader's and the multipart reader's limits, or a broken multipart body
            {
                reason = e.Message;
                refusal = e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase) ? TooLarge
                    : e.Message.Contains("invalid characters", StringComparison.OrdinalIgnoreCase) ? Nul // a URL-encoded form's NUL
                    : Unreadable;
            }
            catch (BadHttpRequestException e) // Kestrel: over the request's body size, or a body cut short
            {
                reason = e.Message;
                refusal = e.StatusCode == StatusCodes.Status413PayloadTooLarge ? TooLarge : Unreadable;
            }
        }
        if (refusal is null) return;
        log.LogInformation("Refused a form posted to {Path} ({Reason}): {Refusal}", http.Request.Path, reason ?? "NUL", refusal);
        context.Result = Page(http, StatusCodes.Status400BadRequest, refusal);
    }

    /// <summary>The desk's error page with <paramref name="message"/> (localised by the view).</summary>
    public static ViewResult Page(HttpContext http, int status, string message) => new()
    {
        ViewName = "Error",
        StatusCode = status,
        ViewData = new ViewDataDictionary<ErrorModel>(http.RequestServices.GetRequiredService<IModelMetadataProvider>(), new ModelStateDictionary())
        {
            Model = new ErrorModel(status, message),
        },
    };

    private static bool HasNul(IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> fields)
    {
        foreach (var (key, values) in fields)
        {
            if (key.Contains('\0')) return true;
            foreach (var value in values) if (value is not null && value.Contains('\0')) return true;
        }
        return false;
    }
}

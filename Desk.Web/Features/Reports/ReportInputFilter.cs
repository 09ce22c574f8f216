using Desk.Web.Features.Reports.RootCauses;
using System.Globalization;
using Desk.Domain;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.Extensions.Localization;

namespace Desk.Web.Features.Reports;

/// <summary>A report's filters it cannot use, said on a page of their own with the way back to the report.</summary>
public sealed record ReportInputPage(string Message, string ReportUrl);

/// <summary>
/// Checks a report's filters before it runs: dates from <see cref="FirstDay"/> to <see cref="LastDay"/> and a
/// minimum value from 0 to <see cref="Money.MaxAmount"/>; a value that does not read as a date or a number at all
/// counts as out of range too. Outside, the page answers 400 with the message and a link to the report without filters
/// (a CSV answers 400 in one line), instead of running SQL on a date past year 9999 or a sum past 64 bits.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ReportInputFilterAttribute : Attribute, IActionFilter
{
    public static readonly DateOnly FirstDay = new(2000, 1, 1), LastDay = new(2100, 12, 31);

    public void OnActionExecuting(ActionExecutingContext context)
    {
        var problem = Problem(context.ActionArguments.Values, context.ModelState);
        if (problem is null) return;
        var text = context.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
        var message = text[problem.Value.Template, problem.Value.Arguments].Value;
        var request = context.HttpContext.Request;
        if (Downloads.ReportFile.IsDownload(request.Path))
        {
            context.Result = new ContentResult { StatusCode = StatusCodes.Status400BadRequest, ContentType = "text/plain; charset=utf-8", Content = message };
            return;
        }
        context.Result = new ViewResult
        {
            ViewName = "ReportInput",
            StatusCode = StatusCodes.Status400BadRequest,
            ViewData = new ViewDataDictionary(new EmptyModelMetadataProvider(), context.ModelState)
            {
                Model = new ReportInputPage(message, request.Path),
            },
        };
    }

    public void OnActionExecuted(ActionExecutedContext context) { }

    /// <summary>The first filter out of range, as an English template and its arguments; null when all can be used.</summary>
    public static (string Template, object[] Arguments)? Problem(IEnumerable<object?> arguments, ModelStateDictionary modelState)
    {
        var dates = (FirstDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), LastDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        foreach (var (key, entry) in modelState)
            if (entry.ValidationState == ModelValidationState.Invalid)
                return ("The filter {0} is not a value the report can use.", [key]);
        foreach (var argument in arguments)
        {
            var (from, to) = argument switch
            {
                ReportFilterForm f => (f.From, f.To),
                ParetoForm f => (f.From, f.To),
                _ => (null, null),
            };
            foreach (var day in new[] { from, to })
                if (day is { } d && (d < FirstDay || d > LastDay))
                    return ("Dates in a report's filters run from {0} to {1}.", [dates.Item1, dates.Item2]);
            if (argument is decimal minimum && !Money.InRange(minimum))
                return ("The minimum value runs from 0 to {0}.", [Money.MaxAmount.ToString("N0", CultureInfo.InvariantCulture)]);
        }
        return null;
    }
}

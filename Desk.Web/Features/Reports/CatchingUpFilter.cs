using Desk.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.Extensions.Options;

namespace Desk.Web.Features.Reports;

/// <summary>How many customers' outcomes the reports are still bringing up to date, for the page that says so.</summary>
public sealed record CatchingUpPage(long Customers, string ReturnUrl);

/// <summary>
/// Before a report is read (GET), the customers waiting to be brought up to date are counted: above
/// <see cref="ReportsOptions.CatchUpAbove"/>, the page answers 503 with a Retry-After and a page that says what is
/// happening and reloads itself (a CSV answers the same in one line), while the background refresher catches up.
/// </summary>
public sealed class CatchingUpFilter(DeskDbContext db, IOptions<ReportsOptions> options, IOptions<Desk.Domain.Loyalty.LoyaltyThresholds> thresholds,
    ReportOutcomesRefresher refresher) : IAsyncActionFilter
{
    public const int RetryAfterSeconds = 5;

    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        var request = context.HttpContext.Request;
        if (!HttpMethods.IsGet(request.Method) || !refresher.CatchingUp)
        {
            await next();
            return;
        }
        var waiting = await ReportOutcomes.BacklogAsync(db, context.HttpContext.RequestAborted, thresholds.Value);
        if (waiting <= options.Value.CatchUpAbove)
        {
            await next();
            return;
        }
        context.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (Downloads.ReportFile.IsDownload(request.Path))
        {
            context.Result = new ContentResult
            {
                StatusCode = StatusCodes.Status503ServiceUnavailable, ContentType = "text/plain; charset=utf-8",
                Content = $"The reports are being brought up to date ({waiting} customers to go). Try again in a minute.",
            };
            return;
        }
        context.Result = new ViewResult
        {
            ViewName = "CatchingUp",
            StatusCode = StatusCodes.Status503ServiceUnavailable,
            ViewData = new ViewDataDictionary(new EmptyModelMetadataProvider(), context.ModelState)
            {
                Model = new CatchingUpPage(waiting, request.Path + request.QueryString),
            },
        };
    }
}

using Desk.Web.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Desk.Web.Features.Shared;

[AllowAnonymous]
public sealed class ErrorController(IDeskDatabaseProvider database) : Controller
{
    public const string CannotSave = "The desk cannot save right now. Nothing was saved; try again in a minute.";

    /// <summary>
    /// The page for a status, re-executed by the status-code and exception middleware. It binds nothing: a re-executed
    /// POST whose form could not be read would fail binding again and show a 400 as a 500. A failure of the database to
    /// take a write (read-only, full, gone) is a 503 that asks to try again, not a 500.
    /// </summary>
    [Route("error/{status:int?}")]
    [IgnoreAntiforgeryToken]
    public IActionResult Index()
    {
        var code = int.TryParse(RouteData.Values["status"] as string, out var status) ? status : StatusCodes.Status500InternalServerError;
        if (code == StatusCodes.Status500InternalServerError
            && HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error is { } error && database.IsUnavailable(error))
        {
            code = StatusCodes.Status503ServiceUnavailable;
            Response.Headers.RetryAfter = "60";
        }
        Response.StatusCode = code;
        return View("Error", new ErrorModel(code, code switch
        {
            404 => "There is nothing here. Check the address; a private link must be copied whole.",
            400 => "The request could not be understood. Reload the page and try again.",
            403 => "You may not see this page.",
            503 => CannotSave,
            _ => "Something went wrong on our side. It has been logged; try again in a moment.",
        }));
    }
}

public sealed record ErrorModel(int Status, string Message);

using Desk.Domain;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Desk.Web.Features.Bulk;

/// <summary>The queue's bulk bar: one step on the chosen tickets; the answer lists what was done and, per ticket, what was refused.</summary>
[Authorize(Policy = DeskPolicies.WorksTickets)]
public sealed class BulkController(BulkSteps bulk, IStringLocalizer<SharedResource> text) : Controller
{
    [HttpPost("/queue/bulk")]
    public async Task<IActionResult> Run(BulkForm form, CancellationToken ct)
    {
        try
        {
            return View("Result", new BulkPage(await bulk.RunAsync(form, User.Identity!.Name!, ct), null));
        }
        catch (DomainException e)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Result", new BulkPage(new BulkOutcome(form, [], []), text.Localize(e)));
        }
    }
}

/// <summary>The bulk step's answer: its outcome, or why nothing was done at all.</summary>
public sealed record BulkPage(BulkOutcome Outcome, string? Error)
{
    /// <summary>The step's name, as the bulk bar offers it.</summary>
    public static string StepLabel(BulkStep step) => step switch
    {
        BulkStep.Assign => "Assign",
        BulkStep.Escalate => "Escalate",
        BulkStep.SetSeverity => "Set severity",
        BulkStep.Merge => "Merge into",
        BulkStep.RejectAsSpam => "Reject as spam",
        _ => step.ToString(),
    };
}

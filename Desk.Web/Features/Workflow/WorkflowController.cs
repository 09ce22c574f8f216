using System.Globalization;
using System.Text;
using Desk.Domain.Tickets;
using Desk.Web.Features.Shared;
using Desk.Web.Features.Tickets;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Desk.Web.Features.Workflow;

/// <summary>The ticket workflow for people: the diagram generated from the state machine, and the same as a table.</summary>
[Authorize(Policy = DeskPolicies.WorksTickets)]
public sealed class WorkflowController(IStringLocalizer<SharedResource> text) : Controller
{
    [HttpGet("/workflow")]
    public IActionResult Index()
    {
        var transitions = Ticket.WorkflowTransitions();
        return View(new WorkflowPage(DiagramInWords(transitions, text), transitions));
    }

    /// <summary>
    /// The machine's diagram with the states, steps and guards in the reader's words ("In progress", "Ask the customer",
    /// not InProgress and RequestInfo), in either language: built from the same transitions the machine reports, the
    /// states keeping their names as Mermaid ids. The checked-in docs/workflow.md stays the machine's own words.
    /// </summary>
    internal static string DiagramInWords(IReadOnlyList<WorkflowTransition> transitions, IStringLocalizer text)
    {
        var diagram = new StringBuilder("stateDiagram-v2\n");
        foreach (var state in Enum.GetValues<TicketState>())
            diagram.Append(CultureInfo.InvariantCulture, $"\tstate \"{Label(text[Badges.StateLabel(state)])}\" as {state}\n");
        foreach (var t in transitions)
        {
            var step = Label(text[TicketText.StepLabel(t.Trigger)]);
            var guard = t.Guard is null ? "" : $" [{Label(text[t.Guard])}]";
            diagram.Append(CultureInfo.InvariantCulture, $"\t{t.From} --> {t.To} : {step}{guard}\n");
        }
        return diagram.Append(CultureInfo.InvariantCulture, $"[*] --> {TicketState.New}\n").ToString();
    }

    // Mermaid reads quotes, semicolons and colons in labels as syntax.
    private static string Label(string words) => words.Replace("\"", "'", StringComparison.Ordinal)
        .Replace(";", "；", StringComparison.Ordinal).Replace(":", "：", StringComparison.Ordinal);
}

public sealed record WorkflowPage(string Mermaid, IReadOnlyList<WorkflowTransition> Transitions);

using Desk.Domain.Tickets;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Desk.Web.Features.Workflow;

/// <summary>The ticket workflow for people: the diagram generated from the state machine, and the same as a table.</summary>
[Authorize(Policy = DeskPolicies.WorksTickets)]
public sealed class WorkflowController : Controller
{
    [HttpGet("/workflow")]
    public IActionResult Index() => View(new WorkflowPage(Ticket.WorkflowDiagram(), Ticket.WorkflowTransitions()));
}

public sealed record WorkflowPage(string Mermaid, IReadOnlyList<WorkflowTransition> Transitions);

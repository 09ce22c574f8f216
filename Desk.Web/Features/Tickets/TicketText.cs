using Desk.Domain.Tickets;
using Desk.Web.Features.Shared;
using Microsoft.Extensions.Localization;

namespace Desk.Web.Features.Tickets;

/// <summary>How the ticket page's partials write a step, a time and a named value, one way for all of them.</summary>
public static class TicketText
{
    /// <summary>The label of a workflow step's button and audit row (a resource key, in English).</summary>
    public static string StepLabel(TicketTrigger step) => step switch
    {
        TicketTrigger.Acknowledge => "Acknowledge",
        TicketTrigger.Assess => "Assess severity and impact",
        TicketTrigger.Assign => "Assign",
        TicketTrigger.RequestInfo => "Ask the customer",
        TicketTrigger.CustomerReplied => "Record the customer's answer",
        TicketTrigger.Escalate => "Escalate",
        TicketTrigger.Resolve => "Resolve",
        TicketTrigger.StartFollowUp => "Start follow-up",
        TicketTrigger.Close => "Close",
        TicketTrigger.Reopen => "Reopen",
        TicketTrigger.Reject => "Reject",
        TicketTrigger.Merge => "Merge into another ticket",
        _ => step.ToString(),
    };

    /// <summary>A moment with how long ago or ahead it is; "—" for none.</summary>
    public static string When(DateTime? at, DateTime now, IStringLocalizer text) =>
        at is { } v ? $"{v:yyyy-MM-dd HH:mm} UTC ({Badges.Relative(v, now, text)})" : "—";

    /// <summary>An enum value in the reader's language; "—" for none.</summary>
    public static string Name(Enum? value, IStringLocalizer text) => value is null ? "—" : text[value.ToString()];
}

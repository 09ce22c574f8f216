using System.Text;
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

    /// <summary>What a conversation entry is, in people's words (a resource key, in English).</summary>
    public static string EntryLabel(ConversationEntryKind kind) => kind switch
    {
        ConversationEntryKind.Inbound => "Customer wrote",
        ConversationEntryKind.Outbound => "Reply to customer",
        ConversationEntryKind.InternalNote => "Internal note",
        ConversationEntryKind.SystemEvent => "Noted by the desk",
        _ => kind.ToString(),
    };

    /// <summary>
    /// A moment in the reader's time zone and culture, with how long ago or ahead it is; "—" for none.
    /// The one way the agent pages write a time (see <see cref="AgentTime"/>).
    /// </summary>
    public static string When(DateTime? at, DateTime now, IStringLocalizer text) =>
        at is { } v ? $"{AgentTime.Format(v)} ({Badges.Relative(v, now, text)})" : "—";

    /// <summary>
    /// An enum value in the reader's language; "—" for none. The English words come from the value's name split into
    /// words ("NotAComplaint" → "Not a complaint"), or from a label of its own (conversation entries, states); the
    /// translation is looked up under those words, then under the value's name.
    /// </summary>
    public static string Name(Enum? value, IStringLocalizer text)
    {
        if (value is null) return "—";
        var words = value switch
        {
            ConversationEntryKind kind => EntryLabel(kind),
            TicketState state => Badges.StateLabel(state),
            TicketTrigger step => StepLabel(step),
            _ => Words(value.ToString()),
        };
        var translated = text[words];
        if (!translated.ResourceNotFound) return translated;
        var byName = text[value.ToString()];
        return byName.ResourceNotFound ? words : byName;
    }

    /// <summary>"NotAComplaint" → "Not a complaint": a PascalCase name as a sentence-case phrase.</summary>
    public static string Words(string name)
    {
        var words = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (i > 0 && char.IsUpper(c))
                words.Append(' ').Append(char.ToLowerInvariant(c));
            else
                words.Append(c);
        }
        return words.ToString();
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using Desk.Domain.Tickets;
using Microsoft.Extensions.Localization;

namespace Desk.Web.Features.Tickets;

/// <summary>
/// An audit entry's comment in the reader's words. The domain writes the comments of its own steps in one fixed English
/// shape ("Remedy #2 (59.90), root cause #13", "Severity Major, impact High", "Assigned to bob"); this reads that shape
/// back and writes it with names (the remedy's and root cause's, as renamed since) in the reader's language. Rendering,
/// not rewriting: the stored trail stays as written, so old entries read the same way, and nothing is migrated. A comment
/// of another shape — what a person typed as a reason — is shown as typed.
/// </summary>
public static partial class AuditText
{
    public static string Comment(AuditEntry entry, TicketPage page, IStringLocalizer text)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(page);
        var comment = entry.Comment;
        if (comment is null) return "";
        switch (entry.Trigger)
        {
            case null when ReceivedBy().Match(comment) is { Success: true } m && Enum.TryParse<Channel>(m.Groups[1].Value, out var channel):
                return text["Received by {0}", TicketText.Name(channel, text)];
            case TicketTrigger.Assess when Assessed().Match(comment) is { Success: true } m
                                           && Enum.TryParse<Severity>(m.Groups[1].Value, out var severity) && Enum.TryParse<Impact>(m.Groups[2].Value, out var impact):
                var assessed = text["Severity {0}, impact {1}", TicketText.Name(severity, text), TicketText.Name(impact, text)].Value;
                return m.Groups[3].Success ? assessed + text[", safety risk"] : assessed;
            case TicketTrigger.Assign when AssignedTo().Match(comment) is { Success: true } m:
                return text["Assigned to {0}", m.Groups[1].Value];
            case TicketTrigger.Resolve when Resolved().Match(comment) is { Success: true } m:
                var remedy = int.TryParse(m.Groups[1].Value, CultureInfo.InvariantCulture, out var remedyId) ? page.RemedyName(remedyId) : "—";
                var cost = decimal.TryParse(m.Groups[2].Value, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount)
                    ? amount.ToString("N2", CultureInfo.CurrentCulture) : text["no cost"].Value;
                var cause = int.TryParse(m.Groups[3].Value, CultureInfo.InvariantCulture, out var causeId)
                    ? page.RootCauseNames.GetValueOrDefault(causeId, "—") : "—";
                return text["{0} (cost {1}), root cause: {2}", remedy, cost, cause];
            case TicketTrigger.StartFollowUp when FollowUpWindow().Match(comment) is { Success: true } m:
                return text["Follow-up window {0} days", m.Groups[1].Value];
            case TicketTrigger.Merge when MergedInto().Match(comment) is { Success: true } m:
                return text["Merged into {0}", m.Groups[1].Value];
            case TicketTrigger.Reject when Enum.TryParse<RejectionReason>(comment, out var reason) && Enum.IsDefined(reason):
                return TicketText.Name(reason, text);
            default:
                return comment == Ticket.Removed ? text["(removed)"] : comment;
        }
    }

    // The shapes the domain writes (Ticket.cs, Resolution.Summary, AuditEntry.Received); AuditTextTests keeps them in step.
    [GeneratedRegex(@"^Received by (\w+)$")]
    private static partial Regex ReceivedBy();

    [GeneratedRegex(@"^Severity (\w+), impact (\w+)(, safety risk)?$")]
    private static partial Regex Assessed();

    [GeneratedRegex(@"^Assigned to (.+)$", RegexOptions.Singleline)]
    private static partial Regex AssignedTo();

    [GeneratedRegex(@"^Remedy #(\d+|none) \(([0-9.]+|no cost)\), root cause #(\d+|none)$")]
    private static partial Regex Resolved();

    [GeneratedRegex(@"^Follow-up window ([0-9.]+) days$")]
    private static partial Regex FollowUpWindow();

    [GeneratedRegex(@"^Merged into (D-\d+)$")]
    private static partial Regex MergedInto();
}

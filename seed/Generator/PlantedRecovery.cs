using System.Globalization;
using System.Text;
using Desk.Domain.Recovery;
using Desk.Domain.Tickets;

namespace Desk.Seed;

/// <summary>
/// The repurchase probabilities the generator plants, so reports can be checked against a known truth.
/// </summary>
/// <remarks>
/// How the truth is defined (the reports must measure the same thing):
/// <list type="bullet">
/// <item>Window: <see cref="RepurchaseWindow"/> after the anchor; an anchor whose window has not ended by
/// the generator's "now" is pending and counts in no rate.</item>
/// <item>Complaints (kind Complaint, not rejected, not flagged repeat): the anchor is the resolution time
/// for resolved tickets (Resolved, FollowUp, Closed), the receipt for unresolved ones. Late means resolved
/// after the resolution due time. Repurchased = the customer placed an order in (anchor, anchor + window].</item>
/// <item>Did not complain: customers with orders and no ticket at all. The anchor is their first order;
/// its amount gives the row (at least <see cref="MajorLossAmount"/> is major, as TARP splits by potential
/// loss); repurchased = another order in (anchor, anchor + window].</item>
/// <item>Repeat complaints (a second failure) are planted lower, at <see cref="RepeatComplaint"/>,
/// and are not part of the matrix.</item>
/// </list>
/// The defaults are the TARP figures of DOMAIN.md: did not complain / complained, not satisfied /
/// satisfied / satisfied quickly.
/// </remarks>
public sealed record PlantedRecovery(
    double MinorDidNotComplain, double MinorNotResolved, double MinorResolvedLate, double MinorResolvedWithinTarget,
    double MajorDidNotComplain, double MajorNotResolved, double MajorResolvedLate, double MajorResolvedWithinTarget,
    double RepeatComplaint)
{
    public static readonly TimeSpan RepurchaseWindow = TimeSpan.FromDays(90);
    public const decimal MajorLossAmount = 100m;

    public static PlantedRecovery Tarp { get; } = new(
        0.37, 0.46, 0.70, 0.95,
        0.09, 0.19, 0.54, 0.82,
        RepeatComplaint: 0.15);

    public double Probability(Severity severity, RecoveryColumn column) => (severity, column) switch
    {
        (Severity.Minor, RecoveryColumn.DidNotComplain) => MinorDidNotComplain,
        (Severity.Minor, RecoveryColumn.ComplainedNotResolved) => MinorNotResolved,
        (Severity.Minor, RecoveryColumn.ResolvedLate) => MinorResolvedLate,
        (Severity.Minor, RecoveryColumn.ResolvedWithinTarget) => MinorResolvedWithinTarget,
        (Severity.Major, RecoveryColumn.DidNotComplain) => MajorDidNotComplain,
        (Severity.Major, RecoveryColumn.ComplainedNotResolved) => MajorNotResolved,
        (Severity.Major, RecoveryColumn.ResolvedLate) => MajorResolvedLate,
        (Severity.Major, RecoveryColumn.ResolvedWithinTarget) => MajorResolvedWithinTarget,
        _ => throw new ArgumentOutOfRangeException(nameof(column)),
    };

    /// <summary>The planted table as text, in the TARP layout.</summary>
    public string Format()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Planted repurchase probability within {RepurchaseWindow.TotalDays:0} days:");
        text.AppendLine("  severity | did not complain | complained, not resolved | resolved late | resolved within target");
        foreach (var severity in Enum.GetValues<Severity>())
        {
            var cells = Enum.GetValues<RecoveryColumn>().Select(c => Probability(severity, c).ToString("P0", CultureInfo.InvariantCulture));
            text.AppendLine(CultureInfo.InvariantCulture, $"  {severity,-8} | {string.Join(" | ", cells)}");
        }
        text.Append(CultureInfo.InvariantCulture, $"  repeat complaints (not in the matrix): {RepeatComplaint:P0}");
        return text.ToString();
    }
}

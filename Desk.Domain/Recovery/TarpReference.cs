using Desk.Domain.Tickets;

namespace Desk.Domain.Recovery;

/// <summary>
/// The published TARP figures (Grainer, McEvoy &amp; King 1979, for the White House Office of Consumer Affairs): the
/// share of customers who stayed loyal, by potential loss. Shown beside the desk's own measurements as a reference,
/// never as its data.
/// </summary>
public static class TarpReference
{
    public const string Source = "TARP 1979 (White House Office of Consumer Affairs)";

    public static double Share(Severity severity, RecoveryColumn column) => (severity, column) switch
    {
        (Severity.Minor, RecoveryColumn.DidNotComplain) => 0.37,
        (Severity.Minor, RecoveryColumn.ComplainedNotResolved) => 0.46,
        (Severity.Minor, RecoveryColumn.ResolvedLate) => 0.70,
        (Severity.Minor, RecoveryColumn.ResolvedWithinTarget) => 0.95,
        (Severity.Major, RecoveryColumn.DidNotComplain) => 0.09,
        (Severity.Major, RecoveryColumn.ComplainedNotResolved) => 0.19,
        (Severity.Major, RecoveryColumn.ResolvedLate) => 0.54,
        (Severity.Major, RecoveryColumn.ResolvedWithinTarget) => 0.82,
        _ => throw new ArgumentOutOfRangeException(nameof(column)),
    };
}

namespace Desk.Domain.Recovery;

/// <summary>
/// How the desk measures whether a customer came back, set by admins: one row for the whole desk. Changing it
/// re-measures every complaint, past ones included — an outcome is always computed, never stored, so the reports
/// never mix two definitions.
/// </summary>
public sealed class RecoverySettings
{
    public const int TheOnlyId = 1;
    public const int DefaultWindowDays = 90;
    public const decimal DefaultMajorLossAmount = 100m;
    public const int ShortestWindowDays = 7;
    public const int LongestWindowDays = 730;

    private RecoverySettings() { } // for EF Core

    public RecoverySettings(int repurchaseWindowDays, decimal majorLossAmount)
    {
        Change(repurchaseWindowDays, majorLossAmount);
    }

    /// <summary>The settings a new desk starts with: 90 days, and 100 as the first order that makes a loss major (TARP's split).</summary>
    public static RecoverySettings Default => new(DefaultWindowDays, DefaultMajorLossAmount);

    public int Id { get; private set; } = TheOnlyId;

    /// <summary>Days after the anchor (resolution, or receipt while unresolved) in which an order counts as buying again.</summary>
    public int RepurchaseWindowDays { get; private set; }

    /// <summary>For customers who never complained, the first order's amount from which its potential loss is major.</summary>
    public decimal MajorLossAmount { get; private set; }

    public TimeSpan RepurchaseWindow => TimeSpan.FromDays(RepurchaseWindowDays);

    /// <summary>Validates both values and changes nothing unless both are good.</summary>
    public void Change(int repurchaseWindowDays, decimal majorLossAmount)
    {
        if (repurchaseWindowDays is < ShortestWindowDays or > LongestWindowDays)
            throw new DomainException("The repurchase window must be between {0} and {1} days.", ShortestWindowDays, LongestWindowDays);
        if (majorLossAmount <= 0 || majorLossAmount > 1_000_000 || decimal.Round(majorLossAmount, 2) != majorLossAmount)
            throw new DomainException("The amount for a major loss must be more than 0 and at most 1,000,000, in cents at most.");
        RepurchaseWindowDays = repurchaseWindowDays;
        MajorLossAmount = majorLossAmount;
    }
}

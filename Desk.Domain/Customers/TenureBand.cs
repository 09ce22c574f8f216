namespace Desk.Domain.Customers;

/// <summary>
/// How long a customer had been with the business at a moment (a complaint's receipt, an order): the time since
/// <see cref="Customer.FirstSeenAt"/>. Switching costs are lowest early in the lifecycle, so a complaint from a new
/// customer is the most dangerous one, and failure severity acts on repurchase differently with tenure
/// (Soares &amp; Proença 2015): every recovery report can be cut by it.
/// </summary>
public enum TenureBand { New, Established, LongStanding }

public static class Tenure
{
    /// <summary>Where a band starts (inclusive) and ends (exclusive, null for no end): under 6 months, 6 months to 2 years, 2 years or more.</summary>
    public static (TimeSpan From, TimeSpan? To) Range(TenureBand band) => band switch
    {
        TenureBand.New => (TimeSpan.Zero, TimeSpan.FromDays(183)),
        TenureBand.Established => (TimeSpan.FromDays(183), TimeSpan.FromDays(730)),
        TenureBand.LongStanding => (TimeSpan.FromDays(730), null),
        _ => throw new ArgumentOutOfRangeException(nameof(band)),
    };
}

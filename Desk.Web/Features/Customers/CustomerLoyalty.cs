using Desk.Domain.Loyalty;

namespace Desk.Web.Features.Customers;

/// <summary>
/// One customer's purchase profile as the last <see cref="LoyaltyRun"/> computed it: a cache of what SQL worked out
/// from their orders, replaced whole on every run (see <see cref="LoyaltyScoring"/>). Customers without orders have no
/// row. People's decisions never live here: the level a person set stays on the customer, so a recompute cannot undo it.
/// </summary>
public sealed class CustomerLoyalty
{
    private CustomerLoyalty() { } // rows are written by SQL; EF only reads them

    public long CustomerId { get; private set; }
    public int OrderCount { get; private set; }
    public decimal Spent { get; private set; }
    public DateTime FirstOrderAt { get; private set; }
    public DateTime LastOrderAt { get; private set; }
    public decimal SpentLastYear { get; private set; }
    public decimal SpentYearBefore { get; private set; }
    public int Recency { get; private set; }
    public int Frequency { get; private set; }
    public int Monetary { get; private set; }
    public double SpendTopShare { get; private set; }
    public DateTime ComputedAt { get; private set; }

    public PurchaseProfile ToProfile() => new(OrderCount, Spent, FirstOrderAt, LastOrderAt, SpentLastYear, SpentYearBefore,
        new RfmScores(Recency, Frequency, Monetary), SpendTopShare, ComputedAt);
}

/// <summary>One recomputation of every customer's profile: when, up to which order, how many customers, how long it took.</summary>
public sealed class LoyaltyRun
{
    private LoyaltyRun() { } // for EF Core

    public LoyaltyRun(DateTime computedAt, long ordersWatermark, long customers, long elapsedMilliseconds, string reason)
    {
        ComputedAt = computedAt;
        OrdersWatermark = ordersWatermark;
        Customers = customers;
        ElapsedMilliseconds = elapsedMilliseconds;
        Reason = reason;
    }

    public long Id { get; private set; }
    /// <summary>The moment the profiles describe ("as of"): the desk's clock when the run started.</summary>
    public DateTime ComputedAt { get; private set; }
    /// <summary>The highest order id the run saw: a higher one in Orders means orders came in since.</summary>
    public long OrdersWatermark { get; private set; }
    public long Customers { get; private set; }
    public long ElapsedMilliseconds { get; private set; }
    /// <summary>"start", "orders", "daily" or "manual": why it ran.</summary>
    public string Reason { get; private set; } = "";
}

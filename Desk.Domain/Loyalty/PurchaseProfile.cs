namespace Desk.Domain.Loyalty;

/// <summary>
/// Recency, frequency and monetary scores, 1 (lowest fifth of the customer base) to 5 (highest fifth).
/// <para>
/// Why quintiles over the customer base rather than fixed amounts: what "often" and "a lot" mean depends on the
/// business (a bakery and a car dealer differ by orders of magnitude), and a rank needs no tuning as the shop grows.
/// A score is <c>min(5, 1 + floor(5 × percent rank))</c>, percent rank = (rank − 1) / (customers − 1) with ties sharing the
/// lowest rank: equal behaviour always gets an equal score, and the many one-order customers all score 1 on frequency
/// instead of being split arbitrarily (as NTILE would). Recency ranks the last order's date (latest = 5), frequency the
/// number of orders, monetary the total spent. Only customers with orders are ranked.
/// </para>
/// <para>The absolute rules (days quiet, yearly margin) use fixed thresholds instead: see <see cref="LoyaltyThresholds"/>.</para>
/// </summary>
public sealed record RfmScores
{
    public RfmScores(int recency, int frequency, int monetary)
    {
        Recency = Check(recency, nameof(recency));
        Frequency = Check(frequency, nameof(frequency));
        Monetary = Check(monetary, nameof(monetary));
    }

    public int Recency { get; }
    public int Frequency { get; }
    public int Monetary { get; }

    /// <summary>Recency + frequency (2–10): the behavioural loyalty the class is built on.</summary>
    public int Loyalty => Recency + Frequency;

    /// <summary>"R4 F5 M3": how agents read it at a glance.</summary>
    public override string ToString() => $"R{Recency} F{Frequency} M{Monetary}";

    private static int Check(int score, string name) => score is >= 1 and <= 5 ? score
        : throw new ArgumentOutOfRangeException(name, score, "An RFM score is between 1 and 5.");
}

/// <summary>
/// What a customer's orders say about them, as of <see cref="AsOf"/>: the sums come from SQL over all their orders,
/// the scores and the spend rank from comparing them with every other customer who has bought.
/// </summary>
/// <param name="OrderCount">Orders placed up to <see cref="AsOf"/>; 0 for a customer who never bought.</param>
/// <param name="Spent">Everything they spent.</param>
/// <param name="SpentLastYear">Spent in the 12 months (365 days) up to <see cref="AsOf"/>.</param>
/// <param name="SpentYearBefore">Spent in the 365 days before those.</param>
/// <param name="Scores">Null for a customer without orders.</param>
/// <param name="SpendTopShare">
/// The share of buying customers who spent at least as much as this one (0–1]: the best customer of a thousand has 0.001.
/// Null for a customer without orders.
/// </param>
public sealed record PurchaseProfile(
    int OrderCount, decimal Spent, DateTime? FirstOrderAt, DateTime? LastOrderAt, decimal SpentLastYear, decimal SpentYearBefore,
    RfmScores? Scores, double? SpendTopShare, DateTime AsOf)
{
    /// <summary>A customer who has not bought anything (yet).</summary>
    public static PurchaseProfile NoOrders(DateTime asOf) => new(0, 0m, null, null, 0m, 0m, null, null, asOf);

    public bool HasOrders => OrderCount > 0 && LastOrderAt is not null;

    /// <summary>Whole days since the last order at <paramref name="now"/>; null without orders.</summary>
    public int? DaysSinceLastOrder(DateTime now) => LastOrderAt is { } last ? (int)Math.Floor((now - last).TotalDays) : null;

    /// <summary>Whole days since the first order at <paramref name="now"/>; null without orders.</summary>
    public int? DaysSinceFirstOrder(DateTime now) => FirstOrderAt is { } first ? (int)Math.Floor((now - first).TotalDays) : null;
}

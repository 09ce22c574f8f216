using System.ComponentModel.DataAnnotations;

namespace Desk.Domain.Loyalty;

/// <summary>
/// Every number the loyalty rules compare against, in one place, with the defaults the desk ships. The web binds it
/// from <c>Desk:Loyalty</c> and validates it at start, so an admin tunes the rules without touching code.
/// Scores are the RFM quintile scores (1–5, see <see cref="RfmScores"/>); days and money are absolute.
/// </summary>
public sealed class LoyaltyThresholds : IValidatableObject
{
    public const string Section = "Desk:Loyalty";

    // — loyalty × sales (the class) —

    /// <summary>
    /// Loyalty is high when recency + frequency scores reach this (2–10). The sources measure loyalty first by how
    /// often a customer buys again; recency keeps it current. 7 means, e.g., both in the top 40 %, or one at the top.
    /// </summary>
    [Range(2, 10)] public int HighLoyaltyMinScore { get; set; } = 7;

    /// <summary>Sales are high when the monetary score reaches this (1–5): 4 = the customer base's top 40 % by spend.</summary>
    [Range(1, 5)] public int HighSalesMinScore { get; set; } = 4;

    // — relationship level (Kotler: number of customers × margin) —

    /// <summary>The customer belongs to the "few" when at most this share of customers spends as much as they do (their spend rank, from the top).</summary>
    [Range(0.0, 1.0)] public double FewCustomersTopShare { get; set; } = 0.02;

    /// <summary>… and to the "medium number" when at most this share does; everyone else is one of "many".</summary>
    [Range(0.0, 1.0)] public double MediumCustomersTopShare { get; set; } = 0.20;

    /// <summary>The desk's gross margin on sales (0–1): the last 12 months' spend × this = the margin the customer brings a year.</summary>
    [Range(0.0, 1.0)] public decimal MarginRate { get; set; } = 0.25m;

    /// <summary>A yearly margin from this much up is a high margin.</summary>
    [Range(0, 100_000_000)] public decimal HighMarginPerYear { get; set; } = 1_000m;

    /// <summary>A yearly margin from this much up (and below the high one) is a medium margin.</summary>
    [Range(0, 100_000_000)] public decimal MediumMarginPerYear { get; set; } = 200m;

    // — lifecycle —

    /// <summary>Fewer orders than this and the customer is still exploring (trying the business out).</summary>
    [Range(1, 1000)] public int FormationMinOrders { get; set; } = 2;

    /// <summary>At least this many orders …</summary>
    [Range(1, 1000)] public int StabilityMinOrders { get; set; } = 5;

    /// <summary>… over at least this many days since the first order make a stable customer.</summary>
    [Range(0, 3650)] public int StabilityMinDays { get; set; } = 365;

    /// <summary>No order for this many days and the relationship is declining, whatever came before.</summary>
    [Range(1, 3650)] public int DeclineQuietDays { get; set; } = 180;

    /// <summary>Spend in the last 12 months below this share of the 12 months before is a decline too (0 turns the rule off).</summary>
    [Range(0.0, 1.0)] public decimal DeclineSpendRatio { get; set; } = 0.5m;

    // — at risk: used to spend, gone quiet —

    /// <summary>"Used to spend": a monetary score of at least this (1–5).</summary>
    [Range(1, 5)] public int AtRiskMinMonetaryScore { get; set; } = 4;

    /// <summary>"Gone quiet": no order for at least this many days.</summary>
    [Range(1, 3650)] public int AtRiskQuietDays { get; set; } = 90;

    /// <summary>The shipped defaults (a fresh instance each time: nobody can change them for everyone).</summary>
    public static LoyaltyThresholds Default => new();

    /// <summary>The pairs must be in order, or a band would be empty and the rules would contradict themselves.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (FewCustomersTopShare > MediumCustomersTopShare)
            yield return new("The \"few customers\" share cannot be larger than the \"medium\" one.", [nameof(FewCustomersTopShare)]);
        if (MediumMarginPerYear > HighMarginPerYear)
            yield return new("The medium yearly margin cannot be above the high one.", [nameof(MediumMarginPerYear)]);
        if (FormationMinOrders > StabilityMinOrders)
            yield return new("A stable customer cannot need fewer orders than a forming one.", [nameof(StabilityMinOrders)]);
    }
}

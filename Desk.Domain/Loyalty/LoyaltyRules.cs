using Desk.Domain.Customers;

namespace Desk.Domain.Loyalty;

/// <summary>
/// The sources' grid: customers classified by loyalty and by sales volume, "care follows the class". Loyalty is
/// behavioural (recency + frequency), sales are the monetary score; both are split high/low by
/// <see cref="LoyaltyThresholds"/>.
/// </summary>
public enum LoyaltyClass
{
    /// <summary>Never bought: nothing to classify yet.</summary>
    NoPurchases,
    /// <summary>Loyal and buying a lot: the core; keep them close, the most care.</summary>
    LoyalHighSales,
    /// <summary>Loyal but buying little: grow their share of spend.</summary>
    LoyalLowSales,
    /// <summary>Buying a lot but not loyal: the most to lose; win their loyalty.</summary>
    NotLoyalHighSales,
    /// <summary>Neither: basic, efficient service.</summary>
    NotLoyalLowSales,
}

/// <summary>
/// Where the relationship stands in its life (the sources: 考察期, 形成期, 稳定期, 退化期). Switching costs are lowest
/// while exploring, so a complaint then is the most dangerous one.
/// </summary>
public enum LifecycleStage { Exploration, Formation, Stability, Decline }

/// <summary>Kotler's first axis, per customer: how many customers are like this one (by their spend rank).</summary>
public enum CustomerCount { Many, Medium, Few }

/// <summary>Kotler's second axis, per customer: the margin they bring a year.</summary>
public enum MarginBand { Low, Medium, High }

/// <summary>Everything the rules conclude about one customer at one moment.</summary>
public sealed record LoyaltyAssessment(LoyaltyClass Class, RelationshipLevel SuggestedLevel, CustomerCount CustomerCount, MarginBand Margin,
    LifecycleStage Stage, bool AtRisk);

/// <summary>
/// The loyalty rules as pure functions of a <see cref="PurchaseProfile"/>, a moment and the thresholds: no I/O, no
/// clock. A threshold is always reached "at or above" (≥): a customer exactly on it is on the higher side.
/// </summary>
public static class LoyaltyRules
{
    public static LoyaltyAssessment Assess(PurchaseProfile profile, DateTime now, LoyaltyThresholds thresholds)
    {
        var count = CustomerCountOf(profile, thresholds);
        var margin = MarginOf(profile, thresholds);
        return new LoyaltyAssessment(ClassOf(profile, thresholds), SuggestLevel(count, margin), count, margin,
            StageOf(profile, now, thresholds), IsAtRisk(profile, now, thresholds));
    }

    /// <summary>Loyalty × sales: high loyalty when R + F ≥ <see cref="LoyaltyThresholds.HighLoyaltyMinScore"/>, high sales when M ≥ <see cref="LoyaltyThresholds.HighSalesMinScore"/>.</summary>
    public static LoyaltyClass ClassOf(PurchaseProfile profile, LoyaltyThresholds thresholds)
    {
        if (!profile.HasOrders || profile.Scores is not { } s) return LoyaltyClass.NoPurchases;
        var loyal = s.Loyalty >= thresholds.HighLoyaltyMinScore;
        var highSales = s.Monetary >= thresholds.HighSalesMinScore;
        return (loyal, highSales) switch
        {
            (true, true) => LoyaltyClass.LoyalHighSales,
            (true, false) => LoyaltyClass.LoyalLowSales,
            (false, true) => LoyaltyClass.NotLoyalHighSales,
            (false, false) => LoyaltyClass.NotLoyalLowSales,
        };
    }

    /// <summary>
    /// Few when at most <see cref="LoyaltyThresholds.FewCustomersTopShare"/> of customers spend as much, medium up to
    /// <see cref="LoyaltyThresholds.MediumCustomersTopShare"/>, otherwise many (so is a customer without orders).
    /// </summary>
    public static CustomerCount CustomerCountOf(PurchaseProfile profile, LoyaltyThresholds thresholds) => profile.SpendTopShare switch
    {
        null => CustomerCount.Many,
        var share when share <= thresholds.FewCustomersTopShare => CustomerCount.Few,
        var share when share <= thresholds.MediumCustomersTopShare => CustomerCount.Medium,
        _ => CustomerCount.Many,
    };

    /// <summary>The last 12 months' spend × <see cref="LoyaltyThresholds.MarginRate"/> against the yearly margin thresholds.</summary>
    public static MarginBand MarginOf(PurchaseProfile profile, LoyaltyThresholds thresholds)
    {
        var margin = profile.SpentLastYear * thresholds.MarginRate;
        if (margin >= thresholds.HighMarginPerYear) return MarginBand.High;
        if (margin >= thresholds.MediumMarginPerYear) return MarginBand.Medium;
        return MarginBand.Low;
    }

    /// <summary>
    /// Kotler's table: with many customers and a low margin a basic relationship is all that pays; with few customers
    /// and a high margin, a partnership. The cells between step one level per band:
    /// <code>
    ///                 low margin    medium margin   high margin
    ///   many          Basic         Reactive        Accountable
    ///   medium        Reactive      Accountable     Proactive
    ///   few           Accountable   Proactive       Partnership
    /// </code>
    /// (Kotler allows "basic or reactive" for many × low; the desk takes the cheaper one and lets people raise it.)
    /// </summary>
    public static RelationshipLevel SuggestLevel(CustomerCount count, MarginBand margin) => (count, margin) switch
    {
        (CustomerCount.Many, MarginBand.Low) => RelationshipLevel.Basic,
        (CustomerCount.Many, MarginBand.Medium) => RelationshipLevel.Reactive,
        (CustomerCount.Many, MarginBand.High) => RelationshipLevel.Accountable,
        (CustomerCount.Medium, MarginBand.Low) => RelationshipLevel.Reactive,
        (CustomerCount.Medium, MarginBand.Medium) => RelationshipLevel.Accountable,
        (CustomerCount.Medium, MarginBand.High) => RelationshipLevel.Proactive,
        (CustomerCount.Few, MarginBand.Low) => RelationshipLevel.Accountable,
        (CustomerCount.Few, MarginBand.Medium) => RelationshipLevel.Proactive,
        (CustomerCount.Few, MarginBand.High) => RelationshipLevel.Partnership,
        _ => throw new ArgumentOutOfRangeException(nameof(count)),
    };

    /// <summary>
    /// In this order: no orders → exploration; quiet for <see cref="LoyaltyThresholds.DeclineQuietDays"/> or more, or the
    /// last year's spend under <see cref="LoyaltyThresholds.DeclineSpendRatio"/> of the year before's → decline; fewer
    /// than <see cref="LoyaltyThresholds.FormationMinOrders"/> orders → exploration; at least
    /// <see cref="LoyaltyThresholds.StabilityMinOrders"/> orders over at least <see cref="LoyaltyThresholds.StabilityMinDays"/>
    /// days → stability; otherwise formation.
    /// </summary>
    public static LifecycleStage StageOf(PurchaseProfile profile, DateTime now, LoyaltyThresholds thresholds)
    {
        if (!profile.HasOrders) return LifecycleStage.Exploration;
        if (profile.DaysSinceLastOrder(now) >= thresholds.DeclineQuietDays) return LifecycleStage.Decline;
        if (profile.SpentYearBefore > 0 && profile.SpentLastYear < profile.SpentYearBefore * thresholds.DeclineSpendRatio)
            return LifecycleStage.Decline;
        if (profile.OrderCount < thresholds.FormationMinOrders) return LifecycleStage.Exploration;
        if (profile.OrderCount >= thresholds.StabilityMinOrders && profile.DaysSinceFirstOrder(now) >= thresholds.StabilityMinDays)
            return LifecycleStage.Stability;
        return LifecycleStage.Formation;
    }

    /// <summary>
    /// Used to spend, gone quiet (the win-back list): a monetary score of at least
    /// <see cref="LoyaltyThresholds.AtRiskMinMonetaryScore"/> and no order for at least <see cref="LoyaltyThresholds.AtRiskQuietDays"/> days.
    /// </summary>
    public static bool IsAtRisk(PurchaseProfile profile, DateTime now, LoyaltyThresholds thresholds) =>
        profile.Scores is { } s && s.Monetary >= thresholds.AtRiskMinMonetaryScore
        && profile.DaysSinceLastOrder(now) >= thresholds.AtRiskQuietDays;
}

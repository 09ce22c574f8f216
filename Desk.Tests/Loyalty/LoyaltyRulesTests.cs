using Desk.Domain;
using Desk.Domain.Customers;
using Desk.Domain.Loyalty;

namespace Desk.Tests.Loyalty;

/// <summary>
/// The loyalty rules on hand-made customers, each threshold met just below, exactly at and just above (defaults:
/// loyalty R + F ≥ 7, sales M ≥ 4, few ≤ 2 %, medium ≤ 20 %, margin 25 % of the year's spend ≥ 1,000 high / ≥ 200
/// medium, decline after 180 quiet days or under half the year before's spend, formation from 2 orders, stability from
/// 5 orders over 365 days, at risk with M ≥ 4 and 90 quiet days).
/// </summary>
public sealed class LoyaltyRulesTests
{
    private static readonly DateTime Now = new(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc);
    private static readonly LoyaltyThresholds Defaults = LoyaltyThresholds.Default;

    /// <summary>A customer who bought <paramref name="orders"/> times, first and last so many days ago.</summary>
    private static PurchaseProfile Customer(int orders = 3, double firstDaysAgo = 200, double lastDaysAgo = 10,
        int r = 3, int f = 3, int m = 3, double share = 0.5, decimal lastYear = 100m, decimal yearBefore = 0m) =>
        new(orders, lastYear + yearBefore, Now.AddDays(-firstDaysAgo), Now.AddDays(-lastDaysAgo), lastYear, yearBefore,
            new RfmScores(r, f, m), share, Now);

    [Theory]
    [InlineData(3, 3, 3, LoyaltyClass.NotLoyalLowSales)]   // loyalty 6: just below
    [InlineData(3, 4, 3, LoyaltyClass.LoyalLowSales)]      // loyalty 7: at
    [InlineData(4, 4, 3, LoyaltyClass.LoyalLowSales)]      // loyalty 8: above
    [InlineData(5, 2, 3, LoyaltyClass.LoyalLowSales)]      // 7 however it is made up
    [InlineData(4, 4, 4, LoyaltyClass.LoyalHighSales)]     // sales at
    [InlineData(4, 4, 5, LoyaltyClass.LoyalHighSales)]     // sales above
    [InlineData(3, 3, 4, LoyaltyClass.NotLoyalHighSales)]
    [InlineData(1, 1, 5, LoyaltyClass.NotLoyalHighSales)]
    [InlineData(1, 1, 1, LoyaltyClass.NotLoyalLowSales)]
    [InlineData(5, 5, 5, LoyaltyClass.LoyalHighSales)]
    public void ClassOf_LoyaltyAndSalesScores_FallInTheirCellOfTheGrid(int r, int f, int m, LoyaltyClass expected) =>
        Assert.Equal(expected, LoyaltyRules.ClassOf(Customer(r: r, f: f, m: m), Defaults));

    [Theory]
    [InlineData(0.019, CustomerCount.Few)]
    [InlineData(0.02, CustomerCount.Few)]
    [InlineData(0.021, CustomerCount.Medium)]
    [InlineData(0.19, CustomerCount.Medium)]
    [InlineData(0.20, CustomerCount.Medium)]
    [InlineData(0.21, CustomerCount.Many)]
    [InlineData(1.0, CustomerCount.Many)]
    public void CustomerCountOf_SpendRankShare_IsFewMediumOrMany(double share, CustomerCount expected) =>
        Assert.Equal(expected, LoyaltyRules.CustomerCountOf(Customer(share: share), Defaults));

    [Theory]
    [InlineData("3999.96", MarginBand.Medium)] // margin 999.99
    [InlineData("4000", MarginBand.High)]      // 1,000.00
    [InlineData("4000.04", MarginBand.High)]   // 1,000.01
    [InlineData("799.96", MarginBand.Low)]     // 199.99
    [InlineData("800", MarginBand.Medium)]     // 200.00
    [InlineData("800.04", MarginBand.Medium)]  // 200.01
    [InlineData("0", MarginBand.Low)]
    public void MarginOf_LastYearsSpendTimesTheMarginRate_IsLowMediumOrHigh(string spentLastYear, MarginBand expected) =>
        Assert.Equal(expected, LoyaltyRules.MarginOf(Customer(lastYear: decimal.Parse(spentLastYear, System.Globalization.CultureInfo.InvariantCulture)), Defaults));

    [Theory]
    [InlineData(CustomerCount.Many, MarginBand.Low, RelationshipLevel.Basic)]
    [InlineData(CustomerCount.Many, MarginBand.Medium, RelationshipLevel.Reactive)]
    [InlineData(CustomerCount.Many, MarginBand.High, RelationshipLevel.Accountable)]
    [InlineData(CustomerCount.Medium, MarginBand.Low, RelationshipLevel.Reactive)]
    [InlineData(CustomerCount.Medium, MarginBand.Medium, RelationshipLevel.Accountable)]
    [InlineData(CustomerCount.Medium, MarginBand.High, RelationshipLevel.Proactive)]
    [InlineData(CustomerCount.Few, MarginBand.Low, RelationshipLevel.Accountable)]
    [InlineData(CustomerCount.Few, MarginBand.Medium, RelationshipLevel.Proactive)]
    [InlineData(CustomerCount.Few, MarginBand.High, RelationshipLevel.Partnership)]
    public void SuggestLevel_KotlersTable_EveryCell(CustomerCount count, MarginBand margin, RelationshipLevel expected) =>
        Assert.Equal(expected, LoyaltyRules.SuggestLevel(count, margin));

    [Fact]
    public void Assess_TheBestCustomerOfAHundredWithAHighMargin_IsSuggestedAPartnership()
    {
        var assessment = LoyaltyRules.Assess(Customer(share: 0.01, lastYear: 8000m), Now, Defaults);

        Assert.Equal(RelationshipLevel.Partnership, assessment.SuggestedLevel);
        Assert.Equal((CustomerCount.Few, MarginBand.High), (assessment.CustomerCount, assessment.Margin));
    }

    [Theory]
    [InlineData(179, LifecycleStage.Formation)]
    [InlineData(180, LifecycleStage.Decline)]
    [InlineData(181, LifecycleStage.Decline)]
    public void StageOf_DaysSinceTheLastOrder_DeclinesFromTheQuietThreshold(double lastDaysAgo, LifecycleStage expected) =>
        Assert.Equal(expected, LoyaltyRules.StageOf(Customer(orders: 3, firstDaysAgo: 300, lastDaysAgo: lastDaysAgo), Now, Defaults));

    [Fact]
    public void StageOf_OneMinuteShortOfTheQuietThreshold_IsNotYetDecline() =>
        Assert.Equal(LifecycleStage.Formation, LoyaltyRules.StageOf(
            Customer(orders: 3, firstDaysAgo: 300, lastDaysAgo: 180 - 1.0 / 24 / 60), Now, Defaults));

    [Theory]
    [InlineData("49.99", LifecycleStage.Decline)]   // under half of 100
    [InlineData("50", LifecycleStage.Formation)]    // exactly half: not a decline
    [InlineData("50.01", LifecycleStage.Formation)]
    public void StageOf_SpendShrinkingToUnderHalfTheYearBefore_IsDecline(string lastYear, LifecycleStage expected) =>
        Assert.Equal(expected, LoyaltyRules.StageOf(Customer(orders: 3, firstDaysAgo: 500, lastDaysAgo: 10,
            lastYear: decimal.Parse(lastYear, System.Globalization.CultureInfo.InvariantCulture), yearBefore: 100m), Now, Defaults));

    [Fact]
    public void StageOf_NothingTheYearBefore_IsNoDeclineHoweverLittleIsSpent() =>
        Assert.Equal(LifecycleStage.Formation, LoyaltyRules.StageOf(Customer(orders: 2, lastYear: 1m, yearBefore: 0m), Now, Defaults));

    [Theory]
    [InlineData(1, LifecycleStage.Exploration)]
    [InlineData(2, LifecycleStage.Formation)]
    [InlineData(3, LifecycleStage.Formation)]
    public void StageOf_OrderCount_ExploresUntilTheSecondOrder(int orders, LifecycleStage expected) =>
        Assert.Equal(expected, LoyaltyRules.StageOf(Customer(orders: orders, firstDaysAgo: 400, lastDaysAgo: 10), Now, Defaults));

    [Theory]
    [InlineData(4, 365, LifecycleStage.Formation)]
    [InlineData(5, 365, LifecycleStage.Stability)]
    [InlineData(6, 365, LifecycleStage.Stability)]
    [InlineData(5, 364, LifecycleStage.Formation)]
    [InlineData(5, 366, LifecycleStage.Stability)]
    public void StageOf_OrdersAndTenure_StableFromFiveOrdersOverAYear(int orders, double firstDaysAgo, LifecycleStage expected) =>
        Assert.Equal(expected, LoyaltyRules.StageOf(Customer(orders: orders, firstDaysAgo: firstDaysAgo, lastDaysAgo: 10), Now, Defaults));

    [Fact]
    public void StageOf_ALongStableCustomerGoneQuiet_IsDecline() =>
        Assert.Equal(LifecycleStage.Decline, LoyaltyRules.StageOf(Customer(orders: 40, firstDaysAgo: 2000, lastDaysAgo: 200), Now, Defaults));

    [Theory]
    [InlineData(3, 90, false)]
    [InlineData(4, 90, true)]
    [InlineData(5, 90, true)]
    [InlineData(4, 89, false)]
    [InlineData(4, 91, true)]
    [InlineData(5, 10, false)]
    public void IsAtRisk_UsedToSpendAndGoneQuiet_FromBothThresholds(int monetary, double lastDaysAgo, bool expected) =>
        Assert.Equal(expected, LoyaltyRules.IsAtRisk(Customer(m: monetary, lastDaysAgo: lastDaysAgo, firstDaysAgo: 500), Now, Defaults));

    [Fact]
    public void Assess_CustomerWithoutOrders_IsUnclassifiedExploringBasicAndNotAtRisk()
    {
        var assessment = LoyaltyRules.Assess(PurchaseProfile.NoOrders(Now), Now, Defaults);

        Assert.Equal(new LoyaltyAssessment(LoyaltyClass.NoPurchases, RelationshipLevel.Basic, CustomerCount.Many, MarginBand.Low,
            LifecycleStage.Exploration, AtRisk: false), assessment);
    }

    [Fact]
    public void Thresholds_TunedByAnAdmin_MoveTheBoundary()
    {
        var strict = new LoyaltyThresholds { HighLoyaltyMinScore = 9, AtRiskQuietDays = 30 };

        Assert.Equal(LoyaltyClass.NotLoyalLowSales, LoyaltyRules.ClassOf(Customer(r: 4, f: 4), strict));
        Assert.True(LoyaltyRules.IsAtRisk(Customer(m: 5, lastDaysAgo: 30), Now, strict));
    }

    [Fact]
    public void Thresholds_OutOfOrder_FailValidation()
    {
        var wrong = new LoyaltyThresholds { FewCustomersTopShare = 0.5, MediumCustomersTopShare = 0.1 };

        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        Assert.False(System.ComponentModel.DataAnnotations.Validator.TryValidateObject(wrong, new(wrong), results, validateAllProperties: true));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public void RfmScores_OutsideOneToFive_AreRefused(int score) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RfmScores(score, 3, 3));

    [Fact]
    public void DecideLevel_AgainstTheSuggestion_IsAnOverrideWithWhoAndWhen()
    {
        var customer = new Customer("ann@example.org", "Ann", Now);

        customer.DecideLevel(RelationshipLevel.Proactive, RelationshipLevel.Basic, "maria", Now);

        Assert.Equal((RelationshipLevel.Proactive, "maria", Now, true),
            (customer.Level, customer.LevelDecidedBy, customer.LevelDecidedAt, customer.IsLevelOverridden));
    }

    [Fact]
    public void DecideLevel_AcceptingTheSuggestion_IsNoOverride()
    {
        var customer = new Customer("ann@example.org", "Ann", Now);

        customer.DecideLevel(RelationshipLevel.Reactive, RelationshipLevel.Reactive, "alice", Now);

        Assert.False(customer.IsLevelOverridden);
        Assert.Equal("alice", customer.LevelDecidedBy);
    }

    [Fact]
    public void DecideLevel_WithoutAName_IsRefusedAndChangesNothing()
    {
        var customer = new Customer("ann@example.org", "Ann", Now);

        Assert.Throws<DomainException>(() => customer.DecideLevel(RelationshipLevel.Partnership, null, " ", Now));
        Assert.Equal((RelationshipLevel.Basic, (DateTime?)null), (customer.Level, customer.LevelDecidedAt));
    }
}

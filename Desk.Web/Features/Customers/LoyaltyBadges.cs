using Desk.Domain.Loyalty;

namespace Desk.Web.Features.Customers;

/// <summary>Words (resource keys) and colours for the loyalty badges, the same on the customer and the ticket page.</summary>
public static class LoyaltyBadges
{
    public static string ClassLabel(LoyaltyClass c) => c switch
    {
        LoyaltyClass.LoyalHighSales => "Loyal · high sales",
        LoyaltyClass.LoyalLowSales => "Loyal · low sales",
        LoyaltyClass.NotLoyalHighSales => "Not loyal · high sales",
        LoyaltyClass.NotLoyalLowSales => "Not loyal · low sales",
        _ => "No purchases yet",
    };

    /// <summary>"Care follows the class": what the class asks of the desk, in a line.</summary>
    public static string ClassCare(LoyaltyClass c) => c switch
    {
        LoyaltyClass.LoyalHighSales => "The core: keep them close.",
        LoyaltyClass.LoyalLowSales => "Loyal: grow their share of spend.",
        LoyaltyClass.NotLoyalHighSales => "Much to lose: win their loyalty.",
        LoyaltyClass.NotLoyalLowSales => "Basic, efficient service.",
        _ => "Nothing bought yet: how this goes decides whether they ever buy.",
    };

    public static string ClassCss(LoyaltyClass c) => c switch
    {
        LoyaltyClass.LoyalHighSales => "text-bg-success",
        LoyaltyClass.LoyalLowSales => "text-bg-info",
        LoyaltyClass.NotLoyalHighSales => "text-bg-warning",
        LoyaltyClass.NotLoyalLowSales => "text-bg-secondary",
        _ => "text-bg-light border",
    };

    public static string StageCss(LifecycleStage s) => s switch
    {
        LifecycleStage.Exploration => "text-bg-light border",
        LifecycleStage.Formation => "text-bg-info",
        LifecycleStage.Stability => "text-bg-success",
        _ => "text-bg-danger",
    };

    public static string CustomerCountLabel(CustomerCount c) => c switch
    {
        CustomerCount.Few => "few customers like this",
        CustomerCount.Medium => "a medium number of customers like this",
        _ => "many customers like this",
    };

    public static string MarginLabel(MarginBand m) => m switch
    {
        MarginBand.High => "high margin",
        MarginBand.Medium => "medium margin",
        _ => "low margin",
    };
}

/// <summary>The loyalty partial's model: the panel, where the level form returns to, and whether the page has room for explanations.</summary>
public sealed record LoyaltyPanelView(LoyaltyPanel Panel, string ReturnUrl, bool Compact);

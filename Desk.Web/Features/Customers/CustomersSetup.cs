using Desk.Domain.Loyalty;

namespace Desk.Web.Features.Customers;

/// <summary>Customers' loyalty: the thresholds (validated at start), the scoring and its background recomputation.</summary>
public static class CustomersSetup
{
    public static WebApplicationBuilder AddDeskLoyalty(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LoyaltyThresholds>().BindConfiguration(LoyaltyThresholds.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<LoyaltyScheduleOptions>().BindConfiguration(LoyaltyScheduleOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<LoyaltyScoring>();
        builder.Services.AddHostedService<LoyaltyRecomputation>();
        return builder;
    }
}

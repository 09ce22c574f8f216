namespace Desk.Web.Features.FollowUps;

/// <summary>After-care: the plans by relationship level, the planner resolving calls, and the scheduler that sends surveys and closes tickets.</summary>
public static class FollowUpsSetup
{
    public static WebApplicationBuilder AddDeskFollowUps(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<FollowUpOptions>().BindConfiguration(FollowUpOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<FollowUpPlanner>();
        builder.Services.AddSingleton<FollowUpScheduler>();
        builder.Services.AddHostedService(services => services.GetRequiredService<FollowUpScheduler>());
        return builder;
    }
}

using Desk.Web.Features.Teams;

namespace Desk.Web.Features.Notifications;

/// <summary>Telling agents: the bell and its list, preferences, teams and escalation targets, and the SLA watch.</summary>
public static class NotificationsSetup
{
    public static WebApplicationBuilder AddDeskNotifications(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<EscalationTargets>();
        builder.Services.AddScoped<NotificationQueries>();
        builder.Services.AddSingleton<BellCounts>();
        builder.Services.AddSingleton<SlaWatch>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SlaWatch>());
        return builder;
    }
}

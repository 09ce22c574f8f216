namespace Desk.Web.Features.Webhooks;

/// <summary>Webhooks: the admin page, the events read off every save (<see cref="WebhookInterceptor"/>) and the sender.</summary>
public static class WebhooksSetup
{
    public static WebApplicationBuilder AddDeskWebhooks(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // No redirects: a receiver that moved says so in the log, and the signed body is never re-sent somewhere else.
        builder.Services.AddHttpClient(WebhookSender.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) });
        builder.Services.AddScoped<WebhookQueries>();
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddHostedService(services => services.GetRequiredService<WebhookSender>());
        return builder;
    }
}

namespace Desk.Web.Features.Digest;

/// <summary>Reports by mail: the subscription page, the digest's words and the scheduler that sends it.</summary>
public static class DigestSetup
{
    public static WebApplicationBuilder AddDeskDigest(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DigestOptions>().BindConfiguration(DigestOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<DigestMail>();
        builder.Services.AddSingleton<DigestScheduler>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DigestScheduler>());
        return builder;
    }
}

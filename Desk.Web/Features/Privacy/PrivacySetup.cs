namespace Desk.Web.Features.Privacy;

/// <summary>Privacy: export, erasure, and the retention settings (validated at start) with their background job.</summary>
public static class PrivacySetup
{
    public static WebApplicationBuilder AddDeskPrivacy(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PrivacyOptions>().BindConfiguration(PrivacyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<CustomerErasure>();
        builder.Services.AddScoped<Retention>();
        builder.Services.AddHostedService<RetentionJob>();
        return builder;
    }
}

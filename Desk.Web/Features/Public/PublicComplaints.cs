namespace Desk.Web.Features.Public;

public static class PublicComplaints
{
    public static WebApplicationBuilder AddPublicComplaints(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PublicFormOptions>().BindConfiguration(PublicFormOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<PublicPostLimit>(); // counted in the database: see PublicPostLimit
        builder.Services.AddOptions<Account.SignInOptions>().BindConfiguration(Account.SignInOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<Account.SignInThrottle>();
        return builder;
    }
}

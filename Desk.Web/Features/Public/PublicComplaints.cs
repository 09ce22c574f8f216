namespace Desk.Web.Features.Public;

public static class PublicComplaints
{
    public static WebApplicationBuilder AddPublicComplaints(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PublicFormOptions>().BindConfiguration(PublicFormOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<ComplaintIntake>();
        builder.Services.AddScoped<PublicPostLimit>(); // counted in the database: see PublicPostLimit
        return builder;
    }
}

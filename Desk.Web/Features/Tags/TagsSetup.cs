namespace Desk.Web.Features.Tags;

public static class TagsSetup
{
    /// <summary>Tags: on tickets, the admins' list, the reports' breakdown.</summary>
    public static WebApplicationBuilder AddDeskTags(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<TagQueries>();
        builder.Services.AddScoped<TagReportQuery>();
        return builder;
    }
}

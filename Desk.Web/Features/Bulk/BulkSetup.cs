namespace Desk.Web.Features.Bulk;

public static class BulkSetup
{
    /// <summary>The queue's bulk steps (<see cref="BulkSteps"/>), taken through the ticket's own steps.</summary>
    public static WebApplicationBuilder AddDeskBulk(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<BulkSteps>();
        return builder;
    }
}

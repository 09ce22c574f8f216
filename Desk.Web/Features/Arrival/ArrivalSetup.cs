namespace Desk.Web.Features.Arrival;

public static class ArrivalSetup
{
    /// <summary>"A complaint arrives" and "the customer wrote again": one service each, used by every channel.</summary>
    public static WebApplicationBuilder AddDeskArrivals(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ComplaintArrival>();
        builder.Services.AddScoped<CustomerWroteAgain>();
        return builder;
    }
}

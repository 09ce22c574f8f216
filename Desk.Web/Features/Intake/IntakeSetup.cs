namespace Desk.Web.Features.Intake;

public static class IntakeSetup
{
    /// <summary>Filing a complaint for a customer who phoned or came in: the customer search it needs.</summary>
    public static WebApplicationBuilder AddDeskIntake(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<CustomerLookup>();
        return builder;
    }
}

namespace Desk.Web.Features.Tickets;

public static class TicketsSetup
{
    /// <summary>The ticket page: its read (<see cref="TicketPageQuery"/>) and the reply box's drafts; the steps are the controller's.</summary>
    public static WebApplicationBuilder AddDeskTickets(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<TicketPageQuery>();
        builder.Services.AddScoped<Drafts.ReplyDrafts>();
        builder.Services.AddScoped<TicketSteps>(); // the steps, shared by the ticket page and the queue's bulk actions
        return builder;
    }
}

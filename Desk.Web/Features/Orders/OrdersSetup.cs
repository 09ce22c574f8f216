namespace Desk.Web.Features.Orders;

/// <summary>Orders in: the importer that the page, the command and the API share.</summary>
public static class OrdersSetup
{
    public static WebApplicationBuilder AddDeskOrders(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<OrderImport>();
        builder.Services.AddScoped<OrderUploads>(); // kept in the database between preview and confirmation
        return builder;
    }
}

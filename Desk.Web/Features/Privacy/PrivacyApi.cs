using Desk.Web.Data;
using Desk.Web.Features.Api;

namespace Desk.Web.Features.Privacy;

/// <summary>
/// <c>GET /api/customers/{id}/export</c>: the same ZIP as the customer page's export, for a program holding an API key
/// (<see cref="ApiKeyAuthentication"/>, as <c>POST /api/orders</c>). Recorded in the privacy trail under the key's name.
/// </summary>
public static class PrivacyApi
{
    public static IEndpointRouteBuilder MapPrivacyApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/customers/{id:long}/export", ExportAsync)
            .RequireScope(ApiScopes.CustomersRead)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .Produces(StatusCodes.Status200OK, contentType: "application/zip")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Everything the desk holds on one customer, as a ZIP of JSON files, their files and the original mails (GDPR art. 15 and 20).");
        return app;
    }

    private static async Task<IResult> ExportAsync(long id, HttpContext http, DeskDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (!await CustomerExport.ExistsAsync(db, id, ct))
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"There is no customer {id}.");
        var now = clock.GetUtcNow().UtcDateTime;
        await CustomerExport.RecordAsync(db, id, "api key: " + http.User.Identity?.Name, now, ct);
        http.Response.Headers.CacheControl = "no-store";
        return Results.Stream(output => CustomerExport.WriteAsync(db, id, now, output, ct), "application/zip", CustomerExport.FileName(id, now));
    }
}

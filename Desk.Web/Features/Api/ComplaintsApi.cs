using System.ComponentModel;
using System.Text.Json;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Email.Outbound;
using Desk.Web.Features.Arrival;

namespace Desk.Web.Features.Api;

/// <summary>A complaint as a program sends it for a customer.</summary>
public sealed record ApiComplaint
{
    [Description("The customer's e-mail address: the acknowledgement with the status link goes there. Under an address the desk knows already, the complaint is filed unverified until its owner confirms it, as from the web form.")]
    public string? Email { get; init; }
    [Description("The customer's name, used when the address is new to the desk.")]
    public string? Name { get; init; }
    [Description("\"en\" or \"zh\" for a customer new to the desk; en when left out.")]
    public string? Language { get; init; }
    public string? Subject { get; init; }
    public string? Description { get; init; }
    [Description("The remedy the customer asks for, by its id on Admin → Remedies; left out for none.")]
    public int? RemedySoughtId { get; init; }
    public string? OrderReference { get; init; }
    public string? Product { get; init; }
}

/// <summary>The ticket a complaint opened. The status link is not in it: it goes to the customer by mail only.</summary>
public sealed record ApiComplaintCreated(
    string Number, TicketState State,
    [property: Description("The customer complained within the repeat window before (the ticket is flagged).")] bool RepeatComplaint,
    [property: Description("Filed under an address the desk knew already: kept out of the customer's history until the owner confirms it by the mailed link.")] bool ContactUnverified,
    [property: Description("The acknowledgement was queued for mail (not when the address had too many in the last hour).")] bool Acknowledged);

/// <summary>
/// <c>POST /api/v1/complaints</c> (scope <see cref="ApiScopes.TicketsWrite"/>): files a complaint through
/// <see cref="ComplaintArrival"/>, as the web form does (channel Api, the address not shown to be the writer's), under an
/// <c>Idempotency-Key</c> (<see cref="ApiIdempotency"/>): the same key and request answer the first answer again
/// and never open a second ticket, also when both arrive at once; the same key with another request is 422.
/// </summary>
public static class ComplaintsApi
{
    public const string IdempotencyHeader = ApiIdempotency.Header;
    public const string ReplayedHeader = ApiIdempotency.ReplayedHeader;
    public const string KeyReusedType = ApiIdempotency.KeyReusedType;

    public static IEndpointRouteBuilder MapComplaintsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/complaints", PostAsync)
            .RequireScope(ApiScopes.TicketsWrite)
            .Accepts<ApiComplaint>("application/json")
            .Produces<ApiComplaintCreated>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithName("FileComplaint")
            .WithTags("Tickets")
            .WithSummary("File a complaint for a customer")
            .WithDescription($"""
                Send an {IdempotencyHeader} header (any text up to 100 characters, new for each complaint, e.g. a UUID). Sending
                the same key with the same body again — a retry after a timeout — answers the first answer again (201, the same
                ticket, with {ReplayedHeader}: true) and never opens a second ticket, also when both arrive at once. The same key
                with another body is 422. The complaint is filed as from the web form: acknowledged at once, the acknowledgement
                with the status link mailed to the customer, flagged when it repeats an earlier complaint, and filed unverified under
                an address the desk knew already. A complaint the desk refuses (no subject, a wrong address) is 422 with the reason.
                """);
        return app;
    }

    private static async Task<IResult> PostAsync(HttpContext http, DeskDbContext db, ComplaintArrival arrival, Shared.RemedyOptions remedies,
        Outbox outbox, TimeProvider clock, CancellationToken ct)
    {
        if (!ApiIdempotency.TryReadKey(http, out var key, out var refusal)) return refusal!;
        ApiComplaint? input;
        try
        {
            input = await JsonSerializer.DeserializeAsync<ApiComplaint>(http.Request.Body, ApiIdempotency.Json, ct);
        }
        catch (JsonException e)
        {
            return ApiIdempotency.Problem(StatusCodes.Status400BadRequest, "The body is not a JSON complaint.", e.Message);
        }
        if (input is null) return ApiIdempotency.Problem(StatusCodes.Status400BadRequest, "The body is not a JSON complaint.", "Send an object with email, subject and description.");

        var answer = await ApiIdempotency.RunAsync(http, db, clock, key, ApiIdempotency.HashOf(input), async () =>
        {
            var remedy = await remedies.CheckOfferedAsync(input.RemedySoughtId, ct);
            var arrived = await arrival.ReceiveAsync(new ArrivingComplaint(input.Email ?? "", input.Name, input.Language ?? "en",
                new TicketIntake(TicketKind.Complaint, Channel.Api, Severity.Minor, input.Subject ?? "", input.Description ?? "", remedy, input.OrderReference, input.Product), [])
            {
                AddressShown = false, // a program vouches for nobody's address: as the web form
            }, ct);
            var ticket = arrived.Ticket;
            return new ApiIdempotency.Answer(ticket.Id, StatusCodes.Status201Created,
                JsonSerializer.Serialize(new ApiComplaintCreated(ticket.Number, ticket.State, ticket.IsRepeatComplaint, ticket.ContactUnverified, arrived.Acknowledged), ApiIdempotency.Json));
        }, ct);
        outbox.Wake();
        return answer;
    }
}

using System.ComponentModel;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Desk.Domain;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Email.Outbound;
using Desk.Web.Features.Arrival;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

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
/// <c>Idempotency-Key</c> (<see cref="ApiIdempotencyRecord"/>): the same key and request answer the first answer again
/// and never open a second ticket, also when both arrive at once; the same key with another request is 422.
/// </summary>
public static class ComplaintsApi
{
    public const string IdempotencyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const string KeyReusedType = "urn:desk:problem:idempotency-key-reused";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

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
        var key = http.Request.Headers[IdempotencyHeader].ToString().Trim();
        if (key.Length is 0 or > 100)
            return Problem(StatusCodes.Status400BadRequest, $"An {IdempotencyHeader} header is required (1 to 100 characters).",
                "Send a new one (a UUID) with each complaint, and the same one when you send that complaint again.");
        ApiComplaint? input;
        try
        {
            input = await JsonSerializer.DeserializeAsync<ApiComplaint>(http.Request.Body, Json, ct);
        }
        catch (JsonException e)
        {
            return Problem(StatusCodes.Status400BadRequest, "The body is not a JSON complaint.", e.Message);
        }
        if (input is null) return Problem(StatusCodes.Status400BadRequest, "The body is not a JSON complaint.", "Send an object with email, subject and description.");

        var keyId = long.Parse(http.User.FindFirst(ApiKeyAuthentication.KeyIdClaim)!.Value, CultureInfo.InvariantCulture);
        var requestHash = Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(input, Json)));
        for (var attempt = 1; ; attempt++)
        {
            if (await AnsweredAsync(db, http, keyId, key, requestHash, ct) is { } earlier) return earlier;
            try
            {
                await using var transaction = await db.BeginWriteAsync(ct);
                // The claim first: a second call with this key waits on this row until this transaction ends.
                var claim = new ApiIdempotencyRecord(keyId, key, requestHash, clock.GetUtcNow().UtcDateTime);
                db.ApiIdempotencyRecords.Add(claim);
                await db.SaveChangesAsync(ct);
                var remedy = await remedies.CheckOfferedAsync(input.RemedySoughtId, ct);
                var arrived = await arrival.ReceiveAsync(new ArrivingComplaint(input.Email ?? "", input.Name, input.Language ?? "en",
                    new TicketIntake(TicketKind.Complaint, Channel.Api, Severity.Minor, input.Subject ?? "", input.Description ?? "", remedy, input.OrderReference, input.Product), [])
                {
                    AddressShown = false, // a program vouches for nobody's address: as the web form
                }, ct);
                var ticket = arrived.Ticket;
                var body = JsonSerializer.Serialize(new ApiComplaintCreated(ticket.Number, ticket.State, ticket.IsRepeatComplaint, ticket.ContactUnverified, arrived.Acknowledged), Json);
                claim.Answered(ticket.Id, StatusCodes.Status201Created, body);
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                outbox.Wake();
                return Answer(http, ticket.Id, StatusCodes.Status201Created, body, replayed: false);
            }
            catch (DomainException e)
            {
                db.ChangeTracker.Clear(); // rolled back with the claim: the corrected complaint may use the same key
                return Problem(StatusCodes.Status422UnprocessableEntity, e.Message, null);
            }
            catch (DbUpdateException e) when (attempt < 3 && db.Provider.IsConflict(e))
            {
                // Another call claimed this key first (it has committed by now), or another desk created the same new
                // customer at the same moment: look again.
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>The stored answer to this key; a 422 when the key was used for another request; null when it is new.</summary>
    private static async Task<IResult?> AnsweredAsync(DeskDbContext db, HttpContext http, long keyId, string key, string requestHash, CancellationToken ct)
    {
        var record = await db.ApiIdempotencyRecords.AsNoTracking().Where(r => r.ApiKeyId == keyId && r.Key == key)
            .Select(r => new { r.RequestHash, r.TicketId, r.StatusCode, r.Response }).SingleOrDefaultAsync(ct);
        if (record is null) return null;
        if (record.RequestHash != requestHash)
            return TypedResults.Problem(new ProblemDetails
            {
                Type = KeyReusedType,
                Status = StatusCodes.Status422UnprocessableEntity,
                Title = $"This {IdempotencyHeader} was used for another complaint.",
                Detail = "Send a new key with each complaint; send a key again only with the very same complaint.",
            });
        return Answer(http, record.TicketId ?? 0, record.StatusCode, record.Response, replayed: true);
    }

    private static IResult Answer(HttpContext http, long ticketId, int status, string body, bool replayed)
    {
        http.Response.Headers.Location = "/api/v1/tickets/" + TicketNumber.Format(ticketId);
        if (replayed) http.Response.Headers[ReplayedHeader] = "true";
        return Results.Text(body, "application/json", Encoding.UTF8, status);
    }

    private static IResult Problem(int status, string title, string? detail) =>
        TypedResults.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail });
}

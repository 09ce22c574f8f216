using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Desk.Domain;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Api;

/// <summary>
/// The <c>Idempotency-Key</c> every API write (POST) requires, claimed by an <see cref="ApiIdempotencyRecord"/> row written
/// in the same transaction as the write: the same key and request answer the first answer again and never write twice,
/// also when both arrive at once, on one desk or several (the second waits on the first's row, then reads its answer);
/// the same key with another request is 422. A write the desk refuses rolls its claim back with it: the corrected
/// request may use the same key.
/// </summary>
public static class ApiIdempotency
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const string KeyReusedType = "urn:desk:problem:idempotency-key-reused";
    public const int MaxKeyLength = 100;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>What a write answered: the ticket it concerns, its status and JSON, stored with the claim for every repeat.</summary>
    public sealed record Answer(long TicketId, int StatusCode, string Body, string? ETag = null);

    /// <summary>The request's <c>Idempotency-Key</c>, or the 400 to answer when it is missing or too long.</summary>
    public static bool TryReadKey(HttpContext http, out string key, out IResult? refusal)
    {
        key = http.Request.Headers[Header].ToString().Trim();
        refusal = key.Length is 0 or > MaxKeyLength
            ? Problem(StatusCodes.Status400BadRequest, $"An {Header} header is required (1 to {MaxKeyLength} characters).",
                "Send a new one (a UUID) with each request, and the same one when you send that request again.")
            : null;
        return refusal is null;
    }

    /// <summary>
    /// Lower-case hex SHA-256 of the request as the desk read it. <paramref name="target"/> (e.g. "D-000123/notes") keeps a
    /// key sent to one ticket's endpoint from answering for another; complaints leave it out, as they always have.
    /// </summary>
    public static string HashOf<T>(T input, string? target = null)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(input, Json);
        return Convert.ToHexStringLower(SHA256.HashData(target is null ? body : [.. Encoding.UTF8.GetBytes(target + "\n"), .. body]));
    }

    public static long KeyIdOf(HttpContext http) =>
        long.Parse(http.User.FindFirst(ApiKeyAuthentication.KeyIdClaim)!.Value, CultureInfo.InvariantCulture);

    /// <summary>
    /// Runs <paramref name="write"/> once for this key and request: the stored answer when it ran before; otherwise in a
    /// write transaction that first claims the key, then writes, then stores what it answered. <paramref name="write"/>
    /// returns the answer to store, or a refusal (any other result) that rolls everything back, the claim included.
    /// A <see cref="DomainException"/> is 422 with the domain's message, all rolled back. A lost race for the same key
    /// (or for a new customer another desk created at the same moment) is tried again.
    /// </summary>
    public static async Task<IResult> RunAsync(HttpContext http, DeskDbContext db, TimeProvider clock, string key, string requestHash,
        Func<Task<Answer>> write, CancellationToken ct, Func<DomainException, IResult>? refused = null)
    {
        var keyId = KeyIdOf(http);
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
                var answer = await write();
                claim.Answered(answer.TicketId, answer.StatusCode, answer.Body);
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                if (answer.ETag is not null) http.Response.Headers.ETag = answer.ETag;
                return Respond(http, answer.TicketId, answer.StatusCode, answer.Body, replayed: false);
            }
            catch (DomainException e)
            {
                db.ChangeTracker.Clear(); // rolled back with the claim: the corrected request may use the same key
                return refused?.Invoke(e) ?? Problem(StatusCodes.Status422UnprocessableEntity, e.Message, null);
            }
            catch (Refusal r)
            {
                db.ChangeTracker.Clear();
                return r.Result;
            }
            catch (ConcurrencyConflictException e)
            {
                // The ticket moved on between reading its version and saving: the caller sent no If-Match (a write that
                // did is refused with 412 by the write itself), so it asked for no particular version: try again on the new one.
                db.ChangeTracker.Clear();
                if (attempt >= 3) return Problem(StatusCodes.Status409Conflict, e.Message, "Try again.");
            }
            catch (DbUpdateException e) when (attempt < 3 && db.Provider.IsConflict(e))
            {
                // Another call claimed this key first (it has committed by now), or another desk created the same new
                // customer at the same moment: look again.
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>Thrown by a write to refuse with <see cref="Result"/>: everything it did is rolled back, the claim included.</summary>
    public sealed class Refusal(IResult result) : Exception("The API refused the request.")
    {
        public IResult Result { get; } = result;
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
                Title = $"This {Header} was used for another request.",
                Detail = "Send a new key with each request; send a key again only with the very same request.",
            });
        return Respond(http, record.TicketId ?? 0, record.StatusCode, record.Response, replayed: true);
    }

    private static IResult Respond(HttpContext http, long ticketId, int status, string body, bool replayed)
    {
        http.Response.Headers.Location = "/api/v1/tickets/" + TicketNumber.Format(ticketId);
        if (replayed) http.Response.Headers[ReplayedHeader] = "true";
        return Results.Text(body, "application/json", Encoding.UTF8, status);
    }

    public static IResult Problem(int status, string title, string? detail) =>
        TypedResults.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail });
}

namespace Desk.Web.Features.Api;

/// <summary>
/// The claim of one <c>Idempotency-Key</c> by one API key, and the answer it got. The row is written in the same
/// transaction as the ticket it opens, and (key, idempotency key) is unique: of two calls with the same key at once,
/// on one desk or several, one inserts the row and the other fails on it, waits for the first to commit, and answers
/// with the stored answer. Nothing is ever filed twice for one key.
/// </summary>
public sealed class ApiIdempotencyRecord
{
    private ApiIdempotencyRecord() { } // for EF Core

    public ApiIdempotencyRecord(long apiKeyId, string key, string requestHash, DateTime now)
    {
        ApiKeyId = apiKeyId;
        Key = key;
        RequestHash = requestHash;
        CreatedAt = now;
    }

    public long Id { get; private set; }
    public long ApiKeyId { get; private set; }
    /// <summary>The caller's <c>Idempotency-Key</c> header, as sent.</summary>
    public string Key { get; private set; } = "";
    /// <summary>Lower-case hex SHA-256 of the request as the desk read it: the same key with another request is refused.</summary>
    public string RequestHash { get; private set; } = "";
    public DateTime CreatedAt { get; private set; }
    public long? TicketId { get; private set; }
    public int StatusCode { get; private set; }
    /// <summary>The JSON answered the first time, answered again to every repeat.</summary>
    public string Response { get; private set; } = "";

    public void Answered(long ticketId, int statusCode, string response)
    {
        TicketId = ticketId;
        StatusCode = statusCode;
        Response = response;
    }
}

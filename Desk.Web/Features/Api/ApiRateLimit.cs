using System.Globalization;
using Desk.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Desk.Web.Features.Api;

/// <summary>
/// The limit on calls per API key: at most <see cref="ApiOptions.RequestsPerMinute"/> in each minute (a fixed window from
/// the start of the minute), counted with one upsert of the key's <see cref="ApiRequestCount"/> row, so that N desks on one
/// database allow what one desk allows, not N times it. A call over the limit is answered 429 with <c>Retry-After</c>
/// (the seconds left in the minute) and does nothing; refused calls count too, so a program that hammers stays refused.
/// Every answer carries <c>X-RateLimit-Limit</c> and <c>X-RateLimit-Remaining</c>.
/// Whoever opens a new minute for a key also deletes past minutes and <see cref="ApiIdempotencyRecord"/>s older than
/// <see cref="ApiOptions.IdempotencyDays"/>, in a short transaction of its own after the count: no clean-up job.
/// </summary>
public sealed class ApiRateLimit(DeskDbContext db, TimeProvider clock, IOptionsMonitor<ApiOptions> options) : IEndpointFilter
{
    public const string LimitHeader = "X-RateLimit-Limit";
    public const string RemainingHeader = "X-RateLimit-Remaining";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        // Only a signed-in key is counted: the 401 and 403 answers came before this filter runs.
        if (http.User.FindFirst(ApiKeyAuthentication.KeyIdClaim)?.Value is not { } id) return await next(context);
        var keyId = long.Parse(id, CultureInfo.InvariantCulture);
        var limit = options.CurrentValue.RequestsPerMinute;
        var now = clock.GetUtcNow().UtcDateTime;
        var nowMs = StoredValues.UnixMilliseconds(now);
        var startMs = nowMs - nowMs % 60_000;
        int count;
        await using (var transaction = await db.BeginWriteAsync(http.RequestAborted))
        {
            count = (await db.Database.SqlQuery<int>(ApiRequestCountSql.Count(keyId, startMs)).ToListAsync(http.RequestAborted)).Single();
            await transaction.CommitAsync(http.RequestAborted);
        }
        if (count == 1) await CleanUpAsync(DateTime.UnixEpoch.AddMilliseconds(startMs), now, http.RequestAborted);
        http.Response.Headers[LimitHeader] = limit.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers[RemainingHeader] = Math.Max(0, limit - count).ToString(CultureInfo.InvariantCulture);
        if (count <= limit) return await next(context);

        var retryAfter = (int)Math.Ceiling((startMs + 60_000 - nowMs) / 1000.0);
        http.Response.Headers.RetryAfter = Math.Max(1, retryAfter).ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = $"This key made more than {limit} calls this minute.",
            Detail = $"Wait {Math.Max(1, retryAfter)} seconds (Retry-After) and send the call again; nothing was done with this one.",
        });
    }

    /// <summary>
    /// Past minutes' counts and old idempotency claims, deleted by whoever opened a new minute; desks opening minutes at
    /// once never wait for each other with a count held, and one that loses a race for the same rows leaves them to the next.
    /// </summary>
    private async Task CleanUpAsync(DateTime start, DateTime now, CancellationToken ct)
    {
        var claimsBefore = now.AddDays(-options.CurrentValue.IdempotencyDays);
        try
        {
            await using var transaction = await db.BeginWriteAsync(ct);
            await db.ApiRequestCounts.Where(c => c.WindowStart < start).ExecuteDeleteAsync(ct);
            await db.ApiIdempotencyRecords.Where(r => r.CreatedAt < claimsBefore).ExecuteDeleteAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch (Exception e) when (db.Provider.IsUnavailable(e))
        {
        }
    }
}

namespace Desk.Web.Features.Api;

/// <summary>
/// The calls one API key made in one minute, in the database so that every desk behind a load balancer counts against
/// the same limit (<see cref="ApiRateLimit"/>). Past minutes' rows are deleted by whoever opens a new one: no job.
/// </summary>
public sealed class ApiRequestCount
{
    private ApiRequestCount() { } // for EF Core

    public long ApiKeyId { get; private set; }

    /// <summary>Start of the minute.</summary>
    public DateTime WindowStart { get; private set; }

    public int Count { get; private set; }
}

using System.ComponentModel.DataAnnotations;

namespace Desk.Web.Features.Api;

/// <summary>Settings of the API (<c>Desk:Api</c>).</summary>
public sealed class ApiOptions
{
    public const string Section = "Desk:Api";

    /// <summary>
    /// Calls one key may make per minute (a fixed window starting on the minute), counted in the database so that every
    /// desk on it counts against the same limit. 2,500, as Zendesk's top tier allows; a call over it is answered 429.
    /// </summary>
    [Range(1, 1_000_000)]
    public int RequestsPerMinute { get; set; } = 2_500;

    /// <summary>How long an <c>Idempotency-Key</c>'s answer is kept: a retry after that is a new request.</summary>
    [Range(1, 3650)]
    public int IdempotencyDays { get; set; } = 30;
}

using System.ComponentModel;
using System.Globalization;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Desk.Web.Features.Api;

/// <summary>
/// <c>GET /api/v1/tickets</c> (a filtered list, paged by keyset) and <c>GET /api/v1/tickets/{number}</c> (one ticket with
/// its conversation and an ETag of its version). Both need <see cref="ApiScopes.TicketsRead"/>. Internal notes and the
/// desk's own events are part of the conversation, marked <c>public: false</c>: the scope is for programs the desk trusts
/// with what agents see (a CRM, a data warehouse); a program that shows tickets to customers must leave those out.
/// </summary>
public static class TicketsApi
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static IEndpointRouteBuilder MapTicketsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/tickets", ListAsync)
            .RequireScope(ApiScopes.TicketsRead)
            .Produces<ApiTicketPage>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithName("ListTickets")
            .WithTags("Tickets")
            .WithSummary("List tickets, oldest first, a page at a time")
            .WithDescription($"""
                Filters combine: state, severity, channel, updatedSince (ISO 8601; tickets changed at or after it). Pages hold
                `limit` tickets (default {DefaultLimit}, at most {MaxLimit}), ordered by ticket number; follow `next` (null on the
                last page) to read on. Paging by cursor visits every ticket once even while tickets arrive: new ones come on later pages.
                """);
        app.MapGet("/api/v1/tickets/{number}", GetAsync)
            .RequireScope(ApiScopes.TicketsRead)
            .Produces<ApiTicket>()
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetTicket")
            .WithTags("Tickets")
            .WithSummary("One ticket with its conversation")
            .WithDescription("""
                The number as customers see it (D-000123) or its digits. The answer's ETag is the ticket's version: send it back
                in If-None-Match and the answer is 304 without a body while the ticket is unchanged. Internal notes and the desk's
                own events are included, with `public: false`.
                """);
        return app;
    }

    private static async Task<Results<Ok<ApiTicketPage>, ProblemHttpResult>> ListAsync(HttpContext http, DeskDbContext db,
        [Description("New, Acknowledged, … (see the ticket states)")] string? state, string? severity, string? channel,
        [Description("ISO 8601, e.g. 2026-03-14T10:30:00Z")] string? updatedSince,
        [Description("The `next` link's cursor from the page before; leave out for the first page.")] string? after,
        int? limit, CancellationToken ct)
    {
        if (!TryEnum<TicketState>(state, out var s)) return BadFilter("state", state, Enum.GetNames<TicketState>());
        if (!TryEnum<Severity>(severity, out var sev)) return BadFilter("severity", severity, Enum.GetNames<Severity>());
        if (!TryEnum<Channel>(channel, out var ch)) return BadFilter("channel", channel, Enum.GetNames<Channel>());
        DateTime? since = null;
        if (!string.IsNullOrEmpty(updatedSince))
        {
            if (!DateTimeOffset.TryParse(updatedSince, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                return Problem($"updatedSince is not a time: {updatedSince}", "Send an ISO 8601 time, e.g. 2026-03-14T10:30:00Z.");
            since = parsed.UtcDateTime;
        }
        if (!TicketsApiQueries.TryReadCursor(after, out var afterId))
            return Problem("The cursor is not one of the desk's.", "Pass back the `after` of a `next` link unchanged, or leave it out to start again.");
        var size = limit ?? DefaultLimit;
        if (size is < 1 or > MaxLimit) return Problem($"limit is between 1 and {MaxLimit}.", $"Leave it out for {DefaultLimit}.");

        var (rows, more) = await TicketsApiQueries.PageAsync(db, new ApiTicketFilter(s, sev, ch, since), afterId, size, ct);
        string? next = null;
        if (more && rows.Count > 0 && TicketNumber.TryParse(rows[^1].Number, out var lastId))
        {
            var query = http.Request.Query.Where(q => q.Key != "after").ToDictionary(q => q.Key, q => q.Value);
            query["after"] = TicketsApiQueries.Cursor(lastId);
            next = http.Request.PathBase + http.Request.Path + QueryString.Create(query);
        }
        return TypedResults.Ok(new ApiTicketPage(rows, next));
    }

    private static async Task<IResult> GetAsync(string number, HttpContext http, DeskDbContext db, CancellationToken ct)
    {
        if (!TicketNumber.TryParse(number, out var id) || await TicketsApiQueries.VersionAsync(db, id, ct) is not { } version)
            return Problem($"There is no ticket {number}.", null, StatusCodes.Status404NotFound);
        var etag = ETagOf(id, version);
        http.Response.Headers.ETag = etag.ToString();
        http.Response.Headers.CacheControl = "private, no-cache"; // revalidate every time: the ETag makes that cheap
        if (EntityTagHeaderValue.TryParseList(http.Request.Headers.IfNoneMatch, out var sent)
            && sent.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(etag, useStrongComparison: false)))
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        var ticket = await TicketsApiQueries.TicketAsync(db, id, ct);
        return ticket is null ? Problem($"There is no ticket {number}.", null, StatusCodes.Status404NotFound) : TypedResults.Ok(ticket);
    }

    /// <summary>The ETag of ticket <paramref name="id"/> at <paramref name="version"/>: GET answers it, writes check it in If-Match.</summary>
    public static EntityTagHeaderValue ETagOf(long id, int version) =>
        new($"\"{TicketNumber.Format(id)}.{version.ToString(CultureInfo.InvariantCulture)}\"");

    private static bool TryEnum<T>(string? text, out T? value) where T : struct, Enum
    {
        value = null;
        if (string.IsNullOrEmpty(text)) return true;
        if (int.TryParse(text, out _) || !Enum.TryParse<T>(text, ignoreCase: true, out var parsed)) return false;
        value = parsed;
        return true;
    }

    private static ProblemHttpResult BadFilter(string name, string? value, string[] allowed) =>
        Problem($"{name} is not one of the desk's: {value}", $"Use one of {string.Join(", ", allowed)}.");

    private static ProblemHttpResult Problem(string title, string? detail, int status = StatusCodes.Status400BadRequest) =>
        TypedResults.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail });
}

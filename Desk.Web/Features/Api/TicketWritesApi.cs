using System.ComponentModel;
using System.Text.Json;
using Desk.Domain;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Email.Outbound;
using Desk.Web.Features.FollowUps;
using Desk.Web.Features.Tickets;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Desk.Web.Features.Api;

/// <summary>A reply to the customer, or an internal note.</summary>
public sealed record ApiTicketText
{
    [Description("The words, as plain text.")]
    public string? Text { get; init; }
}

/// <summary>A workflow step and what it needs; each step reads the fields it needs, the domain refuses what is missing.</summary>
public sealed record ApiTicketStep
{
    [Description("Acknowledge, Assess, Assign, RequestInfo, CustomerReplied, Escalate, Resolve, StartFollowUp, Close, Reopen, Reject or Merge.")]
    public string? Step { get; init; }
    [Description("The question (RequestInfo), the customer's words (CustomerReplied), the reason (Escalate, Reopen), the decision sent to the customer (Resolve), a comment (Close, Reject).")]
    public string? Text { get; init; }
    [Description("Assign: the agent's user name (required).")]
    public string? Assignee { get; init; }
    [Description("Escalate: \"agent:alice\" or \"team:Billing\"; left out for nobody in particular.")]
    public string? EscalateTo { get; init; }
    [Description("Assess.")]
    public Severity? Severity { get; init; }
    [Description("Assess.")]
    public Impact? Impact { get; init; }
    [Description("Assess.")]
    public bool SafetyRisk { get; init; }
    [Description("Resolve: the remedy given, by its id on Admin → Remedies.")]
    public int? RemedyKindId { get; init; }
    [Description("Resolve: what the remedy cost.")]
    public decimal? RemedyCost { get; init; }
    [Description("Resolve: the root cause, by its id on Admin → Root causes.")]
    public int? RootCauseId { get; init; }
    public string? RootCauseNote { get; init; }
    [Description("StartFollowUp: days until the follow-up (14 when left out).")]
    public int? FollowUpDays { get; init; }
    [Description("Reject: Spam or NotAComplaint.")]
    public RejectionReason? RejectionReason { get; init; }
    [Description("Merge: the number of the ticket to merge into.")]
    public string? MergeInto { get; init; }

    internal TicketStepForm Form(int version) => new()
    {
        Version = version, Text = Text, Assignee = Assignee, EscalateTo = EscalateTo, Severity = Severity ?? default, Impact = Impact ?? default,
        SafetyRisk = SafetyRisk, RemedyKindId = RemedyKindId, RemedyCost = RemedyCost, RootCauseId = RootCauseId, RootCauseNote = RootCauseNote,
        FollowUpDays = FollowUpDays ?? 14, RejectionReason = RejectionReason ?? Domain.Tickets.RejectionReason.Spam, MergeInto = MergeInto,
    };
}

/// <summary>A ticket after a write: its state and version (the new ETag), and the entry a reply or note added.</summary>
public sealed record ApiTicketChanged(string Number, TicketState State, int Version, ApiConversationEntry? Added);

/// <summary>
/// Writes on one ticket (scope <see cref="ApiScopes.TicketsWrite"/>): a reply to the customer, an internal note, a workflow
/// step. Each goes through <see cref="TicketSteps"/> and the ticket's own intent methods, as the ticket page's do: a reply
/// is mailed through the outbox, a refused step changes nothing and answers 422 with the domain's message. Each needs an
/// <c>Idempotency-Key</c> (<see cref="ApiIdempotency"/>) and honours <c>If-Match</c>: with the ETag of a version that is no
/// longer the ticket's it answers 412 and changes nothing. The author of what a key writes is <c>api:</c> and the key's
/// name (user names cannot hold a colon, so it is never taken for an agent).
/// </summary>
public static class TicketWritesApi
{
    public const string ActorPrefix = "api:";

    public static IEndpointRouteBuilder MapTicketWritesApi(this IEndpointRouteBuilder app)
    {
        Describe(app.MapPost("/api/v1/tickets/{number}/messages", (string number, HttpContext http, DeskDbContext db, TicketSteps steps, Outbox outbox, TimeProvider clock, CancellationToken ct) =>
                TextAsync(number, "messages", http, db, steps, outbox, clock, (ticket, actor, now, text) => ticket.Reply(actor, now, text), ct))
            .Accepts<ApiTicketText>("application/json")
            .Produces<ApiTicketChanged>(StatusCodes.Status201Created)
            .WithName("ReplyToCustomer")
            .WithSummary("Reply to the customer (mailed)")
            .WithDescription("""
                The reply is added to the conversation and mailed to the customer through the outbox, in the ticket's thread, as
                an agent's reply on the ticket page is. Not possible on a ticket that is New, Closed or Rejected (422).
                """));
        Describe(app.MapPost("/api/v1/tickets/{number}/notes", (string number, HttpContext http, DeskDbContext db, TicketSteps steps, Outbox outbox, TimeProvider clock, CancellationToken ct) =>
                TextAsync(number, "notes", http, db, steps, outbox, clock, (ticket, actor, now, text) => ticket.AddInternalNote(actor, now, text), ct))
            .Accepts<ApiTicketText>("application/json")
            .Produces<ApiTicketChanged>(StatusCodes.Status201Created)
            .WithName("AddInternalNote")
            .WithSummary("Add an internal note (never shown to the customer)"));
        Describe(app.MapPost("/api/v1/tickets/{number}/steps", StepAsync)
            .Accepts<ApiTicketStep>("application/json")
            .Produces<ApiTicketChanged>()
            .WithName("TakeWorkflowStep")
            .WithSummary("Take a workflow step")
            .WithDescription("""
                The same workflow as on the ticket page: a step the ticket's state does not permit, or one missing what it needs
                (a Resolve without a remedy, an Assign without an assignee), is refused with 422 and the workflow's own message in
                `detail`, and nothing changes. Resolving starts the customer's follow-up plan, as on the page.
                """));
        return app;
    }

    private static RouteHandlerBuilder Describe(RouteHandlerBuilder endpoint) => endpoint
        .RequireScope(ApiScopes.TicketsWrite)
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status412PreconditionFailed)
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
        .WithTags("Tickets");

    private static async Task<IResult> TextAsync(string number, string what, HttpContext http, DeskDbContext db, TicketSteps steps, Outbox outbox,
        TimeProvider clock, Action<Ticket, string, DateTime, string> write, CancellationToken ct)
    {
        var (input, refusal) = await ReadAsync<ApiTicketText>(http, ct);
        if (input is null) return refusal!;
        return await ChangeAsync(number, what, input, http, db, steps, outbox, clock, StatusCodes.Status201Created,
            (ticket, actor, now, _) => write(ticket, actor, now, input.Text ?? ""), null, added: true, ct);
    }

    private static async Task<IResult> StepAsync(string number, HttpContext http, DeskDbContext db, TicketSteps steps, FollowUpPlanner followUps,
        Outbox outbox, TimeProvider clock, CancellationToken ct)
    {
        var (input, refusal) = await ReadAsync<ApiTicketStep>(http, ct);
        if (input is null) return refusal!;
        if (string.IsNullOrWhiteSpace(input.Step) || char.IsDigit(input.Step.Trim()[0])
            || !Enum.TryParse<TicketTrigger>(input.Step.Trim(), ignoreCase: true, out var step) || !Enum.IsDefined(step))
            return ApiIdempotency.Problem(StatusCodes.Status400BadRequest, $"There is no step \"{input.Step}\".",
                $"Send one of {string.Join(", ", Enum.GetNames<TicketTrigger>())}.");
        return await ChangeAsync(number, "steps", input, http, db, steps, outbox, clock, StatusCodes.Status200OK,
            (ticket, actor, now, version) =>
            {
                // The page assigns to whoever clicks; a key is nobody to assign to.
                if (step == TicketTrigger.Assign && string.IsNullOrWhiteSpace(input.Assignee))
                    throw new DomainException("Say which agent to assign (assignee).");
                steps.Take(ticket, step, input.Form(version), actor, now);
            },
            step switch
            {
                // As on the ticket page: resolving starts the customer's follow-up plan at once; starting it by hand uses the window asked for.
                TicketTrigger.Resolve => (ticket, now) => followUps.StartAsync(ticket, "desk", now, ct),
                TicketTrigger.StartFollowUp => (ticket, now) => followUps.StartAsync(ticket, ActorOf(http), now, ct, TimeSpan.FromDays(input.FollowUpDays ?? 14)),
                _ => null,
            }, added: false, ct);
    }

    /// <summary>
    /// The write under the idempotency claim: reads the ticket's version, checks If-Match against it, applies
    /// <paramref name="change"/> through <see cref="TicketSteps.ChangeAsync"/> (which refuses a save over a newer version)
    /// and answers the ticket's new state and ETag.
    /// </summary>
    private static async Task<IResult> ChangeAsync<T>(string number, string what, T input, HttpContext http, DeskDbContext db, TicketSteps steps,
        Outbox outbox, TimeProvider clock, int status, Action<Ticket, string, DateTime, int> change, Func<Ticket, DateTime, Task>? then, bool added,
        CancellationToken ct)
    {
        if (!TicketNumber.TryParse(number, out var id)) return NoTicket(number);
        if (!ApiIdempotency.TryReadKey(http, out var key, out var refusal)) return refusal!;
        var actor = ActorOf(http);
        var ifMatch = http.Request.Headers.IfMatch;
        var answer = await ApiIdempotency.RunAsync(http, db, clock, key, ApiIdempotency.HashOf(input, $"{TicketNumber.Format(id)}/{what}"), async () =>
        {
            var version = await TicketsApiQueries.VersionAsync(db, id, ct) ?? throw new ApiIdempotency.Refusal(NoTicket(number));
            if (ifMatch.Count > 0 && !Matches(ifMatch, TicketsApi.ETagOf(id, version))) throw Stale(http, id, version);
            Ticket? ticket;
            try
            {
                ticket = await steps.ChangeAsync(id, version, actor, (t, a, now) => change(t, a, now, version), ct, then);
            }
            catch (ConcurrencyConflictException) when (ifMatch.Count > 0)
            {
                throw Stale(http, id, await TicketsApiQueries.VersionAsync(db, id, ct) ?? version); // changed between the check and the save
            }
            if (ticket is null) throw new ApiIdempotency.Refusal(NoTicket(number));
            var entry = added ? ticket.Conversation.MaxBy(e => e.Id) : null;
            var body = JsonSerializer.Serialize(new ApiTicketChanged(ticket.Number, ticket.State, ticket.Version,
                entry is null ? null : new ApiConversationEntry(entry.At, entry.Kind, entry.Author, entry.Body, entry.Kind is ConversationEntryKind.Outbound)), ApiIdempotency.Json);
            return new ApiIdempotency.Answer(id, status, body, TicketsApi.ETagOf(id, ticket.Version).ToString());
        }, ct, refused: e => TypedResults.Problem(new ProblemDetails
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = $"Ticket {TicketNumber.Format(id)} refused this; nothing changed.",
            Detail = e.Message,
        }));
        outbox.Wake(); // a reply, a question or a decision waits in the outbox
        return answer;
    }

    /// <summary>The author of what a key writes: <c>api:</c> and the key's name.</summary>
    public static string ActorOf(HttpContext http) => ActorPrefix + http.User.Identity!.Name;

    private static bool Matches(Microsoft.Extensions.Primitives.StringValues ifMatch, EntityTagHeaderValue current) =>
        EntityTagHeaderValue.TryParseList(ifMatch, out var sent)
        && sent.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(current, useStrongComparison: true));

    private static ApiIdempotency.Refusal Stale(HttpContext http, long id, int version)
    {
        var current = TicketsApi.ETagOf(id, version).ToString();
        http.Response.Headers.ETag = current;
        return new ApiIdempotency.Refusal(TypedResults.Problem(new ProblemDetails
        {
            Status = StatusCodes.Status412PreconditionFailed,
            Title = $"Ticket {TicketNumber.Format(id)} has changed since you read it; nothing changed.",
            Detail = $"Its ETag is now {current}. Read it again (GET), check what changed, and send the write again with the new ETag in If-Match.",
        }));
    }

    private static IResult NoTicket(string number) => ApiIdempotency.Problem(StatusCodes.Status404NotFound, $"There is no ticket {number}.", null);

    private static async Task<(T? Input, IResult? Refusal)> ReadAsync<T>(HttpContext http, CancellationToken ct) where T : class
    {
        try
        {
            var input = await JsonSerializer.DeserializeAsync<T>(http.Request.Body, ApiIdempotency.Json, ct);
            return input is null ? (null, ApiIdempotency.Problem(StatusCodes.Status400BadRequest, "The body is not a JSON object.", null)) : (input, null);
        }
        catch (JsonException e)
        {
            return (null, ApiIdempotency.Problem(StatusCodes.Status400BadRequest, "The body is not the JSON this call reads.", e.Message));
        }
    }
}

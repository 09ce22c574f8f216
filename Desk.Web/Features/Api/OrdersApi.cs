using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Desk.Web.Features.Orders;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Desk.Web.Features.Api;

/// <summary>One order in a batch, as the shop sends it.</summary>
public sealed record ApiOrder
{
    [Description("The customer's e-mail address; orders link to customers by it (case and surrounding spaces do not matter).")]
    public string? CustomerEmail { get; init; }
    [Description("The customer's name, used only when the address is new to the desk (the customer is then created).")]
    public string? CustomerName { get; init; }
    [Description("The shop's own order reference, unique: an order sent again with the same data is not imported twice.")]
    public string? ExternalRef { get; init; }
    [Description("When the order was placed: 2026-03-14T10:30:00+08:00, or a day (2026-03-14); without a zone, UTC.")]
    public string? PlacedAt { get; init; }
    [Description("What the customer paid, at most two decimals, not negative.")]
    public decimal? Amount { get; init; }
    public string? Product { get; init; }
    public string? Category { get; init; }
}

/// <summary>What a batch did.</summary>
public sealed record ApiOrdersResult(
    [property: Description("Orders new to the desk, now imported.")] long Created,
    [property: Description("Orders the desk had already, with the same data: left as they are.")] long AlreadyImported,
    [property: Description("Orders sent twice in this batch, imported once.")] long RepeatedInBatch,
    [property: Description("Customers created for addresses new to the desk.")] long NewCustomers);

/// <summary>One thing wrong with one order of a refused batch.</summary>
public sealed record ApiOrderError(
    [property: Description("The order's 0-based position in the batch; -1 for the batch as a whole.")] long Index,
    [property: Description("The property at fault, if one is.")] string? Field,
    string Problem,
    [property: Description("What to do about it.")] string Fix);

/// <summary>
/// <c>POST /api/orders</c>: the shop sends orders as a JSON array, with the rules of the CSV import (see
/// <see cref="OrderImport"/>): all or nothing per batch, idempotent on <c>externalRef</c>, customers by e-mail.
/// Signed in by API key only (<see cref="ApiKeyAuthentication"/>); no cookies, so no antiforgery token either.
/// </summary>
public static class OrdersApi
{
    public const int MaxBatch = 10_000;
    public const string RefusedType = "urn:desk:problem:orders-refused";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/orders", PostAsync)
            .RequireScope(ApiScopes.OrdersWrite)
            .Accepts<List<ApiOrder>>("application/json")
            .Produces<ApiOrdersResult>(StatusCodes.Status201Created)
            .Produces<ApiOrdersResult>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithName("ImportOrders")
            .WithTags("Orders")
            .WithSummary("Import a batch of orders")
            .WithDescription($"""
                A JSON array of at most {MaxBatch:N0} orders. All or nothing: when any order is wrong, none is imported and the
                answer is 422 with a problem document whose "errors" list each order's index, field, problem and fix. An order
                whose externalRef the desk has already, with the same data, is counted as already imported; with other data it
                is an error (an imported order is never changed). 201 when orders were created, 200 when all were there already.
                """);
        return app;
    }

    private static async Task<IResult> PostAsync(HttpContext http, OrderImport import, CancellationToken ct)
    {
        List<ApiOrder?>? batch;
        try
        {
            batch = await JsonSerializer.DeserializeAsync<List<ApiOrder?>>(http.Request.Body, Json, ct);
        }
        catch (JsonException e)
        {
            return Problem(StatusCodes.Status400BadRequest, "The body is not a JSON array of orders.",
                $"{e.Message} Send a JSON array of objects with customerEmail, externalRef, placedAt, amount (and optionally customerName, product, category).");
        }
        if (batch is null || batch.Count == 0)
            return Problem(StatusCodes.Status400BadRequest, "The batch is empty.", "Send a JSON array with at least one order.");
        if (batch.Count > MaxBatch)
            return Problem(StatusCodes.Status400BadRequest, $"A batch holds at most {MaxBatch:N0} orders; this one has {batch.Count:N0}.",
                "Send the orders in several batches: each is imported on its own, and sending one again does no harm.");

        var result = await import.RunAsync(Lines(batch), OrderImportMode.Import, progress: null, ct);
        if (result.Refused)
        {
            var problem = new ProblemDetails
            {
                Type = RefusedType,
                Status = StatusCodes.Status422UnprocessableEntity,
                Title = "Some orders are wrong; none of the batch was imported.",
                Detail = $"{result.ErrorCount:N0} problem(s). Fix them and send the whole batch again.",
            };
            problem.Extensions["errors"] = result.Errors.Select(e => new ApiOrderError(e.Position, e.Field is { } f ? FieldName(f) : null,
                e.Problem.ToString(), e.Fix.ToString())).ToList();
            if (result.ErrorCount > result.Errors.Count) problem.Extensions["moreErrors"] = result.ErrorCount - result.Errors.Count;
            return TypedResults.Problem(problem);
        }
        var body = new ApiOrdersResult(result.New, result.AlreadyImported, result.RepeatedInInput, result.NewCustomers);
        return result.New > 0 ? TypedResults.Created((string?)null, body) : TypedResults.Ok(body);
    }

    /// <summary>The batch as import lines; the position of each is its index, so errors point at it.</summary>
    private static IAsyncEnumerable<OrderLine> Lines(List<ApiOrder?> batch) =>
        batch.Select((order, i) => order is null
                ? new OrderLine(i, null, null, null, null, null, null, null)
                : new OrderLine(i, order.CustomerEmail, order.CustomerName, order.ExternalRef, order.PlacedAt,
                    order.Amount?.ToString(CultureInfo.InvariantCulture), order.Product, order.Category))
            .ToAsyncEnumerable();

    /// <summary>The JSON property that holds a field.</summary>
    public static string FieldName(OrderField field) => field switch
    {
        OrderField.Email => "customerEmail",
        OrderField.Name => "customerName",
        OrderField.ExternalRef => "externalRef",
        OrderField.PlacedAt => "placedAt",
        OrderField.Amount => "amount",
        OrderField.Product => "product",
        _ => "category",
    };

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail });
}

namespace Desk.Web.Features.Api;

/// <summary>
/// What an API key may do. A key holds a set of scopes, stored on it as a space-separated list (as OAuth writes
/// them); every endpoint requires exactly one (<see cref="ApiScopeExtensions.RequireScope{T}"/>), and a call with a
/// key that lacks it is answered 403 with a problem document that names the missing scope. Keys made before scopes
/// existed hold <see cref="OrdersWrite"/> only: all they could be used for was sending orders from the shop.
/// </summary>
public static class ApiScopes
{
    public const string TicketsRead = "tickets:read";
    public const string TicketsWrite = "tickets:write";
    public const string OrdersWrite = "orders:write";
    public const string CustomersRead = "customers:read";
    public const string ReportsRead = "reports:read";

    /// <summary>Every scope, in the order the admin page lists them.</summary>
    public static readonly IReadOnlyList<string> All = [TicketsRead, TicketsWrite, OrdersWrite, CustomersRead, ReportsRead];

    /// <summary>The claim an API call's principal carries once per scope of its key.</summary>
    public const string ClaimType = "scope";

    /// <summary>What each scope opens, for the admin page and the OpenAPI document.</summary>
    public static string Describe(string scope) => scope switch
    {
        TicketsRead => "Read tickets and their conversations, internal notes included.",
        TicketsWrite => "Create complaints; reply to customers, add internal notes and take workflow steps on tickets.",
        OrdersWrite => "Send orders from the shop.",
        CustomersRead => "Read customers with their orders and tickets; export everything the desk holds on one.",
        ReportsRead => "Read the figures of the dashboard and the reports.",
        _ => scope,
    };

    public static string PolicyName(string scope) => "ApiScope:" + scope;
}

/// <summary>Endpoint metadata: the scope a call needs. Read by the 403 answer and the OpenAPI document.</summary>
public sealed record RequiredApiScope(string Scope);

public static class ApiScopeExtensions
{
    /// <summary>Signs the endpoint in by API key only and requires <paramref name="scope"/> of the key.</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder endpoint, string scope) where TBuilder : IEndpointConventionBuilder =>
        endpoint.RequireAuthorization(ApiScopes.PolicyName(scope)).WithMetadata(new RequiredApiScope(scope));
}

using Microsoft.AspNetCore.Authentication;
using Microsoft.OpenApi;

namespace Desk.Web.Features.Api;

/// <summary>
/// The desk's API for programs: API-key sign-in, the endpoints under /api, and their OpenAPI document at
/// <see cref="OpenApiPath"/> (public: it describes the API, it opens nothing).
/// </summary>
public static class ApiSetup
{
    public const string CallsApiPolicy = "CallsApi";
    public const string OpenApiPath = "/api/openapi.json";

    public static WebApplicationBuilder AddDeskApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<ApiRateLimit>();
        // A scheme of its own, never the default: pages keep signing in with the Identity cookie only.
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(CallsApiPolicy, p => p.AddAuthenticationSchemes(ApiKeyAuthentication.SchemeName).RequireAuthenticatedUser());
        foreach (var scope in ApiScopes.All)
            builder.Services.AddAuthorizationBuilder().AddPolicy(ApiScopes.PolicyName(scope), p => p
                .AddAuthenticationSchemes(ApiKeyAuthentication.SchemeName).RequireAuthenticatedUser().RequireClaim(ApiScopes.ClaimType, scope));

        // Enums travel as their names ("Acknowledged", not 1), in answers and in the OpenAPI document's schemas.
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        builder.Services.AddOpenApi("v1", openApi =>
        {
            openApi.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            openApi.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Desk API";
                document.Info.Description = $"Tickets out (list and one with its conversation) and in (complaints, replies, notes, workflow steps), orders in from the shop, customers with their orders and tickets, a customer's data out (GDPR export), the reports' figures. Each key holds scopes ({string.Join(", ", ApiScopes.All)}); each operation names the one it needs. Every POST needs an Idempotency-Key; writes on a ticket honour If-Match with the ETag of GET (412 when it is stale). Every call sends an API key (created by an admin on Admin → API keys) in the {ApiKeyAuthentication.Header} header; errors are problem documents (RFC 9457).";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[ApiKeyAuthentication.SchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = ApiKeyAuthentication.Header,
                    Description = "An API key from Admin → API keys.",
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyAuthentication.SchemeName, document)] = [] }];
                return Task.CompletedTask;
            });
            // Each operation says which scope its key needs, in its description and in its security requirement
            // (OpenAPI 3.1 lets a requirement of any scheme list the roles it needs).
            openApi.AddOperationTransformer((operation, context, _) =>
            {
                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<RequiredApiScope>().FirstOrDefault() is not { } required) return Task.CompletedTask;
                operation.Description = $"Needs a key with the scope `{required.Scope}` ({ApiScopes.Describe(required.Scope)}); without it, 403.\n\n{operation.Description}".TrimEnd();
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyAuthentication.SchemeName, context.Document)] = [required.Scope] }];
                operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
                operation.Extensions["x-required-scope"] = new JsonNodeExtension(System.Text.Json.Nodes.JsonValue.Create(required.Scope));
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    public static WebApplication MapDeskApi(this WebApplication app)
    {
        app.MapOpenApi(OpenApiPath).AllowAnonymous();
        // Every call with a key counts against the key's limit (ApiRateLimit), whichever endpoint it reaches.
        var api = app.MapGroup("");
        api.AddEndpointFilter((context, next) => context.HttpContext.RequestServices.GetRequiredService<ApiRateLimit>().InvokeAsync(context, next));
        api.MapOrdersApi();
        api.MapTicketsApi();
        api.MapComplaintsApi();
        api.MapTicketWritesApi();
        api.MapCustomersApi();
        api.MapReportsApi();
        Privacy.PrivacyApi.MapPrivacyApi(api);
        return app;
    }
}

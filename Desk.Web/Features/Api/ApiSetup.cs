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
        // A scheme of its own, never the default: pages keep signing in with the Identity cookie only.
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(CallsApiPolicy, p => p.AddAuthenticationSchemes(ApiKeyAuthentication.SchemeName).RequireAuthenticatedUser());

        builder.Services.AddOpenApi("v1", openApi =>
        {
            openApi.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            openApi.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Desk API";
                document.Info.Description = $"Orders in from the shop; a customer's data out (GDPR export). Every call sends an API key (created by an admin on Admin → API keys) in the {ApiKeyAuthentication.Header} header; errors are problem documents (RFC 9457).";
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
        });
        return builder;
    }

    public static WebApplication MapDeskApi(this WebApplication app)
    {
        app.MapOpenApi(OpenApiPath).AllowAnonymous();
        app.MapOrdersApi();
        Privacy.PrivacyApi.MapPrivacyApi(app);
        return app;
    }
}

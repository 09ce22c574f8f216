using System.Security.Claims;
using System.Text.Encodings.Web;
using Desk.Web.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Desk.Web.Features.Api;

/// <summary>
/// Signs an API call in by its <c>X-Api-Key</c> header. Only the API's endpoints use this scheme, and they use no other:
/// a desk cookie means nothing to the API (so no cross-site request can use it), and pages never look at the header.
/// A missing, unknown or revoked key is answered 401 with a problem document (RFC 9457), never the sign-in page.
/// </summary>
public sealed class ApiKeyAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    TimeProvider clock) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";
    public const string KeyIdClaim = "desk:api_key_id";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Request.Headers[Header].ToString().Trim();
        if (presented.Length == 0) return AuthenticateResult.NoResult();
        if (presented.Length > 200) return AuthenticateResult.Fail("The API key is not one of the desk's.");

        var db = Context.RequestServices.GetRequiredService<DeskDbContext>();
        var hash = ApiKey.HashOf(presented);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Hash == hash, Context.RequestAborted);
        if (key is null || !key.IsActive) return AuthenticateResult.Fail("The API key is not one of the desk's, or it was revoked.");
        if (key.Used(clock.GetUtcNow().UtcDateTime)) await db.SaveChangesAsync(Context.RequestAborted);
        db.ChangeTracker.Clear();

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, key.Name), new Claim(KeyIdClaim, key.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            .. key.ScopeList.Select(s => new Claim(ApiScopes.ClaimType, s))], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var missing = Request.Headers[Header].Count == 0;
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{Header}\"";
        await WriteProblemAsync(Context, StatusCodes.Status401Unauthorized, missing
            ? "An API key is required."
            : "The API key is not one of the desk's, or it was revoked.",
            $"Send the key an admin created (Admin → API keys) in the {Header} header.");
    }

    /// <summary>A known key without the endpoint's scope: the answer names the scope, so that whoever reads it knows what to ask an admin for.</summary>
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var missing = Context.GetEndpoint()?.Metadata.GetOrderedMetadata<RequiredApiScope>()
            .Select(r => r.Scope).Where(s => !Context.User.HasClaim(ApiScopes.ClaimType, s)).ToList() ?? [];
        return missing.Count == 0
            ? WriteProblemAsync(Context, StatusCodes.Status403Forbidden, "This key may not do that.", null)
            : WriteProblemAsync(Context, StatusCodes.Status403Forbidden, $"This key lacks the scope {string.Join(", ", missing)}.",
                $"An admin creates a key with the scope {string.Join(", ", missing)} on Admin → API keys (a key's scopes never change).",
                new Dictionary<string, object?> { ["missingScopes"] = missing });
    }

    /// <summary>Writes a problem document; a body of its own also keeps the status-code pages (HTML) out of the API.</summary>
    public static Task WriteProblemAsync(HttpContext context, int status, string title, string? detail,
        IDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        foreach (var (name, value) in extensions ?? new Dictionary<string, object?>()) problem.Extensions[name] = value;
        return Results.Problem(problem).ExecuteAsync(context);
    }
}

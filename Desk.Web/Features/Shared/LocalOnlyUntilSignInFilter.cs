using System.Net;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Desk.Web.Features.Shared;

/// <summary>
/// Until sign-in and roles exist, the desk's pages show customer data only to a browser on the same
/// machine: anyone else gets 403 with the reason. Error pages stay open to all.
/// </summary>
public sealed class LocalOnlyUntilSignInFilter : IAuthorizationFilter
{
    public void OnAuthorization(AuthorizationFilterContext context)
    {
        if (context.ActionDescriptor.EndpointMetadata.OfType<AllowRemoteAttribute>().Any()) return;
        var remote = context.HttpContext.Connection.RemoteIpAddress;
        // The in-process test server has no remote address; it is as local as it gets.
        if (remote is null || IPAddress.IsLoopback(remote)) return;
        context.Result = new ContentResult
        {
            StatusCode = StatusCodes.Status403Forbidden,
            ContentType = "text/plain; charset=utf-8",
            Content = "This desk has no sign-in yet, so its pages answer only on the machine it runs on. Open it from that machine (http://127.0.0.1).",
        };
    }
}

/// <summary>Marks an action anyone may reach, such as the error page.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class AllowRemoteAttribute : Attribute;

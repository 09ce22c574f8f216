using System.Security.Claims;
using Desk.Web.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Desk.Web.Identity;

/// <summary>
/// The sign-in cookie is only good while the user's security stamp in the database is the one the cookie was issued
/// with, and while the user is not locked out. Every request checks, so a new stamp — a sign-out, a changed password,
/// an admin's "end sessions", <c>end-sessions USER</c> — ends every session of that user at once, in every browser
/// and on every desk process (the stamp lives in the shared database, nothing is held in memory).
/// </summary>
public sealed class DeskSessions(UserManager<DeskUser> users)
{
    /// <summary>Ends every session of the user by giving them a new security stamp; false when there is no such user.</summary>
    public async Task<bool> EndAllAsync(string userName)
    {
        var user = await users.FindByNameAsync(userName.Trim());
        if (user is null) return false;
        var updated = await users.UpdateSecurityStampAsync(user);
        return updated.Succeeded ? true : throw new InvalidOperationException(string.Join(" ", updated.Errors.Select(e => e.Description)));
    }

    /// <summary>
    /// The cookie's check on every request, against the user's stamp as <see cref="SessionStamps"/> keeps it (told of every
    /// change at once). Identity's own validator with a zero interval would read the user's row and also rebuild the
    /// principal (roles, claims: four more queries) and re-issue the cookie on every response; this one only says yes or no.
    /// </summary>
    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var claims = services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity;
        var id = context.Principal?.FindFirstValue(claims.UserIdClaimType);
        var stamp = context.Principal?.FindFirstValue(claims.SecurityStampClaimType);
        var user = id is null ? null : await services.GetRequiredService<SessionStamps>()
            .ReadAsync(services.GetRequiredService<DeskDbContext>(), id, context.HttpContext.RequestAborted);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var valid = user is not null && stamp is not null && string.Equals(user.SecurityStamp, stamp, StringComparison.Ordinal)
            && !(user.LockoutEnabled && user.LockoutEnd > now);
        if (valid) return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
    }
}

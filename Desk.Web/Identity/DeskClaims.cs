using System.Security.Claims;
using Desk.Web.Features.Shared;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Desk.Web.Identity;

/// <summary>
/// Identity's sign-in principal, with the person's own time zone when they chose one: kept in the sign-in cookie, so any
/// desk shows their times without reading the database. A change is written into this browser's cookie at once (the
/// preferences page signs in again); the person's other open sessions take it at their next sign-in.
/// </summary>
public sealed class DeskClaims(UserManager<DeskUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<DeskUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(DeskUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (AgentTime.Find(user.TimeZone) is { } zone) identity.AddClaim(new Claim(AgentTime.ClaimType, zone.Id));
        return identity;
    }
}

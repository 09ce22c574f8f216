using Microsoft.AspNetCore.Identity;

namespace Desk.Web.Identity;

/// <summary>Creates desk users with a role; the one place that turns Identity's errors into one message.</summary>
public sealed class DeskUsers(UserManager<DeskUser> users)
{
    /// <summary>Creates the user, or returns why not (taken name or address, weak password, unknown role).</summary>
    public async Task<string?> CreateAsync(string userName, string email, string displayName, string password, string role)
    {
        if (!DeskRoles.All.Contains(role)) return $"\"{role}\" is not a role; use one of {string.Join(", ", DeskRoles.All)}.";
        var user = new DeskUser { UserName = userName.Trim(), Email = email.Trim(), DisplayName = displayName.Trim(), EmailConfirmed = true };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded) return string.Join(" ", created.Errors.Select(e => e.Description));
        var added = await users.AddToRoleAsync(user, role);
        return added.Succeeded ? null : string.Join(" ", added.Errors.Select(e => e.Description));
    }
}

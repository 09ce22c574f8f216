using Desk.Web.Data;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Admin;

/// <summary>The desk's people and their roles (admins only).</summary>
[Authorize(Policy = DeskPolicies.ConfiguresDesk)]
public sealed class UsersController(DeskDbContext db) : Controller
{
    [HttpGet("/admin/users")]
    public async Task<IActionResult> Index(string? ended, CancellationToken ct)
    {
        var users = await (
            from u in db.Users
            orderby u.UserName
            select new UserRow(u.UserName!, u.DisplayName, u.Email!,
                (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == u.Id select r.Name!).ToList(),
                u.LockoutEnd)).ToListAsync(ct);
        return View("Users", new UsersPage(users, ended));
    }

    /// <summary>Signs the user out everywhere at once (see <see cref="DeskSessions"/>); they can sign in again.</summary>
    [HttpPost("/admin/users/{userName}/end-sessions")]
    public async Task<IActionResult> EndSessions(string userName, [FromServices] DeskSessions sessions) =>
        await sessions.EndAllAsync(userName) ? Redirect($"/admin/users?ended={Uri.EscapeDataString(userName)}") : NotFound();
}

public sealed record UsersPage(IReadOnlyList<UserRow> Users, string? Ended);

public sealed record UserRow(string UserName, string DisplayName, string Email, IReadOnlyList<string> Roles, DateTimeOffset? LockedUntil);

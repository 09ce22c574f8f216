using Desk.Domain;
using Desk.Web.Data;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Desk.Web.Features.Admin;

/// <summary>
/// The desk's people (admins only): add someone (they get a link to choose their password), change a role, disable and
/// enable, send a link to set a new password, end every session, remove. A refused step (the last admin, yourself, a
/// taken name) says why and changes nothing.
/// </summary>
[Authorize(Policy = DeskPolicies.ConfiguresDesk)]
public sealed class UsersController(DeskDbContext db, DeskUsers people, IStringLocalizer<SharedResource> text) : Controller
{
    [HttpGet("/admin/users")]
    public async Task<IActionResult> Index(string? ended, string? done, string? who, CancellationToken ct) =>
        View("Users", await PageAsync(ended, Done(done, who), null, new NewUserForm(), ct));

    [HttpPost("/admin/users")]
    public async Task<IActionResult> Create(NewUserForm form, [FromServices] PasswordLinks links, CancellationToken ct)
    {
        if (!ModelState.IsValid)
            return await RefusedAsync(string.Join(" ", ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage)), form, ct);
        try
        {
            var user = await people.CreateWithoutPasswordAsync(form.UserName, form.Email, form.DisplayName ?? "", form.Role, ct);
            await links.SendAsync(user, welcome: true, ct);
            return DoneRedirect("created", user.UserName!);
        }
        catch (DomainException e)
        {
            return await RefusedAsync(text.Localize(e), form, ct);
        }
    }

    [HttpPost("/admin/users/{userName}/role")]
    public Task<IActionResult> ChangeRole(string userName, string role, CancellationToken ct) =>
        StepAsync(userName, "role", ct => people.ChangeRoleAsync(userName, role, Me, ct), ct);

    [HttpPost("/admin/users/{userName}/disable")]
    public Task<IActionResult> Disable(string userName, CancellationToken ct) =>
        StepAsync(userName, "disabled", ct => people.DisableAsync(userName, Me, ct), ct);

    [HttpPost("/admin/users/{userName}/enable")]
    public Task<IActionResult> Enable(string userName, CancellationToken ct) =>
        StepAsync(userName, "enabled", ct => people.EnableAsync(userName, Me, ct), ct);

    [HttpPost("/admin/users/{userName}/remove")]
    public Task<IActionResult> Remove(string userName, CancellationToken ct) =>
        StepAsync(userName, "removed", ct => people.RemoveAsync(userName, Me, ct), ct);

    /// <summary>Mails the user a link to set a new password; the old one works until the link is used.</summary>
    [HttpPost("/admin/users/{userName}/password-link")]
    public Task<IActionResult> SendPasswordLink(string userName, [FromServices] Microsoft.AspNetCore.Identity.UserManager<DeskUser> accounts,
        [FromServices] PasswordLinks links, CancellationToken ct) =>
        StepAsync(userName, "link", async ct =>
        {
            var user = await accounts.FindByNameAsync(userName) ?? throw new DomainException("There is no user \"{0}\".", userName);
            await links.SendAsync(user, welcome: false, ct);
        }, ct);

    /// <summary>Signs the user out everywhere at once (see <see cref="DeskSessions"/>); they can sign in again.</summary>
    [HttpPost("/admin/users/{userName}/end-sessions")]
    public async Task<IActionResult> EndSessions(string userName, [FromServices] DeskSessions sessions) =>
        await sessions.EndAllAsync(userName) ? Redirect($"/admin/users?ended={Uri.EscapeDataString(userName)}") : NotFound();

    private string Me => User.Identity!.Name!;

    private async Task<IActionResult> StepAsync(string userName, string done, Func<CancellationToken, Task> step, CancellationToken ct)
    {
        try
        {
            await step(ct);
            return DoneRedirect(done, userName);
        }
        catch (DomainException e)
        {
            return await RefusedAsync(text.Localize(e), new NewUserForm(), ct);
        }
    }

    private RedirectResult DoneRedirect(string done, string who) => Redirect($"/admin/users?done={done}&who={Uri.EscapeDataString(who)}");

    private async Task<IActionResult> RefusedAsync(string error, NewUserForm form, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        Response.StatusCode = StatusCodes.Status409Conflict;
        return View("Users", await PageAsync(null, null, error, form, ct));
    }

    /// <summary>The sentence for a step done, in the admin's language; null for none or an unknown one.</summary>
    private string? Done(string? done, string? who) => who is null ? null : (done switch
    {
        "created" => text["{0} was added; a link to choose a password is on its way to them.", who],
        "role" => text["{0} has a new role; their sessions ended, so it applies from their next sign-in.", who],
        "disabled" => text["{0} is disabled: every session ended and they cannot sign in.", who],
        "enabled" => text["{0} is enabled again and can sign in.", who],
        "removed" => text["{0} was removed. Their name stays in the tickets' history.", who],
        "link" => text["A link to set a new password is on its way to {0}.", who],
        _ => (LocalizedString?)null,
    })?.Value;

    private async Task<UsersPage> PageAsync(string? ended, string? done, string? error, NewUserForm form, CancellationToken ct)
    {
        var rows = await (
            from u in db.Users
            orderby u.UserName
            select new
            {
                u.UserName, u.DisplayName, u.Email, u.LockoutEnabled, u.LockoutEnd,
                Roles = (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == u.Id select r.Name!).ToList(),
            }).ToListAsync(ct);
        var users = rows.Select(u => new UserRow(u.UserName!, u.DisplayName, u.Email ?? "", u.Roles, DeskUsers.IsDisabled(u.LockoutEnabled, u.LockoutEnd),
            string.Equals(u.UserName, Me, StringComparison.Ordinal))).ToList();
        return new UsersPage(users, ended, done, error, form);
    }
}

public sealed record UsersPage(IReadOnlyList<UserRow> Users, string? Ended, string? Done, string? Error, NewUserForm Form);

public sealed record UserRow(string UserName, string DisplayName, string Email, IReadOnlyList<string> Roles, bool Disabled, bool IsMe);

/// <summary>An admin adds a person: no password field, they choose their own from the link mailed to them.</summary>
public sealed record NewUserForm
{
    [System.ComponentModel.DataAnnotations.Required(ErrorMessage = "Give a user name.")]
    [System.ComponentModel.DataAnnotations.StringLength(100)]
    public string UserName { get; init; } = "";

    [System.ComponentModel.DataAnnotations.StringLength(200)]
    public string? DisplayName { get; init; }

    [System.ComponentModel.DataAnnotations.Required(ErrorMessage = "Give an e-mail address: the link to set a password goes there.")]
    [System.ComponentModel.DataAnnotations.EmailAddress(ErrorMessage = "That does not look like an e-mail address.")]
    [System.ComponentModel.DataAnnotations.StringLength(256)]
    public string Email { get; init; } = "";

    public string Role { get; init; } = DeskRoles.Agent;
}

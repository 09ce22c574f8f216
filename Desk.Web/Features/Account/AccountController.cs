using System.ComponentModel.DataAnnotations;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Desk.Web.Features.Account;

/// <summary>Sign-in and sign-out for the desk's people. Customers never sign in.</summary>
public sealed class AccountController(SignInManager<DeskUser> signIn, IStringLocalizer<SharedResource> text) : Controller
{
    [AllowAnonymous]
    [HttpGet("/account/login")]
    public IActionResult Login(string? returnUrl) => View(new LoginForm { ReturnUrl = returnUrl });

    [AllowAnonymous]
    [HttpPost("/account/login")]
    public async Task<IActionResult> Login(LoginForm form, [FromServices] SignInThrottle throttle, [FromServices] UserManager<DeskUser> accounts,
        CancellationToken ct)
    {
        if (!ModelState.IsValid) return View(form);
        var client = Public.PublicPostLimit.ClientOf(HttpContext);
        if (await throttle.IsOverAsync(client, ct))
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            ModelState.AddModelError("", text["Too many wrong sign-ins from your address. Wait a few minutes and try again, or ask an admin."]);
            return View(form with { Password = "" });
        }
        // The same answer, in the same time, whether the name exists or not; and no account is ever locked by wrong
        // passwords (anyone could lock out the admin): the client is throttled instead.
        var user = await accounts.FindByNameAsync(form.UserName.Trim());
        var result = user is null ? HashAnyway(accounts, form.Password) : await signIn.PasswordSignInAsync(user, form.Password, form.RememberMe, lockoutOnFailure: false);
        if (result.Succeeded)
            return LocalRedirect(Url.IsLocalUrl(form.ReturnUrl) && form.ReturnUrl != "/" ? form.ReturnUrl : await LandingAsync(accounts, user!));
        if (!result.IsLockedOut) await throttle.FailedAsync(client, ct);
        // Disabled by an admin: said only to whoever knows the password, so the message does not tell who is disabled.
        var disabled = result.IsLockedOut && user is not null && DeskUsers.IsDisabled(user) && await accounts.CheckPasswordAsync(user, form.Password);
        if (result.IsLockedOut && user is not null && DeskUsers.IsDisabled(user) && !disabled) await throttle.FailedAsync(client, ct);
        ModelState.AddModelError("", disabled ? text["This account is disabled. Ask an admin if you need it again."]
            : result.IsLockedOut && !(user is not null && DeskUsers.IsDisabled(user))
            ? text["Too many wrong passwords: this account is locked for a few minutes. Try again later, or ask an admin."]
            : text["The user name and password did not match. Check both and try again."]);
        return View(form with { Password = "" });
    }

    /// <summary>A hash worked for an unknown name, as long as a real one takes: the answer's timing does not tell which names exist.</summary>
    /// <summary>Where a user lands after signing in with nowhere else to go: managers on their dashboard, everyone else on the queue.</summary>
    private static async Task<string> LandingAsync(UserManager<DeskUser> accounts, DeskUser user) =>
        await accounts.IsInRoleAsync(user, DeskRoles.Manager) ? "/dashboard" : "/";

    private static Microsoft.AspNetCore.Identity.SignInResult HashAnyway(UserManager<DeskUser> users, string password)
    {
        users.PasswordHasher.VerifyHashedPassword(new DeskUser(), UnknownUserHash.Value, password);
        return Microsoft.AspNetCore.Identity.SignInResult.Failed;
    }

    private static readonly Lazy<string> UnknownUserHash = new(() =>
        new PasswordHasher<DeskUser>().HashPassword(new DeskUser(), Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16))));

    /// <summary>
    /// Signs the person out everywhere, not only in this browser: a new security stamp ends every other session of theirs
    /// too (another browser, a copied cookie). One button that always ends everything is easier to trust than two.
    /// </summary>
    [Authorize] // any signed-in person
    [HttpPost("/account/logout")]
    public async Task<IActionResult> Logout([FromServices] UserManager<DeskUser> accounts)
    {
        if (await accounts.GetUserAsync(User) is { } user) await accounts.UpdateSecurityStampAsync(user);
        await signIn.SignOutAsync();
        return Redirect("/account/login");
    }

    [AllowAnonymous]
    [HttpGet("/account/denied")]
    public IActionResult Denied()
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return View();
    }
}

public sealed record LoginForm
{
    [Required(ErrorMessage = "Enter your user name.")]
    [Display(Name = "User name")]
    public string UserName { get; init; } = "";

    [Required(ErrorMessage = "Enter your password.")]
    [DataType(DataType.Password)]
    [Display(Name = "Password")]
    public string Password { get; init; } = "";

    [Display(Name = "Keep me signed in")]
    public bool RememberMe { get; init; }

    public string? ReturnUrl { get; init; }
}

using System.ComponentModel.DataAnnotations;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Desk.Web.Features.Account;

/// <summary>
/// A person's own password: changed while signed in (their other sessions end, this one goes on), or set from the link an
/// admin mailed them (<see cref="PasswordLinks"/>), which works once and for a day.
/// </summary>
public sealed class PasswordController(UserManager<DeskUser> users, IStringLocalizer<SharedResource> text) : Controller
{
    [Authorize]
    [HttpGet("/account/password")]
    public IActionResult Change(bool done) => View("Password", new ChangePasswordPage(new ChangePasswordForm(), done));

    [Authorize]
    [HttpPost("/account/password")]
    public async Task<IActionResult> Change(ChangePasswordForm form, [FromServices] SignInManager<DeskUser> signIn)
    {
        if (ModelState.IsValid && await users.GetUserAsync(User) is { } user)
        {
            var changed = await users.ChangePasswordAsync(user, form.Current, form.New);
            if (changed.Succeeded)
            {
                await signIn.RefreshSignInAsync(user); // this browser goes on with the new stamp; every other session has ended
                return Redirect("/account/password?done=true");
            }
            foreach (var error in changed.Errors)
                ModelState.AddModelError(error.Code == "PasswordMismatch" ? nameof(ChangePasswordForm.Current) : nameof(ChangePasswordForm.New),
                    error.Code == "PasswordMismatch" ? text["That is not your current password."] : text[error.Description]);
        }
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return View("Password", new ChangePasswordPage(new ChangePasswordForm(), false));
    }

    [AllowAnonymous]
    [HttpGet(PasswordLinks.Path + "{key}")]
    public async Task<IActionResult> Set(string key) =>
        await UserOfAsync(key) is null ? Spent() : View("SetPassword", new SetPasswordPage(key, null));

    [AllowAnonymous]
    [HttpPost(PasswordLinks.Path + "{key}")]
    public async Task<IActionResult> Set(string key, SetPasswordForm form)
    {
        if (await UserOfAsync(key) is not { } found) return Spent();
        if (ModelState.IsValid)
        {
            var set = await users.ResetPasswordAsync(found.User, found.Token, form.New);
            if (set.Succeeded) return View("PasswordSet", found.User.UserName);
            if (set.Errors.Any(e => e.Code == "InvalidToken")) return Spent();
            foreach (var error in set.Errors) ModelState.AddModelError(nameof(SetPasswordForm.New), text[error.Description]);
        }
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return View("SetPassword", new SetPasswordPage(key, null));
    }

    /// <summary>The user the link is for while its token is still good (not used, not expired, not outdated by a new stamp).</summary>
    private async Task<(DeskUser User, string Token)?> UserOfAsync(string key)
    {
        if (PasswordLinks.Read(key) is not var (id, token)) return null;
        var user = await users.FindByIdAsync(id);
        if (user is null) return null;
        var good = await users.VerifyUserTokenAsync(user, users.Options.Tokens.PasswordResetTokenProvider, UserManager<DeskUser>.ResetPasswordTokenPurpose, token);
        return good ? (user, token) : null;
    }

    private ViewResult Spent()
    {
        Response.StatusCode = StatusCodes.Status410Gone;
        return View("LinkSpent");
    }
}

public sealed record ChangePasswordPage(ChangePasswordForm Form, bool Done);

public sealed record ChangePasswordForm
{
    [Required(ErrorMessage = "Enter your current password.")]
    [DataType(DataType.Password)]
    [Display(Name = "Current password")]
    public string Current { get; init; } = "";

    [Required(ErrorMessage = "Enter a new password.")]
    [DataType(DataType.Password)]
    [Display(Name = "New password")]
    public string New { get; init; } = "";

    [Compare(nameof(New), ErrorMessage = "The two new passwords differ.")]
    [DataType(DataType.Password)]
    [Display(Name = "New password again")]
    public string Again { get; init; } = "";
}

public sealed record SetPasswordPage(string Key, string? Error);

public sealed record SetPasswordForm
{
    [Required(ErrorMessage = "Enter a new password.")]
    [DataType(DataType.Password)]
    [Display(Name = "New password")]
    public string New { get; init; } = "";

    [Compare(nameof(New), ErrorMessage = "The two new passwords differ.")]
    [DataType(DataType.Password)]
    [Display(Name = "New password again")]
    public string Again { get; init; } = "";
}

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
    public async Task<IActionResult> Login(LoginForm form)
    {
        if (!ModelState.IsValid) return View(form);
        var result = await signIn.PasswordSignInAsync(form.UserName.Trim(), form.Password, form.RememberMe, lockoutOnFailure: true);
        if (result.Succeeded)
            return LocalRedirect(Url.IsLocalUrl(form.ReturnUrl) ? form.ReturnUrl : "/");
        ModelState.AddModelError("", result.IsLockedOut
            ? text["Too many wrong passwords: this account is locked for a few minutes. Try again later, or ask an admin."]
            : text["The user name and password did not match. Check both and try again."]);
        return View(form with { Password = "" });
    }

    [Authorize] // any signed-in person
    [HttpPost("/account/logout")]
    public async Task<IActionResult> Logout()
    {
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

using System.Globalization;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Authorization;

namespace Desk.Web.Features;

/// <summary>
/// English and Chinese. The language comes from ?culture=, then the language cookie, then the browser's
/// Accept-Language; dates and money follow the chosen culture.
/// </summary>
public static class Localization
{
    public static readonly CultureInfo[] Cultures = [new("en"), new("zh-CN")];

    public static WebApplicationBuilder AddDeskLocalization(this WebApplicationBuilder builder)
    {
        builder.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        // Chinese as characters, not &#x…; entities (a third of the bytes, readable source); markup is still escaped.
        builder.Services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        builder.Services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture("en");
            o.SupportedCultures = Cultures;
            o.SupportedUICultures = Cultures;
            o.FallBackToParentCultures = true;
            o.FallBackToParentUICultures = true;
        });
        return builder;
    }

    public static WebApplication UseDeskLocalization(this WebApplication app)
    {
        app.UseRequestLocalization();
        return app;
    }
}

/// <summary>The language switch: remembers the choice in a cookie for a year and goes back.</summary>
[AllowAnonymous]
public sealed class LanguageController : Controller
{
    [HttpGet("/language")]
    public IActionResult Set(string culture, string? returnUrl)
    {
        if (Localization.Cultures.Any(c => c.Name == culture))
            Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : "/");
    }
}

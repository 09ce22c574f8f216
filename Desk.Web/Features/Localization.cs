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
        // Every page asks for a few hundred texts: each answer is kept once looked up (see KeptStringLocalizer).
        builder.Services.AddSingleton<Microsoft.Extensions.Localization.IStringLocalizer<SharedResource>, KeptStringLocalizer>();
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

/// <summary>
/// The desk's texts as the resource files give them, each kept once looked up, per language: the resource localizer
/// builds a cache key, a lookup and a new result for every text on every page (a sixth of what a queue page allocated).
/// Texts with arguments are formatted from the kept text, as the resource localizer formats them. The resource files
/// do not change while a desk runs; at most <see cref="MaxKept"/> texts are kept (names come from the code, so far fewer).
/// </summary>
public sealed class KeptStringLocalizer(Microsoft.Extensions.Localization.IStringLocalizerFactory factory)
    : Microsoft.Extensions.Localization.IStringLocalizer<SharedResource>
{
    public const int MaxKept = 50_000;

    private readonly Microsoft.Extensions.Localization.IStringLocalizer _inner = factory.Create(typeof(SharedResource));
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Culture, string Name), Microsoft.Extensions.Localization.LocalizedString> _kept = new();

    public Microsoft.Extensions.Localization.LocalizedString this[string name]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(name);
            var key = (CultureInfo.CurrentUICulture.Name, name);
            if (_kept.TryGetValue(key, out var kept)) return kept;
            var found = _inner[name];
            if (_kept.Count < MaxKept) _kept.TryAdd(key, found);
            return found;
        }
    }

    public Microsoft.Extensions.Localization.LocalizedString this[string name, params object[] arguments]
    {
        get
        {
            var text = this[name];
            return new Microsoft.Extensions.Localization.LocalizedString(name, string.Format(CultureInfo.CurrentCulture, text.Value, arguments), text.ResourceNotFound, text.SearchedLocation);
        }
    }

    public IEnumerable<Microsoft.Extensions.Localization.LocalizedString> GetAllStrings(bool includeParentCultures) => _inner.GetAllStrings(includeParentCultures);
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

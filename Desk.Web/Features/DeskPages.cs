using Microsoft.AspNetCore.Mvc;
using Desk.Web.Features.Shared;
using Microsoft.AspNetCore.Mvc.Razor;

namespace Desk.Web.Features;

/// <summary>MVC with feature folders: each area's controller, views and view models live together under Features/.</summary>
public static class DeskPages
{
    public static WebApplicationBuilder AddDeskPages(this WebApplicationBuilder builder)
    {
        builder.AddDeskLocalization();
        builder.AddAgentTime();
        builder.Services.AddScoped<Shared.RemedyOptions>();
        builder.Services.AddSingleton<Shared.ReferenceCache>();
        builder.Services.AddScoped<Queue.QueueCounts>();
        builder.Services.AddSingleton<Queue.QueueCountsKept>();
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<Queue.QueueChoicesCache>();
        builder.Services.AddControllersWithViews(mvc =>
        {
            mvc.Filters.Add<Shared.BadFormFilter>(Shared.BadFormFilter.Order); // before the antiforgery check, which reads the form too
            mvc.Filters.Add(new AutoValidateAntiforgeryTokenAttribute());
            mvc.Filters.Add(new Data.OneConnectionPerRequest());
        })
        .AddViewLocalization()
        .AddDataAnnotationsLocalization(o => o.DataAnnotationLocalizerProvider = (_, factory) => factory.Create(typeof(SharedResource)));
        builder.Services.Configure<RazorViewEngineOptions>(razor =>
        {
            razor.ViewLocationFormats.Clear();
            razor.ViewLocationFormats.Add("/Features/{feature}/{0}.cshtml");
            razor.ViewLocationFormats.Add("/Features/Shared/{0}.cshtml");
            razor.ViewLocationExpanders.Add(new FeatureFolders());
        });
        return builder;
    }

    public static WebApplication UseDeskPages(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error");
            app.UseHsts();
        }
        // After the exception handler: its re-executed error page passes here again, and gets the headers again.
        app.UseDeskSecurityHeaders();
        // The language before the error pages: a re-executed "/error/404" loses the query string (?culture=),
        // so it must inherit the language the request asked for rather than look for it again.
        app.UseDeskLocalization();
        app.UseStatusCodePagesWithReExecute("/error/{0}");
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAgentTime(); // the reader's time zone, from their sign-in
        app.UseAntiforgery();
        app.MapControllers();
        return app;
    }
}

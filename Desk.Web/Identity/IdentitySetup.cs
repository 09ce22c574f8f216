using Desk.Web.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

namespace Desk.Web.Identity;

public static class IdentitySetup
{
    /// <summary>
    /// Cookie sign-in with ASP.NET Core Identity; three roles; and a fallback policy so that any page
    /// added without an [Authorize] of its own still requires a signed-in user.
    /// </summary>
    public static WebApplicationBuilder AddDeskIdentity(this WebApplicationBuilder builder)
    {
        builder.Services
            .AddIdentity<DeskUser, IdentityRole>(identity =>
            {
                identity.User.RequireUniqueEmail = true;
                identity.Password.RequiredLength = 10;
                identity.Lockout.MaxFailedAccessAttempts = 5;
                identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
            })
            .AddEntityFrameworkStores<DeskDbContext>()
            .AddUserManager<DeskUserManager>()
            .AddClaimsPrincipalFactory<DeskClaims>()
            .AddErrorDescriber<DeskIdentityErrors>()
            .AddDefaultTokenProviders();

        // The keys that sign the sign-in cookie and the antiforgery tokens live in the database, under one application
        // name: a cookie issued by one desk behind a load balancer is read by every other, and survives restarts.
        builder.Services.AddDataProtection()
            .SetApplicationName("Desk")
            .PersistKeysToDbContext<DeskDbContext>();

        builder.Services.ConfigureApplicationCookie(cookie =>
        {
            cookie.LoginPath = "/account/login";
            cookie.LogoutPath = "/account/logout";
            cookie.AccessDeniedPath = "/account/denied";
            cookie.Cookie.Name = "desk.auth";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.SlidingExpiration = true;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(10); // a working day
            // Checked against the database on every request, not every 30 minutes: ending a session takes effect at once.
            cookie.Events.OnValidatePrincipal = DeskSessions.ValidatePrincipalAsync;
        });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(DeskPolicies.WorksTickets, p => p.RequireRole(DeskRoles.Agent, DeskRoles.Manager, DeskRoles.Admin))
            .AddPolicy(DeskPolicies.ReadsReports, p => p.RequireRole(DeskRoles.Manager, DeskRoles.Admin))
            .AddPolicy(DeskPolicies.HandlesPersonalData, p => p.RequireRole(DeskRoles.Manager, DeskRoles.Admin))
            .AddPolicy(DeskPolicies.ConfiguresDesk, p => p.RequireRole(DeskRoles.Admin))
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        // The token in a set-password link (PasswordLinks): it expires, and setting the password (a new stamp) spends it.
        builder.Services.Configure<DataProtectionTokenProviderOptions>(tokens => tokens.TokenLifespan = PasswordLinks.Lifetime);
        builder.Services.AddScoped<DeskUsers>();
        builder.Services.AddScoped<PasswordLinks>();
        builder.Services.AddScoped<DeskSessions>();
        builder.Services.AddSingleton<SessionStamps>();
        return builder;
    }

    /// <summary>
    /// Makes sure the Data Protection key ring has a default key, creating it now when the ring is empty: run under the
    /// start-up lease, so desks started at once on an empty ring make one key, not one each (a desk that had made its own
    /// would refuse the others' cookies until its ring is next read, up to a day later).
    /// </summary>
    public static void EnsureKeyRing(IServiceProvider services) =>
        services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Desk.StartUp").Protect([1]);

    /// <summary>Makes sure the three roles exist; runs at start, after the migrations.</summary>
    public static async Task EnsureRolesAsync(IServiceProvider services)
    {
        var roles = services.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in DeskRoles.All)
            if (!await roles.RoleExistsAsync(role))
                await roles.CreateAsync(new IdentityRole(role));
    }
}

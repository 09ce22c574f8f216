using System.Threading.RateLimiting;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Desk.Web.Features.Public;

public static class PublicComplaints
{
    public static WebApplicationBuilder AddPublicComplaints(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PublicFormOptions>().BindConfiguration(PublicFormOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<ComplaintIntake>();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, ct) =>
            {
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                var text = context.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
                return new ValueTask(context.HttpContext.Response.WriteAsync(
                    text["Too many messages from your address in a short time. Please wait a few minutes and try again; nothing you sent before was lost."], ct));
            };
            // Per client address: a flood from one place cannot drown everyone else's complaints.
            limiter.AddPolicy(ComplaintController.RateLimit, http =>
            {
                var settings = http.RequestServices.GetRequiredService<IOptions<PublicFormOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = settings.PostsPerWindow,
                        Window = TimeSpan.FromMinutes(settings.WindowMinutes),
                        QueueLimit = 0,
                    });
            });
        });
        return builder;
    }
}

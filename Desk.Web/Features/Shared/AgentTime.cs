using System.Globalization;
using System.Security.Claims;
using Microsoft.Extensions.Options;

namespace Desk.Web.Features.Shared;

/// <summary>
/// The reading agent's time zone for this request, and the one way pages write a stored (UTC) time: in that zone and
/// in the page's culture ("12/6/2026 2:30 PM", "2026/12/6 14:30"). Like <see cref="CultureInfo.CurrentCulture"/> it is
/// set once per request, by <see cref="UseAgentTime"/> after sign-in is read, and flows to the views; stored times stay
/// UTC. The zone comes from the person's own setting (a claim in the sign-in cookie, so every desk reads it without a
/// query), else from the desk's <c>Desk:TimeZone</c>, else UTC.
/// </summary>
public static class AgentTime
{
    /// <summary>The claim that carries a person's chosen zone (an IANA id such as Asia/Shanghai).</summary>
    public const string ClaimType = "desk:time-zone";

    private static readonly AsyncLocal<TimeZoneInfo?> Current = new();

    /// <summary>The zone times are shown in for this request; UTC when none was set.</summary>
    public static TimeZoneInfo Zone
    {
        get => Current.Value ?? TimeZoneInfo.Utc;
        set => Current.Value = value;
    }

    /// <summary>The zone's name as the reader sees it beside times: "UTC" or "Asia/Shanghai".</summary>
    public static string ZoneName => Zone.Id;

    /// <summary>A stored UTC time as a wall-clock time in the reader's zone.</summary>
    public static DateTime Local(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);

    /// <summary>Date and time, short, in the reader's zone and culture.</summary>
    public static string Format(DateTime utc) => Local(utc).ToString("g", CultureInfo.CurrentCulture);

    /// <summary>Date and time with seconds, for the audit trail.</summary>
    public static string FormatPrecise(DateTime utc) => Local(utc).ToString("G", CultureInfo.CurrentCulture);

    /// <summary>The day only, in the reader's zone and culture.</summary>
    public static string Date(DateTime utc) => Local(utc).ToString("d", CultureInfo.CurrentCulture);

    /// <summary>A zone by its id, or null when this machine does not know it.</summary>
    public static TimeZoneInfo? Find(string? id) =>
        !string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out var zone) ? zone : null;

    public static WebApplicationBuilder AddAgentTime(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DeskTimeZoneOptions>()
            .Bind(builder.Configuration.GetSection("Desk"))
            .Validate(o => Find(o.TimeZone) is not null, "Desk:TimeZone must be a time zone this machine knows, e.g. UTC or Asia/Shanghai.")
            .ValidateOnStart();
        return builder;
    }

    /// <summary>Sets the request's zone: the signed-in person's own, else the desk's. After authentication.</summary>
    public static WebApplication UseAgentTime(this WebApplication app)
    {
        var deskZone = Find(app.Services.GetRequiredService<IOptions<DeskTimeZoneOptions>>().Value.TimeZone) ?? TimeZoneInfo.Utc;
        app.Use(async (context, next) =>
        {
            Zone = Find(context.User.FindFirstValue(ClaimType)) ?? deskZone;
            await next(context);
        });
        return app;
    }
}

/// <summary>The desk's own time zone (<c>Desk:TimeZone</c>), shown to everyone who has not chosen one.</summary>
public sealed class DeskTimeZoneOptions
{
    public string TimeZone { get; set; } = "UTC";
}

using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Desk.Web.Features;

/// <summary>
/// The proxies (a load balancer, nginx) whose X-Forwarded-For and X-Forwarded-Proto the desk believes
/// (<c>Desk:ForwardedHeaders</c>). Only a request whose connection comes from one of them has its client address and
/// scheme taken from those headers; anyone else's are ignored, so a client cannot pick the address the public form's
/// limit counts or the logs show. Nothing configured: no forwarded header is believed, from anyone.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    public const string Section = "Desk:ForwardedHeaders";

    /// <summary>Addresses of the proxies in front of the desk, e.g. "10.0.0.5" or "::1".</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks the proxies are in, in CIDR notation, e.g. "10.0.0.0/24".</summary>
    public List<string> KnownNetworks { get; set; } = [];

    public bool IsConfigured => KnownProxies.Count > 0 || KnownNetworks.Count > 0;

    /// <summary>Why the settings are unusable, or null.</summary>
    public string? Problem() =>
        KnownProxies.FirstOrDefault(p => !IPAddress.TryParse(p, out _)) is { } proxy
            ? $"{Section}:KnownProxies has \"{proxy}\", which is not an IP address."
            : KnownNetworks.FirstOrDefault(n => !System.Net.IPNetwork.TryParse(n, out _)) is { } network
                ? $"{Section}:KnownNetworks has \"{network}\", which is not a network in CIDR notation (e.g. 10.0.0.0/24)."
                : null;
}

public static class ForwardedHeadersSetup
{
    public static WebApplicationBuilder AddDeskForwardedHeaders(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ForwardedHeadersSettings>().BindConfiguration(ForwardedHeadersSettings.Section)
            .Validate(s => s.Problem() is null, "Desk:ForwardedHeaders has an entry that is not an IP address (KnownProxies) or a CIDR network (KnownNetworks).")
            .ValidateOnStart();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeadersSettings>>((forwarded, settings) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The defaults trust loopback; here only what is configured is trusted.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in settings.Value.KnownProxies) forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in settings.Value.KnownNetworks) forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            // A chain of known proxies is walked back to the first address that is not one of them: that is the client.
            forwarded.ForwardLimit = null;
        });
        return builder;
    }

    /// <summary>First in the pipeline, so everything after it (limits, logs, HTTPS redirects) sees the real client.</summary>
    public static WebApplication UseDeskForwardedHeaders(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value.IsConfigured) app.UseForwardedHeaders();
        return app;
    }
}

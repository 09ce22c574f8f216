using Desk.Domain.Tickets;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Http.Features;

namespace Desk.Web.Features.Live;

public static class LiveSetup
{
    /// <summary>How long one event stream stays open; the browser then opens a new one, signed-in checks and all.</summary>
    public static readonly TimeSpan StreamLasts = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan KeepAliveEvery = TimeSpan.FromSeconds(25);

    /// <summary>Live pages: the feed (one per desk), the signal every ticket save raises, and the "seen" rows.</summary>
    public static WebApplicationBuilder AddDeskLive(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TicketChangeSignal>();
        builder.Services.AddSingleton<LiveFeed>();
        builder.Services.AddHostedService(services => services.GetRequiredService<LiveFeed>());
        builder.Services.AddScoped<TicketViews>();
        return builder;
    }

    /// <summary>
    /// <c>GET /live</c> (<c>?ticket=D-000123&amp;version=7</c> on a ticket page): a <c>text/event-stream</c> of
    /// <c>tickets</c> (some ticket changed), <c>ticket</c> (this one did: its new version) and <c>presence</c> (who else
    /// is on it). A plain endpoint, outside MVC: it holds no database connection while it waits.
    /// </summary>
    public static WebApplication MapDeskLive(this WebApplication app)
    {
        app.MapGet("/live", StreamAsync).RequireAuthorization(DeskPolicies.WorksTickets);
        return app;
    }

    private static async Task StreamAsync(HttpContext http, LiveFeed feed, IHostApplicationLifetime lifetime, string? ticket, int? version)
    {
        long? ticketId = null;
        if (ticket is not null)
        {
            if (!TicketNumber.TryParse(ticket, out var id))
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            ticketId = id;
        }
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["X-Accel-Buffering"] = "no"; // a proxy in front must pass each event on at once
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        using var open = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        open.CancelAfter(StreamLasts);
        var client = feed.Join(http.User.Identity!.Name!, ticketId, version ?? 0);
        try
        {
            await http.Response.WriteAsync("retry: 3000\n\n", open.Token);
            await http.Response.Body.FlushAsync(open.Token);
            while (!open.IsCancellationRequested)
            {
                string message;
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(open.Token))
                {
                    wait.CancelAfter(KeepAliveEvery);
                    try { message = await client.Messages.ReadAsync(wait.Token); }
                    catch (OperationCanceledException) when (!open.IsCancellationRequested) { message = ": keep-alive\n\n"; }
                }
                await http.Response.WriteAsync(message, open.Token);
                await http.Response.Body.FlushAsync(open.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // the page went away, the stream's time is up, or the desk is stopping
        }
        catch (IOException)
        {
            // the connection dropped
        }
        finally
        {
            await feed.LeaveAsync(client);
        }
    }
}

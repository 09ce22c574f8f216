using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Desk.Web.Data;
using Desk.Web.Email;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Desk.Web.Features.Webhooks;

/// <summary>
/// Sends webhook deliveries the way <see cref="Email.Outbound.MailSender"/> sends the outbox: every desk on the database
/// sends, each a batch it claimed (PostgreSQL skips rows another desk holds; SQLite's write gate lets one look at a
/// time), at least once, retried with back-off (<see cref="WebhookDelivery.BackOff"/>), each ticket's events to a hook
/// in order (<see cref="WebhookSql.Due"/>). A hook failing for <see cref="WebhookOptions.DisableAfterDays"/> is turned off.
/// Time is the injected <see cref="TimeProvider"/>'s.
/// </summary>
public sealed class WebhookSender(IServiceScopeFactory scopes, IHttpClientFactory http, IDataProtectionProvider protection,
    IOptions<WebhookOptions> options, IOptions<MailOptions> mail, TimeProvider clock, ILogger<WebhookSender> log) : BackgroundService
{
    public const string HttpClientName = "Desk.Webhooks";
    private const int Batch = 50;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.SenderEnabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            var sent = 0;
            try
            {
                sent = await SendDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogError(e, "The webhook deliveries could not be read; trying again shortly.");
            }
            // A full batch: straight on. Otherwise look again in a second (new events wait at most that long).
            if (sent < Batch)
            {
                try { await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>Sends one batch of due deliveries; returns how many were claimed.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskDbContext>();
        var settings = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        List<WebhookDelivery> due;
        await using (var claim = await db.BeginWriteAsync(ct))
        {
            due = await db.Set<WebhookDelivery>().FromSqlRaw(WebhookSql.Due(db.Provider), StoredValues.UnixMilliseconds(now), Batch).ToListAsync(ct);
            if (due.Count == 0) return 0;
            foreach (var delivery in due) delivery.Claimed(now.AddSeconds(settings.ClaimSeconds));
            await db.SaveChangesAsync(ct);
            await claim.CommitAsync(ct);
        }

        var ids = due.Select(d => d.WebhookId).Distinct().ToList();
        var hooks = await db.Set<Webhook>().Where(h => ids.Contains(h.Id)).ToDictionaryAsync(h => h.Id, ct);
        var protector = protection.CreateProtector(Webhook.SecretPurpose);
        var client = http.CreateClient(HttpClientName);
        client.Timeout = TimeSpan.FromSeconds(settings.TimeoutSeconds);
        // A hook whose receiver could not be reached in this round: its other deliveries wait for the failed one's retry.
        var unreachable = new Dictionary<long, DateTime>();
        foreach (var delivery in due)
        {
            now = clock.GetUtcNow().UtcDateTime;
            if (!hooks.TryGetValue(delivery.WebhookId, out var hook)) continue; // removed meanwhile: its deliveries went with it
            if (!hook.IsEnabled) delivery.Postponed(now);
            else if (unreachable.TryGetValue(hook.Id, out var retry)) delivery.Postponed(retry);
            else
            {
                var (status, ms, error) = await SendAsync(client, hook, delivery, protector, ct);
                now = clock.GetUtcNow().UtcDateTime;
                if (error is null)
                {
                    delivery.Delivered(now, status!.Value, ms);
                    hook.Succeeded(now);
                }
                else
                {
                    delivery.Failed(now, status, ms, error);
                    if (status is null) unreachable[hook.Id] = delivery.NextAttemptAt;
                    log.LogWarning("Webhook {Hook} delivery {Delivery} failed (attempt {Attempts}): {Error}", hook.Id, delivery.Id, delivery.Attempts, error);
                    if (hook.Failed(now, error, settings.DisableAfter))
                        log.LogWarning("Webhook {Hook} ({Url}) failed for {Days} days and was turned off.", hook.Id, hook.Url, settings.DisableAfterDays);
                }
            }
            await db.SaveChangesAsync(ct); // each delivery's outcome as soon as it is known: a crash sends at most this one twice
        }
        return due.Count;
    }

    /// <summary>One attempt: the receiver's status (null when none came), how long it took, and what went wrong (null: a 2xx).</summary>
    private async Task<(int? Status, int Ms, string? Error)> SendAsync(HttpClient client, Webhook hook, WebhookDelivery delivery,
        IDataProtector protector, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            var body = WebhookPayload.Body(delivery, mail.Value.PublicBaseUrl);
            string secret;
            try { secret = hook.Secret(protector); }
            catch (System.Security.Cryptography.CryptographicException)
            {
                return (null, 0, "The hook's secret cannot be read (the desk's Data Protection keys changed): create the hook again.");
            }
            using var request = new HttpRequestMessage(HttpMethod.Post, hook.Url)
            {
                Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
            };
            request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(secret, clock.GetUtcNow().ToUnixTimeSeconds(), body));
            request.Headers.Add("Desk-Event", WebhookEventNames.Wire(delivery.Event));
            request.Headers.Add("Desk-Delivery", delivery.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Desk-Webhooks", "1"));
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var status = (int)response.StatusCode;
            return (status, Elapsed(watch), response.IsSuccessStatusCode ? null : $"HTTP {status} {response.ReasonPhrase}");
        }
        catch (HttpRequestException e)
        {
            return (null, Elapsed(watch), e.Message);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, Elapsed(watch), $"No answer within {options.Value.TimeoutSeconds} s.");
        }
    }

    private static int Elapsed(Stopwatch watch) => (int)Math.Min(int.MaxValue, watch.ElapsedMilliseconds);
}

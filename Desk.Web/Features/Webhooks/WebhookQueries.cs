using Desk.Domain.Tickets;
using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Webhooks;

/// <summary>One attempt's outcome in a hook's delivery log.</summary>
public sealed record WebhookDeliveryRow(long Id, string TicketNumber, WebhookEvents Event, WebhookDeliveryState State, int Attempts,
    int? LastStatusCode, int? LastDurationMs, DateTime? LastAttemptAt, DateTime NextAttemptAt, string? LastError, DateTime CreatedAt);

/// <summary>A hook as the admin page shows it, with its latest deliveries.</summary>
public sealed record WebhookRow(long Id, string Url, WebhookEvents Events, string SecretPrefix, DateTime CreatedAt, string CreatedBy,
    DateTime? DisabledAt, bool DisabledForFailing, DateTime? FailingSince, DateTime? LastSuccessAt, string? LastError, int Pending,
    IReadOnlyList<WebhookDeliveryRow> Log)
{
    public bool IsEnabled => DisabledAt is null;
}

/// <summary>The admin page's reads: rows, never the hooks themselves (their protected secrets stay in the database).</summary>
public sealed class WebhookQueries(DeskDbContext db)
{
    public const int LogLength = 20;

    public async Task<IReadOnlyList<WebhookRow>> HooksAsync(CancellationToken ct)
    {
        var hooks = await db.Set<Webhook>().AsNoTracking().OrderBy(h => h.Id)
            .Select(h => new { h.Id, h.Url, h.Events, h.SecretPrefix, h.CreatedAt, h.CreatedBy, h.DisabledAt, h.DisabledForFailing, h.FailingSince, h.LastSuccessAt, h.LastError })
            .ToListAsync(ct);
        var rows = new List<WebhookRow>(hooks.Count);
        foreach (var h in hooks)
        {
            var deliveries = db.Set<WebhookDelivery>().AsNoTracking().Where(d => d.WebhookId == h.Id);
            var pending = await deliveries.CountAsync(d => d.State == WebhookDeliveryState.Pending, ct);
            var log = (await deliveries.OrderByDescending(d => d.Id).Take(LogLength)
                    .Select(d => new { d.Id, d.TicketId, d.Event, d.State, d.Attempts, d.LastStatusCode, d.LastDurationMs, d.LastAttemptAt, d.NextAttemptAt, d.LastError, d.CreatedAt })
                    .ToListAsync(ct))
                .Select(d => new WebhookDeliveryRow(d.Id, TicketNumber.Format(d.TicketId), d.Event, d.State, d.Attempts, d.LastStatusCode, d.LastDurationMs,
                    d.LastAttemptAt, d.NextAttemptAt, d.LastError, d.CreatedAt))
                .ToList();
            rows.Add(new(h.Id, h.Url, h.Events, h.SecretPrefix, h.CreatedAt, h.CreatedBy, h.DisabledAt, h.DisabledForFailing, h.FailingSince,
                h.LastSuccessAt, h.LastError, pending, log));
        }
        return rows;
    }
}

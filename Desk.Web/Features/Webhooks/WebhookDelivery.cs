using Desk.Domain.Tickets;

namespace Desk.Web.Features.Webhooks;

public enum WebhookDeliveryState
{
    /// <summary>Waiting to be sent (again, after <see cref="WebhookDelivery.NextAttemptAt"/>).</summary>
    Pending,
    Delivered,
}

/// <summary>
/// One event for one hook: written by <see cref="WebhookInterceptor"/> in the same transaction as the change it tells of,
/// sent by <see cref="WebhookSender"/> at least once, retried with back-off, never before an earlier undelivered event of
/// the same ticket for the same hook. Its id is the <c>Desk-Delivery</c> header (receivers dedupe on it). It keeps the
/// last attempt's outcome for the admin page's delivery log.
/// </summary>
public sealed class WebhookDelivery
{
    private WebhookDelivery() { } // for EF Core

    /// <param name="newTicket">A ticket being inserted in the same save (its id is not known yet: EF fills
    /// <see cref="TicketId"/> from it); null for a ticket that has one (<paramref name="ticketId"/>).</param>
    public WebhookDelivery(long webhookId, Ticket? newTicket, long ticketId, WebhookEvents @event, DateTime occurredAt, TicketState? state,
        TicketState? previousState, DateTime now)
    {
        WebhookId = webhookId;
        Ticket = newTicket;
        TicketId = newTicket?.Id ?? ticketId;
        Event = @event;
        OccurredAt = occurredAt;
        TicketState = state;
        PreviousState = previousState;
        CreatedAt = now;
        NextAttemptAt = now;
    }

    public long Id { get; private set; }
    public long WebhookId { get; private set; }
    public long TicketId { get; private set; }
    public Ticket? Ticket { get; private set; }
    public WebhookEvents Event { get; private set; }
    public DateTime OccurredAt { get; private set; }
    /// <summary>The ticket's state when the event happened.</summary>
    public TicketState? TicketState { get; private set; }
    /// <summary>For a change of state: the state before it.</summary>
    public TicketState? PreviousState { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public WebhookDeliveryState State { get; private set; }
    public int Attempts { get; private set; }
    public DateTime NextAttemptAt { get; private set; }
    public DateTime? LastAttemptAt { get; private set; }
    /// <summary>The receiver's HTTP status of the last attempt; null when none came (refused, timed out).</summary>
    public int? LastStatusCode { get; private set; }
    public int? LastDurationMs { get; private set; }
    public string? LastError { get; private set; }
    public DateTime? DeliveredAt { get; private set; }

    /// <summary>A sender took it: no other sender takes it before <paramref name="until"/> (unless this one died).</summary>
    public void Claimed(DateTime until) => NextAttemptAt = until;

    /// <summary>Not tried in this round (its hook's receiver could not be reached just now): back in the queue at <paramref name="at"/>, no attempt counted.</summary>
    public void Postponed(DateTime at) => NextAttemptAt = at;

    public void Delivered(DateTime now, int statusCode, int durationMs)
    {
        State = WebhookDeliveryState.Delivered;
        Attempts++;
        LastAttemptAt = now;
        DeliveredAt = now;
        LastStatusCode = statusCode;
        LastDurationMs = durationMs;
        LastError = null;
    }

    /// <summary>The wait after the <paramref name="attempts"/>th failed attempt: 10 s doubling each time, at most an hour.</summary>
    public static TimeSpan BackOff(int attempts) => TimeSpan.FromSeconds(Math.Min(3600, 10 * Math.Pow(2, Math.Max(0, attempts - 1))));

    /// <summary>A failed attempt: tried again after <see cref="BackOff"/>, until its hook is turned off for failing.</summary>
    public void Failed(DateTime now, int? statusCode, int durationMs, string error)
    {
        Attempts++;
        LastAttemptAt = now;
        LastStatusCode = statusCode;
        LastDurationMs = durationMs;
        LastError = error.Length <= 500 ? error : error[..500];
        NextAttemptAt = now + BackOff(Attempts);
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;
using Desk.Domain.Tickets;

namespace Desk.Web.Features.Webhooks;

/// <summary>
/// The JSON body of a delivery. Built from the stored row each time it is sent, so every retry of a delivery sends the
/// same body (only the signature's time changes).
/// </summary>
public static class WebhookPayload
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Body(WebhookDelivery delivery, string publicBaseUrl)
    {
        var number = TicketNumber.Format(delivery.TicketId);
        var root = publicBaseUrl.TrimEnd('/');
        return JsonSerializer.Serialize(new Message(delivery.Id, WebhookEventNames.Wire(delivery.Event),
            DateTime.SpecifyKind(delivery.OccurredAt, DateTimeKind.Utc),
            new TicketPart(number, delivery.TicketState?.ToString(), delivery.PreviousState?.ToString()),
            new Links($"{root}/tickets/{number}", $"{root}/api/v1/tickets/{number}")), Json);
    }

    private sealed record Message(long Id, string Event, DateTime Occurred, TicketPart Ticket, Links Links);

    private sealed record TicketPart(string Number, string? State, string? PreviousState);

    private sealed record Links(string Ticket, string Api);
}

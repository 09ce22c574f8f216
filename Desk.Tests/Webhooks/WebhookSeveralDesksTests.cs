using Desk.Domain.Customers;
using Desk.Domain.Sla;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web.Data;
using Desk.Web.Features.Webhooks;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Desk.Tests.Webhooks;

/// <summary>Two desks on one PostgreSQL database both send webhooks: each claims its own deliveries, each ticket's events still arrive in order.</summary>
public sealed class WebhookSeveralDesksTests : IRunsOnPostgres
{
    [StorageFact]
    public async Task Deliver_TwoDesksSending_EveryEventArrivesInOrderPerTicket()
    {
        using var database = new TestDatabase(DatabaseProvider.Postgres);
        await using var first = new SmallDesk(database);
        await using var second = new SmallDesk(database);
        _ = first.Services;
        _ = second.Services; // both senders running
        using var receiver = new WebhookReceiver().Start();
        string secret;
        await using (var scope = first.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DeskDbContext>();
            var protector = scope.ServiceProvider.GetRequiredService<IDataProtectionProvider>().CreateProtector(Webhook.SecretPurpose);
            (var hook, secret) = Webhook.Create(receiver.Url, WebhookEvents.TicketCreated | WebhookEvents.StateChanged | WebhookEvents.CustomerReplied,
                "admin", first.Clock.GetUtcNow().UtcDateTime, protector);
            db.Set<Webhook>().Add(hook);
            await db.SaveChangesAsync();
        }

        // Eight tickets, four events each, saved one step at a time.
        var now = first.Clock.GetUtcNow().UtcDateTime;
        var numbers = new List<string>();
        await using (var db = database.NewContext())
        {
            for (var i = 0; i < 8; i++)
            {
                var customer = new Customer($"hook.two.{i}.{Guid.NewGuid():N}@example.org", "Two Desks", now.AddYears(-1));
                db.Customers.Add(customer);
                await db.SaveChangesAsync();
                var ticket = Ticket.Receive(new TicketIntake(TicketKind.Complaint, Channel.Email, Severity.Minor, $"two desks {i}", "It broke.", null),
                    customer, SlaPolicy.Default, RepeatComplaintPolicy.Default, null, now);
                db.Tickets.Add(ticket);
                await db.SaveChangesAsync();
                numbers.Add(ticket.Number);
                ticket.Acknowledge("desk", now.AddSeconds(1));
                await db.SaveChangesAsync();
                ticket.Assign("lead", now.AddSeconds(2), "bob");
                await db.SaveChangesAsync();
                ticket.AddCustomerMessage(customer.Email, now.AddSeconds(3), "Any news?");
                await db.SaveChangesAsync();
            }
        }

        first.Clock.Advance(TimeSpan.FromMinutes(1)); // the steps' times have come on both desks
        second.Clock.Advance(TimeSpan.FromMinutes(1));
        var until = DateTime.UtcNow.AddSeconds(30);
        while (receiver.Taken.Select(e => e.Delivery).Distinct().Count() < 32 && DateTime.UtcNow < until) await Task.Delay(100);

        var taken = receiver.Taken.ToList();
        Assert.Equal(32, taken.Select(e => e.Delivery).Distinct().Count());
        Assert.All(taken, e => Assert.True(WebhookSignature.Verify(secret, e.Signature, e.Body, out _))); // either desk signs with the one secret
        foreach (var number in numbers)
        {
            var arrived = taken.Where(e => e.Ticket == number).DistinctBy(e => e.Delivery).ToList(); // first arrivals (at least once: maybe twice)
            Assert.Equal(["ticket.created", "ticket.state_changed", "ticket.state_changed", "ticket.customer_replied"], arrived.Select(e => e.Event));
            Assert.Equal(["Acknowledged", "InProgress"], arrived.Where(e => e.Event == "ticket.state_changed")
                .Select(e => e.Json.GetProperty("ticket").GetProperty("state").GetString()));
        }
    }

    private sealed class SmallDesk(TestDatabase database) : SharedDesk(database)
    {
        public override int DemoTickets => 10;
    }
}

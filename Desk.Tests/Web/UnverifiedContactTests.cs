using System.Net;
using System.Text.RegularExpressions;
using Desk.Domain.Orders;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web.Email.Outbound;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Web;

/// <summary>
/// Anyone can type any address into the public form. Under an address the desk already knows, the complaint is filed
/// unverified: apart from that customer's history, repeat flag and orders, and nothing but the acknowledgement (with the
/// confirmation link) mailed to the address, until the address's owner follows that link.
/// </summary>
public abstract partial class UnverifiedContactTests(MailDesk desk)
{
    [StorageFact]
    public async Task Complain_FromAnAddressTheDeskKnows_IsFiledUnverifiedAndKeptApartFromTheCustomersHistory()
    {
        var (earlier, filed) = await KnownCustomerThenWebComplaintAsync("known.kim@example.org", "SO-KIM-1");

        await using var db = desk.Database.NewContext();
        var ticket = await db.Tickets.SingleAsync(t => t.Id == filed.Id);
        Assert.Equal((true, false, earlier.CustomerId), (ticket.ContactUnverified, ticket.IsRepeatComplaint, ticket.CustomerId));
        var ack = await db.OutboundMails.SingleAsync(m => m.TicketId == ticket.Id && m.Kind == OutboundKind.Acknowledgement);
        var sent = (await desk.PickedUpAsync(ack.MessageId)).TextBody ?? ""; // as the address's owner gets it
        var confirm = ConfirmLink().Match(sent);
        Assert.True(confirm.Success, sent);
        Assert.DoesNotContain(confirm.Groups[1].Value, filed.StatusPage); // only the address's owner gets it

        var agent = await desk.SignedInAsync("carmen");
        var page = WebUtility.HtmlDecode(await agent.GetStringAsync($"/tickets/{ticket.Number}"));
        Assert.Contains("Unverified — not yet confirmed by the address owner", page);
        Assert.DoesNotContain("SO-KIM-1", page); // the customer's orders
        Assert.DoesNotContain(earlier.Number, page); // and other tickets
        var queue = await agent.GetStringAsync("/?q=known.kim");
        Assert.Matches($"{ticket.Number}</a>(?s:.)*?class=\"badge text-bg-warning ms-1 unverified\"", queue);
        var history = await agent.GetStringAsync($"/customers/{ticket.CustomerId}");
        Assert.Contains(earlier.Number, history);
        Assert.DoesNotContain(ticket.Number, history);

        // Nor does it count as the customer's earlier complaint: their own next mail is a repeat of the first, not of this.
        Assert.False(await db.Tickets.AnyAsync(t => t.CustomerId == ticket.CustomerId && t.Id != ticket.Id && t.ContactUnverified));
    }

    [StorageFact]
    public async Task Complain_FromANewAddress_IsNotUnverified()
    {
        var response = await PublicComplaintTests.FileAsync(desk.CreateClient(new() { AllowAutoRedirect = false }), "brand.new@example.org", "Lamp flickers");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var db = desk.Database.NewContext();
        var ticket = await db.Tickets.SingleAsync(t => t.Subject == "Lamp flickers");
        Assert.False(ticket.ContactUnverified);
        var ack = await db.OutboundMails.SingleAsync(m => m.TicketId == ticket.Id);
        Assert.DoesNotMatch(ConfirmLink(), (await desk.PickedUpAsync(ack.MessageId)).TextBody ?? "");
    }

    [StorageFact]
    public async Task Confirm_LinkMailedToTheAddress_JoinsTheCustomersHistoryAndFlagsTheRepeatOnce()
    {
        var (earlier, filed) = await KnownCustomerThenWebComplaintAsync("confirming.cai@example.org", "SO-CAI-1");
        string messageId;
        await using (var db = desk.Database.NewContext())
            messageId = (await db.OutboundMails.SingleAsync(m => m.TicketId == filed.Id && m.Kind == OutboundKind.Acknowledgement)).MessageId;
        var token = ConfirmLink().Match((await desk.PickedUpAsync(messageId)).TextBody ?? "").Groups[1].Value;
        var owner = desk.CreateClient(new() { AllowAutoRedirect = false });

        var shown = await owner.GetStringAsync($"/confirm/{token}");
        Assert.Contains("Yes, I sent it", shown);
        Assert.True(await UnverifiedAsync(filed.Id)); // opening the link (a mail scanner does) changes nothing

        var confirmed = await Forms.PostAsync(owner, $"/confirm/{token}", $"/confirm/{token}", []);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Contains("is confirmed as yours", await confirmed.Content.ReadAsStringAsync());
        await using (var db = desk.Database.NewContext())
        {
            var ticket = await db.Tickets.Include(t => t.Conversation).SingleAsync(t => t.Id == filed.Id);
            Assert.Equal((false, true), (ticket.ContactUnverified, ticket.IsRepeatComplaint)); // a repeat of the earlier complaint
            Assert.Contains(ticket.Conversation, e => e.Body.Contains("confirmed they sent this complaint"));
        }
        var agent = await desk.SignedInAsync("carmen");
        var page = WebUtility.HtmlDecode(await agent.GetStringAsync($"/tickets/{filed.Number}"));
        Assert.DoesNotContain("Unverified — not yet confirmed", page);
        Assert.Contains("SO-CAI-1", page);
        Assert.Contains(earlier.Number, page);

        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync($"/confirm/{token}")).StatusCode); // used once
    }

    [StorageFact]
    public async Task Reply_ToAnUnverifiedTicket_IsOnTheStatusPageButNotMailed()
    {
        var (_, filed) = await KnownCustomerThenWebComplaintAsync("quiet.qiu@example.org", "SO-QIU-1");
        var agent = await desk.SignedInAsync("alice");
        await Forms.PostAsync(agent, $"/tickets/{filed.Number}", $"/tickets/{filed.Number}/steps/Assign",
            new() { ["Version"] = await VersionAsync(filed.Id), ["Assignee"] = "alice" });
        var asked = await Forms.PostAsync(agent, $"/tickets/{filed.Number}", $"/tickets/{filed.Number}/steps/RequestInfo",
            new() { ["Version"] = await VersionAsync(filed.Id), ["Text"] = "Which lamp model is it?" });
        Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);

        Assert.Contains("Which lamp model is it?", await desk.CreateClient().GetStringAsync(filed.StatusPath));
        await using var db = desk.Database.NewContext();
        Assert.Equal([OutboundKind.Acknowledgement], await db.OutboundMails.Where(m => m.TicketId == filed.Id).Select(m => m.Kind).ToListAsync());
    }

    private sealed record Filed(long Id, string Number, string StatusPath, string StatusPage);

    /// <summary>A customer the desk knows (a complaint by mail and an order), then a web complaint under their address.</summary>
    private async Task<(Ticket Earlier, Filed Filed)> KnownCustomerThenWebComplaintAsync(string address, string order)
    {
        var opened = await desk.TakeAsync(MailDesk.CustomerMail(address, "Lamp broken", "The lamp arrived broken.", "Kim"));
        Ticket earlier;
        await using (var db = desk.Database.NewContext())
        {
            earlier = await db.Tickets.AsNoTracking().SingleAsync(t => t.Id == opened.TicketId);
            db.Orders.Add(new Order(order, earlier.CustomerId, MailDesk.Now.AddDays(-20), 80m, "Lamp", "Lighting"));
            await db.SaveChangesAsync();
        }
        var client = desk.CreateClient(new() { AllowAutoRedirect = false });
        var response = await PublicComplaintTests.FileAsync(client, address.ToUpperInvariant(), $"Web complaint under {address}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var path = response.Headers.Location!.OriginalString;
        var statusPage = await client.GetStringAsync(path);
        await using var read = desk.Database.NewContext();
        var id = await read.Tickets.Where(t => t.Subject == $"Web complaint under {address}").Select(t => t.Id).SingleAsync();
        return (earlier, new Filed(id, TicketNumber.Format(id), path, statusPage));
    }

    private async Task<string> VersionAsync(long id)
    {
        await using var db = desk.Database.NewContext();
        return (await db.Tickets.Where(t => t.Id == id).Select(t => t.Version).SingleAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<bool> UnverifiedAsync(long id)
    {
        await using var db = desk.Database.NewContext();
        return await db.Tickets.Where(t => t.Id == id).Select(t => t.ContactUnverified).SingleAsync();
    }

    [GeneratedRegex(@"/confirm/([A-Za-z0-9_-]{43})")]
    private static partial Regex ConfirmLink();
}

public sealed class UnverifiedContactTestsOnSqlite(MailDesk desk) : UnverifiedContactTests(desk), IClassFixture<MailDesk>;

public sealed class UnverifiedContactTestsOnPostgres(PostgresMailDesk desk) : UnverifiedContactTests(desk), IClassFixture<PostgresMailDesk>, IRunsOnPostgres;

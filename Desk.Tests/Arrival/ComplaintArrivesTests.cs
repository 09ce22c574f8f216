using System.Net;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web.Email.Outbound;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Arrival;

/// <summary>
/// "A complaint arrives" by mail and by the web form: from a new address both create the customer and open the same
/// acknowledged ticket with one acknowledgement carrying a status link that works. From an address the desk knows they
/// differ on purpose: a mail comes from its address, the form shows nothing (UnverifiedContactTests).
/// </summary>
public abstract class ComplaintArrivesTests(MailDesk desk)
{
    public sealed record Outcome(TicketState State, string FirstMessage, bool Repeat, bool Unverified, int Acknowledgements, bool StatusLinkWorks);

    [StorageTheory]
    [InlineData("mail")]
    [InlineData("web form")]
    public async Task Arrive_FromANewAddress_OpensTheSameTicketWhateverTheChannel(string channel)
    {
        var address = $"new-{channel.Replace(' ', '-')}@arrives.test";
        var subject = $"Cracked mug ({channel})";
        if (channel == "mail")
            await desk.TakeAsync(MailDesk.CustomerMail(address, subject, "It does not work.", "Nora Quinn"));
        else
            Assert.Equal(HttpStatusCode.Redirect, (await Web.PublicComplaintTests.FileAsync(desk.CreateClient(new() { AllowAutoRedirect = false }), address, subject)).StatusCode);

        await using var db = desk.Database.NewContext();
        var customer = await db.Customers.SingleAsync(c => c.Email == address);
        var ticket = await db.Tickets.Include(t => t.Conversation).SingleAsync(t => t.CustomerId == customer.Id);
        var acks = await db.OutboundMails.Where(m => m.TicketId == ticket.Id && m.Kind == OutboundKind.Acknowledgement).ToListAsync();
        var sent = (await desk.PickedUpAsync(acks.Single().MessageId)).TextBody ?? ""; // as the customer gets it
        var link = System.Text.RegularExpressions.Regex.Match(sent, @"/status/[A-Za-z0-9_-]{43}").Value;
        var works = (await desk.CreateClient().GetAsync(link)).StatusCode == HttpStatusCode.OK;

        Assert.Equal("Nora Quinn", customer.Name);
        Assert.Equal(new Outcome(TicketState.Acknowledged, "It does not work.", false, false, 1, true),
            new Outcome(ticket.State, ticket.Conversation.First(e => e.Kind == ConversationEntryKind.Inbound).Body, ticket.IsRepeatComplaint,
                ticket.ContactUnverified, acks.Count, works));
    }
}

public sealed class ComplaintArrivesTestsOnSqlite(MailDesk desk) : ComplaintArrivesTests(desk), IClassFixture<MailDesk>;

public sealed class ComplaintArrivesTestsOnPostgres(PostgresMailDesk desk) : ComplaintArrivesTests(desk), IClassFixture<PostgresMailDesk>, IRunsOnPostgres;

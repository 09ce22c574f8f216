using System.Net;
using Desk.Domain.FollowUps;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web.Email.Outbound;
using Desk.Web.Features.Public;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Arrival;

/// <summary>
/// One matrix for "the customer wrote again", over every channel that can write to a ticket they have — a mail (a reply by
/// the ticket number), the status page, a low survey score with a comment — and every situation the ticket can be in:
/// each channel must come to the same outcome. The survey's link only works while the ticket is resolved or closed (a
/// reopened ticket's link stops working, a rejected ticket never gets one), so it has no open or rejected cell.
/// </summary>
public abstract class CustomerWritesAgainTests(MailDesk desk)
{
    public enum Writer { Mail, StatusPage, Survey }

    public enum Situation { Open, ResolvedWithinWindow, ClosedWithinWindow, ClosedPastWindow, Rejected }

    /// <summary>What became of the words: the same for every channel in one situation.</summary>
    public sealed record Outcome(TicketState Earlier, int EarlierReopened, bool WordsInEarlier, bool NewTicketFollowsEarlier, TicketState? NewTicket,
        bool NewTicketAcknowledged);

    private static readonly Dictionary<Situation, Outcome> Expected = new()
    {
        [Situation.Open] = new(TicketState.InProgress, 0, true, false, null, false),
        [Situation.ResolvedWithinWindow] = new(TicketState.InProgress, 1, true, false, null, false),
        [Situation.ClosedWithinWindow] = new(TicketState.InProgress, 1, true, false, null, false),
        [Situation.ClosedPastWindow] = new(TicketState.Closed, 0, false, true, TicketState.Acknowledged, true),
        [Situation.Rejected] = new(TicketState.Rejected, 0, false, true, TicketState.Acknowledged, true),
    };

    public static TheoryData<Writer, Situation> Cells()
    {
        var cells = new TheoryData<Writer, Situation>();
        foreach (var situation in Enum.GetValues<Situation>())
        {
            cells.Add(Writer.Mail, situation);
            cells.Add(Writer.StatusPage, situation);
            if (situation is not (Situation.Open or Situation.Rejected)) cells.Add(Writer.Survey, situation);
        }
        return cells;
    }

    [StorageTheory]
    [MemberData(nameof(Cells))]
    public async Task WriteAgain_EveryChannelInEverySituation_ComesToTheSameOutcome(Writer writer, Situation situation)
    {
        var address = $"{writer}-{situation}@again.test".ToLowerInvariant();
        var opened = await desk.TakeAsync(MailDesk.CustomerMail(address, "Wobbly chair", "One leg is shorter.", "Wen Li"));
        var id = opened.TicketId!.Value;
        var (statusToken, surveyToken) = await PutInAsync(id, situation);
        var words = $"Still wobbly ({writer}, {situation}).";

        switch (writer)
        {
            case Writer.Mail:
                await desk.TakeAsync(MailDesk.CustomerMail(address, $"Re: Wobbly chair [{TicketNumber.Format(id)}]", words));
                break;
            case Writer.StatusPage:
                var page = desk.CreateClient(new() { AllowAutoRedirect = false });
                var posted = await Forms.PostAsync(page, $"/status/{statusToken}", $"/status/{statusToken}/reply", new() { ["Message"] = words });
                Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
                break;
            case Writer.Survey:
                var survey = desk.CreateClient(new() { AllowAutoRedirect = false });
                var answered = await Forms.PostAsync(survey, $"/survey/{surveyToken}", $"/survey/{surveyToken}", new()
                {
                    ["OutcomeSatisfaction"] = "1", ["HandlingSatisfaction"] = "2", ["Intention"] = "1", ["AcceptsDecision"] = "no", ["Comment"] = words,
                });
                Assert.Equal(HttpStatusCode.Redirect, answered.StatusCode);
                break;
        }

        Assert.Equal(Expected[situation], await OutcomeAsync(id, words));
    }

    [StorageFact]
    public async Task Reply_OnStatusPageOfATicketClosedPastTheWindow_SaysSoAndLeadsToTheNewTicket()
    {
        var opened = await desk.TakeAsync(MailDesk.CustomerMail("told@again.test", "Torn sofa", "The seam came open."));
        var (token, _) = await PutInAsync(opened.TicketId!.Value, Situation.ClosedPastWindow);
        var client = desk.CreateClient(new() { AllowAutoRedirect = false });
        Assert.Contains("starts a new request that follows it", await client.GetStringAsync($"/status/{token}"));

        var posted = await Forms.PostAsync(client, $"/status/{token}", $"/status/{token}/reply", new() { ["Message"] = "Another seam now." });

        var location = posted.Headers.Location!.OriginalString;
        Assert.Matches("^/status/[A-Za-z0-9_-]{43}\\?new=true$", location);
        Assert.DoesNotContain(token, location);
        var page = await client.GetStringAsync(location);
        Assert.Contains("Another seam now.", page);
        Assert.Contains("Torn sofa", page); // the new ticket takes the earlier one's subject
    }

    /// <summary>Takes the ticket into the situation through its own steps; returns a status token and a sent survey's token for it.</summary>
    private async Task<(string Status, string Survey)> PutInAsync(long id, Situation situation)
    {
        await using var db = desk.Database.NewContext();
        var ticket = await db.Tickets.Include(t => t.Conversation).SingleAsync(t => t.Id == id);
        var now = MailDesk.Now;
        if (situation == Situation.Rejected) ticket.Reject("agent", now, RejectionReason.Spam);
        else ticket.Assign("agent", now, "agent");
        string surveyToken = "";
        if (situation is Situation.ResolvedWithinWindow or Situation.ClosedWithinWindow or Situation.ClosedPastWindow)
        {
            var cause = await db.RootCauses.Select(c => c.Id).FirstAsync();
            ticket.Resolve("agent", now, new Resolution(Desk.Domain.Remedies.RemedyKinds.ApologyAndExplanation, 0m, cause, null, "Sorry about that."));
            ticket.StartFollowUp("desk", now, TimeSpan.FromDays(14));
            var survey = new Survey(id, ticket.CustomerId, "en", now, now);
            surveyToken = survey.Send(now, TimeSpan.FromDays(14));
            db.Surveys.Add(survey);
        }
        if (situation is Situation.ClosedWithinWindow or Situation.ClosedPastWindow)
        {
            ticket.RecordFollowUpOutcome("desk", now, customerAccepted: true, null);
            ticket.Close("desk", now);
        }
        var (link, statusToken) = StatusLink.Create(id, now, TimeSpan.FromDays(365));
        db.StatusLinks.Add(link);
        await db.SaveChangesAsync();
        if (situation == Situation.ClosedPastWindow) // closed 40 days ago, past the 30-day reopen window
            await db.Database.ExecuteSqlRawAsync("UPDATE \"Tickets\" SET \"ClosedAt\" = \"ClosedAt\" - 3456000000 WHERE \"Id\" = {0}", id);
        return (statusToken, surveyToken);
    }

    private async Task<Outcome> OutcomeAsync(long id, string words)
    {
        await using var db = desk.Database.NewContext();
        var earlier = await db.Tickets.AsNoTracking().Include(t => t.Conversation).SingleAsync(t => t.Id == id);
        var follower = await db.Tickets.AsNoTracking().Include(t => t.Conversation).SingleOrDefaultAsync(t => t.FollowsTicketId == id);
        var acknowledged = follower is not null
            && await db.OutboundMails.AnyAsync(m => m.TicketId == follower.Id && m.Kind == OutboundKind.Acknowledgement);
        return new Outcome(earlier.State, earlier.ReopenCount, earlier.Conversation.Any(e => e.Kind == ConversationEntryKind.Inbound && e.Body == words),
            follower is not null && follower.Conversation.Any(e => e.Kind == ConversationEntryKind.Inbound && e.Body == words) && follower.CustomerId == earlier.CustomerId,
            follower?.State, acknowledged);
    }
}

public sealed class CustomerWritesAgainTestsOnSqlite(MailDesk desk) : CustomerWritesAgainTests(desk), IClassFixture<MailDesk>;

public sealed class CustomerWritesAgainTestsOnPostgres(PostgresMailDesk desk) : CustomerWritesAgainTests(desk), IClassFixture<PostgresMailDesk>, IRunsOnPostgres;

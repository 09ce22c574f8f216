using System.Linq.Expressions;
using System.Text.RegularExpressions;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Web;

/// <summary>The queue's sorts, each keyset-paged, and the reader's unread and customer-replied marks, on both providers.</summary>
public abstract partial class QueueOrderTests(QueueDesk factory) : IAsyncLifetime
{
    private static readonly TicketState[] Open =
        [TicketState.New, TicketState.Acknowledged, TicketState.InProgress, TicketState.AwaitingCustomer, TicketState.Escalated];
    private HttpClient _alice = null!;

    public async Task InitializeAsync() => _alice = await factory.SignedInAsync("alice");

    public Task DisposeAsync() => Task.CompletedTask;

    [StorageFact]
    public Task LastActivitySort_NewestChangeFirst_SecondPageByKeyset() =>
        AssertTwoPages("/?view=all&sort=Activity", _ => true, t => t.UpdatedAt, descending: true);

    [StorageFact]
    public Task LastActivitySort_Ascending_SecondPageByKeyset() =>
        AssertTwoPages("/?view=open&sort=Activity&dir=Asc", t => Open.Contains(t.State), t => t.UpdatedAt, descending: false);

    [StorageFact]
    public Task DueSort_SoonestFirst_SecondPageByKeyset() =>
        AssertTwoPages("/?view=open&sort=Due", t => Open.Contains(t.State), t => t.ResolutionDueAt, descending: false);

    [StorageFact]
    public Task ReceivedSort_OldestFirst_SecondPageByKeyset() =>
        AssertTwoPages("/?view=all&sort=Received&dir=Asc", _ => true, t => t.ReceivedAt, descending: false);

    [StorageFact]
    public Task Overdue_OldestOverdueFirst() =>
        AssertTwoPages("/?view=overdue", t => Open.Contains(t.State) && t.ResolutionDueAt < DeskWebFactory.Now, t => t.ResolutionDueAt, descending: false);

    [StorageFact]
    public async Task SortHeaders_LinkEachSortAndMarkTheCurrentOne()
    {
        var html = await _alice.GetStringAsync("/?view=open&sort=Activity");
        Assert.Contains("aria-sort=\"descending\"", html);
        // A second click on the current column turns it round; the others start in their natural direction.
        Assert.Contains("href=\"/?view=open&amp;sort=Activity&amp;dir=Asc\"", html);
        Assert.Contains("href=\"/?view=open&amp;sort=Due&amp;dir=Asc\"", html);
        Assert.Contains("href=\"/?view=open&amp;sort=Received&amp;dir=Desc\"", html);
    }

    [StorageFact]
    public async Task Markers_AssigneesUnopenedTicket_UnreadUntilOpened_ThenCustomerReplyMarksIt()
    {
        long id;
        await using (var db = factory.Database.NewContext())
        {
            id = await db.Tickets.Where(t => t.AssignedTo == "alice" && t.State == TicketState.InProgress)
                .OrderByDescending(t => t.ReceivedAt).Select(t => t.Id).FirstAsync();
        }
        var number = TicketNumber.Format(id);
        var url = "/?view=mine&sort=Activity";

        Assert.Contains("unread", RowOf(await _alice.GetStringAsync(url), number).Tag);

        Assert.Equal(System.Net.HttpStatusCode.OK, (await _alice.GetAsync($"/tickets/{number}")).StatusCode);
        var seen = RowOf(await _alice.GetStringAsync(url), number);
        Assert.DoesNotContain("unread", seen.Tag);
        Assert.DoesNotContain("customer-replied", seen.Cells);

        await using (var db = factory.Database.NewContext())
        {
            var ticket = await db.Tickets.SingleAsync(t => t.Id == id);
            ticket.AddCustomerMessage("customer@example.org", DeskWebFactory.Now.AddMinutes(5), "I will go to the ombudsman.");
            await db.SaveChangesAsync();
        }
        var html = await _alice.GetStringAsync(url);
        var replied = RowOf(html, number);
        Assert.Contains("unread", replied.Tag);
        Assert.Contains("customer-replied", replied.Cells);
        Assert.Equal(number, Numbers(html)[0]); // the last activity sort brings it to the top

        // Bob never opened it and it is not his: the customer's reply is news to him, the ticket is not "unread".
        var bob = await factory.SignedInAsync("bob");
        var his = RowOf(await bob.GetStringAsync("/?view=all&sort=Activity"), number);
        Assert.DoesNotContain("unread", his.Tag);
        Assert.Contains("customer-replied", his.Cells);
    }

    private async Task AssertTwoPages(string url, Expression<Func<Ticket, bool>> predicate, Expression<Func<Ticket, DateTime>> key, bool descending)
    {
        await using var db = factory.Database.NewContext();
        var matching = db.Tickets.Where(predicate);
        var ordered = descending ? matching.OrderByDescending(key).ThenByDescending(t => t.Id) : matching.OrderBy(key).ThenBy(t => t.Id);
        var expected = await ordered.Take(100).Select(t => t.Id).ToListAsync();
        Assert.True(expected.Count > 50, $"the demo data has too few tickets for {url} to page: the test would prove nothing");

        var html = await _alice.GetStringAsync(url);
        Assert.Equal(expected.Take(50).Select(TicketNumber.Format), Numbers(html));
        var next = NextLink().Match(html).Groups[1].Value.Replace("&amp;", "&", StringComparison.Ordinal);
        Assert.Contains("after=", next);
        Assert.Equal(expected.Skip(50).Take(50).Select(TicketNumber.Format), Numbers(await _alice.GetStringAsync(next)));
    }

    private static (string Tag, string Cells) RowOf(string html, string number)
    {
        var start = html.IndexOf($"<tr data-href=\"/tickets/{number}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"{number} is not in the queue");
        var tagEnd = html.IndexOf('>', start);
        var end = html.IndexOf("</tr>", start, StringComparison.Ordinal);
        return (html[start..tagEnd], html[tagEnd..end]);
    }

    private static List<string> Numbers(string html) =>
        RowNumber().Matches(html).Select(m => m.Groups[1].Value).ToList();

    [GeneratedRegex("<td class=\"font-monospace\"><a href=\"/tickets/(D-[0-9]+)\"")]
    private static partial Regex RowNumber();

    [GeneratedRegex("href=\"(/\\?[^\"]*after=[^\"]+)\"")]
    private static partial Regex NextLink();
}

public sealed class QueueOrderTestsOnSqlite(QueueDesk factory) : QueueOrderTests(factory), IClassFixture<QueueDesk>;

public sealed class QueueOrderTestsOnPostgres(PostgresQueueDesk factory) : QueueOrderTests(factory), IClassFixture<PostgresQueueDesk>, IRunsOnPostgres;

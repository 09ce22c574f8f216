using System.Net;
using System.Text.RegularExpressions;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Web;

public abstract class CustomerAndWorkflowPagesTests(DeskWebFactory factory)
{
    [StorageFact]
    public async Task CustomerPage_ShowsOrderCountLifetimeValueAndEveryTicket()
    {
        await using var db = factory.Database.NewContext();
        var customerId = await db.Tickets.GroupBy(t => t.CustomerId).Where(g => g.Count() > 1).Select(g => g.Key).FirstAsync();
        var orders = await db.Orders.Where(o => o.CustomerId == customerId).Select(o => o.Amount).ToListAsync();
        var tickets = await db.Tickets.Where(t => t.CustomerId == customerId).Select(t => t.Id).ToListAsync();
        var agent = await factory.SignedInAsync("grace");

        var html = await agent.GetStringAsync($"/customers/{customerId}");

        Assert.Contains($"id=\"order-count\">{orders.Count}<", html);
        Assert.Contains($"id=\"lifetime-value\">{orders.Sum():N2}<", html);
        foreach (var id in tickets) Assert.Contains($"/tickets/{TicketNumber.Format(id)}", html);
    }

    [StorageFact]
    public async Task CustomerPage_UnknownCustomer_Is404()
    {
        var agent = await factory.SignedInAsync("grace");
        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync("/customers/987654321")).StatusCode);
    }

    [StorageFact]
    public async Task WorkflowPage_ShowsTheGeneratedDiagramAndEveryTransition()
    {
        var agent = await factory.SignedInAsync("hiro");
        var html = WebUtility.HtmlDecode(await agent.GetStringAsync("/workflow"));
        // The machine's diagram, every transition of it, with states and steps in words (issue 19): "In progress", "Ask the customer".
        var transitions = Ticket.WorkflowTransitions();
        var arrows = Regex.Matches(html, "\t(\\w+) --> (\\w+) : ").Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();
        Assert.Equal(transitions.Select(t => (t.From.ToString(), t.To.ToString())), arrows);
        Assert.Contains("InProgress --> AwaitingCustomer : Ask the customer", html);
        var table = html[html.IndexOf("id=\"workflow-table\"", StringComparison.Ordinal)..];
        Assert.Equal(Ticket.WorkflowTransitions().Count, Regex.Matches(table, "<tr>").Count - 1);
        Assert.Contains("a remedy given with its cost", table);
    }
}

public sealed class CustomerAndWorkflowPagesTestsOnSqlite(DeskWebFactory factory) : CustomerAndWorkflowPagesTests(factory), IClassFixture<DeskWebFactory>;

public sealed class CustomerAndWorkflowPagesTestsOnPostgres(PostgresDesk factory) : CustomerAndWorkflowPagesTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

using System.Net;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Web;

public abstract class MacroTests(DeskWebFactory factory) : IAsyncLifetime
{
    private HttpClient _agent = null!;

    public async Task InitializeAsync() => _agent = await factory.SignedInAsync("zhang.wei");

    public Task DisposeAsync() => Task.CompletedTask;

    [StorageFact]
    public async Task DemoData_ComesWithCannedReplies_InBothLanguages()
    {
        var html = await _agent.GetStringAsync("/macros");
        Assert.Contains("Ask for a photo", html);
        Assert.Contains("抱歉，正在处理", WebUtility.HtmlDecode(html));
    }

    [StorageFact]
    public async Task Agent_AddsAMacroAndSendsItAsAReplyWithPlaceholdersFilled()
    {
        var added = await Forms.PostAsync(_agent, "/macros", "/macros",
            new() { ["Title"] = "Courier contacted", ["Body"] = "Hello {customer}, the courier has been chased for {number}. — {agent}" });
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);

        await using var db = factory.Database.NewContext();
        var macro = await db.Macros.SingleAsync(m => m.Title == "Courier contacted");
        Assert.Equal("zhang.wei", macro.UpdatedBy);
        var ticket = await db.Tickets.Where(t => t.State == TicketState.InProgress).OrderBy(t => t.Id).FirstAsync();
        var customer = await db.Customers.SingleAsync(c => c.Id == ticket.CustomerId);

        var page = WebUtility.HtmlDecode(await _agent.GetStringAsync($"/tickets/{ticket.Number}"));
        Assert.Contains($"Hello {customer.Name}, the courier has been chased for {ticket.Number}. — zhang.wei", page);

        var sent = await Forms.PostAsync(_agent, $"/tickets/{ticket.Number}", $"/tickets/{ticket.Number}/actions/reply",
            new() { ["Version"] = ticket.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), ["MacroId"] = macro.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Text"] = "" });
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        await using var after = factory.Database.NewContext();
        var last = await after.ConversationEntries.Where(e => e.TicketId == ticket.Id).OrderByDescending(e => e.Id).FirstAsync();
        Assert.Equal((ConversationEntryKind.Outbound, $"Hello {customer.Name}, the courier has been chased for {ticket.Number}. — zhang.wei"), (last.Kind, last.Body));
    }

    [StorageFact]
    public async Task Reply_TypedText_WinsOverTheChosenMacro()
    {
        await using var db = factory.Database.NewContext();
        var macro = await db.Macros.OrderBy(m => m.Id).FirstAsync();
        var ticket = await db.Tickets.Where(t => t.State == TicketState.Escalated).OrderBy(t => t.Id).FirstAsync();
        await Forms.PostAsync(_agent, $"/tickets/{ticket.Number}", $"/tickets/{ticket.Number}/actions/reply",
            new() { ["Version"] = ticket.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), ["MacroId"] = macro.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Text"] = "Edited by hand." });
        await using var after = factory.Database.NewContext();
        Assert.Equal("Edited by hand.", (await after.ConversationEntries.Where(e => e.TicketId == ticket.Id).OrderByDescending(e => e.Id).FirstAsync()).Body);
    }

    [StorageFact]
    public async Task Macro_WithoutTitle_IsRefusedWithMessage()
    {
        var response = await Forms.PostAsync(_agent, "/macros", "/macros", new() { ["Title"] = " ", ["Body"] = "Text" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("needs a title", await response.Content.ReadAsStringAsync());
    }

    [StorageFact]
    public async Task Macro_EditAndDelete()
    {
        await Forms.PostAsync(_agent, "/macros", "/macros", new() { ["Title"] = "Temp", ["Body"] = "One" });
        await using var db = factory.Database.NewContext();
        var id = (await db.Macros.SingleAsync(m => m.Title == "Temp")).Id;

        await Forms.PostAsync(_agent, "/macros", $"/macros/{id}", new() { ["change"] = "save", ["Title"] = "Temp", ["Body"] = "Two" });
        await using (var check = factory.Database.NewContext())
            Assert.Equal("Two", (await check.Macros.SingleAsync(m => m.Id == id)).Body);

        await Forms.PostAsync(_agent, "/macros", $"/macros/{id}", new() { ["change"] = "delete" });
        await using (var check = factory.Database.NewContext())
            Assert.False(await check.Macros.AnyAsync(m => m.Id == id));
    }
}

public sealed class MacroTestsOnSqlite(DeskWebFactory factory) : MacroTests(factory), IClassFixture<DeskWebFactory>;

public sealed class MacroTestsOnPostgres(PostgresDesk factory) : MacroTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

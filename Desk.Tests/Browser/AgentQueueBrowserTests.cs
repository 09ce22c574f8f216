using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Microsoft.Playwright;

namespace Desk.Tests.Browser;

public sealed class AgentQueueBrowserTests(BrowserDesk desk) : IClassFixture<BrowserDesk>
{
    [BrowserFact]
    public async Task Agent_SignsInAndOpensATicketWithTheKeyboard()
    {
        Assert.True(File.Exists(BrowserDesk.ChromiumPath), $"CI=true and no Chromium at {BrowserDesk.ChromiumPath}: .ci/run should have installed it.");
        var page = await desk.NewPageAsync();

        await page.GotoAsync("/");
        Assert.Contains("/account/login", page.Url);
        await page.FillAsync("#UserName", "alice");
        await page.FillAsync("#Password", DeskWebFactory.DemoPassword);
        await page.ClickAsync("button:has-text('Sign in')");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await BrowserDesk.ScreenshotAsync(page, "queue-signed-in");

        var rows = page.Locator(".queue-table tbody tr");
        Assert.True(await rows.CountAsync() >= 2, "the queue shows fewer than two tickets");
        var second = (await rows.Nth(1).Locator("td.font-monospace").InnerTextAsync()).Trim();

        await page.Keyboard.PressAsync("j");
        await page.Keyboard.PressAsync("j");
        Assert.Contains("table-active", await rows.Nth(1).GetAttributeAsync("class") ?? "");
        await page.Keyboard.PressAsync("k");
        await page.Keyboard.PressAsync("j");
        await page.Keyboard.PressAsync("o");
        await page.WaitForURLAsync($"**/tickets/{second}");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(second);
        await Assertions.Expect(page.GetByText("Audit trail", new() { Exact = true })).ToBeVisibleAsync();
        await BrowserDesk.ScreenshotAsync(page, "ticket-opened-by-keyboard");
    }

    [BrowserFact]
    public async Task Agent_AssignsRepliesAndResolvesATicketInThePage()
    {
        Assert.True(File.Exists(BrowserDesk.ChromiumPath), $"CI=true and no Chromium at {BrowserDesk.ChromiumPath}.");
        string number;
        await using (var db = desk.Database.NewContext())
            number = TicketNumber.Format(db.Tickets.Where(t => t.State == TicketState.Acknowledged).OrderByDescending(t => t.Id).Select(t => t.Id).First());
        var page = await desk.NewPageAsync();
        await BrowserDesk.SignInAsync(page, "bob", $"/tickets/{number}");

        await page.Locator("details[data-step=Assign] summary").ClickAsync();
        await page.Locator("details[data-step=Assign] select[name=Assignee]").SelectOptionAsync("bob");
        await page.Locator("details[data-step=Assign] button").ClickAsync();
        await Assertions.Expect(page.Locator("#step-done")).ToContainTextAsync("Assign");
        await Assertions.Expect(page.Locator(".badge", new() { HasText = "In progress" })).ToBeVisibleAsync();

        await page.FillAsync("#reply-text", "Sorry about this, we are on it.");
        await page.ClickAsync("button:has-text('Send reply')");
        await Assertions.Expect(page.Locator(".conversation .entry.Outbound").Last).ToContainTextAsync("we are on it");

        await page.Locator("details[data-step=Resolve] summary").ClickAsync();
        var resolve = page.Locator("details[data-step=Resolve]");
        await resolve.Locator("select[name=RemedyKindId]").SelectOptionAsync(new SelectOptionValue { Label = "Refund" });
        await resolve.Locator("input[name=RemedyCost]").FillAsync("25.00");
        await resolve.Locator("select[name=RootCauseId]").SelectOptionAsync(new SelectOptionValue { Label = "Late delivery" });
        await resolve.Locator("textarea[name=Text]").FillAsync("We refunded your order.");
        await resolve.Locator("button").ClickAsync();

        // Resolving starts the follow-up plan at once: the ticket is in follow-up, its survey planned.
        await Assertions.Expect(page.Locator("#status-badge, .badge", new() { HasText = "Follow-up" }).First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#survey")).ToHaveAttributeAsync("data-state", "planned");
        await Assertions.Expect(page.GetByText("Delivery › Late delivery", new() { Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".audit-comment", new() { HasText = "root cause:" })).ToHaveTextAsync("Refund (cost 25.00), root cause: Delivery › Late delivery");
        await BrowserDesk.ScreenshotAsync(page, "ticket-resolved-by-agent");
        await using var check = desk.Database.NewContext();
        Assert.True(TicketNumber.TryParse(number, out var id));
        var stored = check.Tickets.Single(t => t.Id == id);
        Assert.Equal((TicketState.FollowUp, "bob", (decimal?)25.00m), (stored.State, stored.AssignedTo, stored.RemedyCost));
    }


    [BrowserFact]
    public async Task Agent_RecordsAFollowUpTaskDoneWithTheKeyboard()
    {
        Assert.True(File.Exists(BrowserDesk.ChromiumPath), $"CI=true and no Chromium at {BrowserDesk.ChromiumPath}.");
        long taskId;
        await using (var db = desk.Database.NewContext())
        {
            var ticket = db.Tickets.Where(t => t.State == TicketState.FollowUp).OrderBy(t => t.Id).First();
            // Due long ago: first on the queue whatever else is due.
            var task = new Desk.Domain.FollowUps.FollowUpTask(ticket.Id, ticket.CustomerId, Desk.Domain.FollowUps.FollowUpTaskKind.CheckIn,
                DeskWebFactory.Now.AddYears(-1), "grace", "desk", DeskWebFactory.Now);
            db.FollowUpTasks.Add(task);
            await db.SaveChangesAsync();
            taskId = task.Id;
        }
        var page = await desk.NewPageAsync();
        await BrowserDesk.SignInAsync(page, "grace", "/followups");
        await BrowserDesk.ScreenshotAsync(page, "followups-queue");

        await page.Keyboard.PressAsync("j");
        await Assertions.Expect(page.Locator($"tr[data-task='{taskId}']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("table-active"));
        await page.Keyboard.PressAsync("n");
        await page.Keyboard.TypeAsync("Called: all fine now.");
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.Locator("#followup-message")).ToContainTextAsync("Follow-up task done.");
        await Assertions.Expect(page.Locator($"tr[data-task='{taskId}']")).ToHaveCountAsync(0);
        await using var check = desk.Database.NewContext();
        var stored = check.FollowUpTasks.Single(t => t.Id == taskId);
        Assert.Equal((Desk.Domain.FollowUps.FollowUpTaskOutcome.Done, "grace", "Called: all fine now."), (stored.Outcome, stored.SettledBy, stored.Note));
    }

    [BrowserFact]
    public async Task WorkflowPage_DrawsTheDiagramInTheBrowser()
    {
        Assert.True(File.Exists(BrowserDesk.ChromiumPath), $"CI=true and no Chromium at {BrowserDesk.ChromiumPath}.");
        var page = await desk.NewPageAsync();
        await BrowserDesk.SignInAsync(page, "emma", "/workflow");
        await Assertions.Expect(page.Locator("#workflow-diagram svg")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#workflow-diagram svg")).ToContainTextAsync("Awaiting customer"); // the states in words, not their code names
        await BrowserDesk.ScreenshotAsync(page, "workflow");
    }

    [BrowserFact]
    public async Task Anonymous_IsAskedToSignIn_AndAWrongPasswordSaysSo()
    {
        Assert.True(File.Exists(BrowserDesk.ChromiumPath), $"CI=true and no Chromium at {BrowserDesk.ChromiumPath}.");
        var page = await desk.NewPageAsync();
        await page.GotoAsync("/tickets/D-000001");
        await page.FillAsync("#UserName", "bob");
        await page.FillAsync("#Password", "wrong-password");
        await page.ClickAsync("button:has-text('Sign in')");
        await Assertions.Expect(page.GetByText("did not match")).ToBeVisibleAsync();
        Assert.Contains("/account/login", page.Url);
    }
}

using Desk.Domain.Customers;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web.Features.Public;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Desk.Tests.Browser;

/// <summary>On the status page of a ticket closed longer ago than the reopen window, the customer is told beforehand that they start a new request, and lands on it.</summary>
public sealed class WriteAgainBrowserTests(BrowserDesk desk) : IClassFixture<BrowserDesk>
{
    [BrowserFact]
    public async Task Status_TicketClosedPastTheWindow_SaysANewRequestStartsAndLeadsToIt()
    {
        Assert.True(File.Exists(BrowserDesk.ChromiumPath), $"CI=true and no Chromium at {BrowserDesk.ChromiumPath}.");
        string token, number;
        await using (var db = desk.Database.NewContext())
        {
            var customer = new Customer("late.lu@example.org", "Lu Wei", DeskWebFactory.Now.AddYears(-1), "zh");
            db.Customers.Add(customer);
            await db.SaveChangesAsync();
            var closedAt = DeskWebFactory.Now.AddDays(-40);
            var ticket = TicketInState.Complaint(customer, closedAt.AddDays(-1), rootCause: await db.RootCauses.Select(c => c.Id).FirstAsync());
            ticket.StartFollowUp("desk", closedAt, TimeSpan.FromDays(1));
            ticket.RecordFollowUpOutcome("desk", closedAt, customerAccepted: true, null);
            ticket.Close("desk", closedAt);
            db.Tickets.Add(ticket);
            await db.SaveChangesAsync();
            (var link, token) = StatusLink.Create(ticket.Id, DeskWebFactory.Now, TimeSpan.FromDays(365));
            db.StatusLinks.Add(link);
            await db.SaveChangesAsync();
            number = ticket.Number;
        }
        var shots = Path.Combine(BrowserDesk.ScreenshotFolder, "oneway");
        var page = await desk.NewPageAsync("zh-CN");
        await page.GotoAsync($"/status/{token}");
        await Assertions.Expect(page.Locator("#starts-new")).ToHaveTextAsync("此工单已关闭：您现在写的内容将作为一个新工单提交，并与此工单关联。");
        foreach (var (culture, width) in new[] { ("zh-CN", 390), ("zh-CN", 1280), ("en-US", 390), ("en-US", 1280) })
        {
            await page.GotoAsync($"/status/{token}?culture={culture}");
            await page.SetViewportSizeAsync(width, 844);
            await BrowserDesk.ScreenshotToAsync(page, Path.Combine(shots, $"status-closed-past-window-{culture}-{width}.png"));
            if (width == 390) Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= 392"), "The status page scrolls sideways at 390 px.");
        }
        await Assertions.Expect(page.Locator("#starts-new")).ToHaveTextAsync("This request is closed: what you write now starts a new request that follows it.");

        await page.FillAsync("#Message", "The other leg is loose now.");
        await page.ClickAsync("button:has-text('Send')");

        await Assertions.Expect(page.Locator("#filed")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("h1 .font-monospace")).Not.ToHaveTextAsync(number);
        await Assertions.Expect(page.Locator(".conversation .entry.Inbound").Last).ToContainTextAsync("The other leg is loose now.");
        await BrowserDesk.ScreenshotToAsync(page, Path.Combine(shots, "status-follower.png"));
    }
}

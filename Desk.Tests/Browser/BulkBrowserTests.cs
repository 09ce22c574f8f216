using System.Text.RegularExpressions;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Desk.Tests.Browser;

/// <summary>The queue's bulk bar in a real browser: select a page of tickets with the mouse and the keyboard, assign them in one step.</summary>
public sealed partial class BulkBrowserTests(BulkBrowserDesk desk) : IClassFixture<BulkBrowserDesk>
{
    private static readonly TicketState[] Assignable = [TicketState.Acknowledged, TicketState.InProgress, TicketState.AwaitingCustomer, TicketState.Escalated];

    /// <summary>Where these tests leave their screenshots, to be looked at.</summary>
    private static readonly string Shots = Path.Combine(BrowserDesk.ScreenshotFolder, "bulk");

    [BrowserFact]
    public async Task BulkAssign_FiftyTicketsOneChangedMeanwhile_AssignsTheRestAndListsTheRefusal()
    {
        var tag = "bulk fifty";
        var ids = await TagAssignableAsync(tag, 50);

        var bob = await desk.NewPageAsync();
        await BrowserDesk.SignInAsync(bob, "bob", "/?view=all&tag=bulk+fifty");
        var boxes = bob.Locator("input.bulk-ticket");
        Assert.Equal(50, await boxes.CountAsync());

        // The whole page with the header box; then j, x takes the first row out and x puts it back: 50 selected.
        await bob.Locator("#select-page").CheckAsync();
        await Assertions.Expect(bob.Locator("#bulk-count")).ToHaveTextAsync("50 selected");
        await bob.Locator("h1").ClickAsync(); // out of the check box: the queue's keys work outside inputs
        await bob.Keyboard.PressAsync("j");
        await bob.Keyboard.PressAsync("x");
        await Assertions.Expect(bob.Locator("#bulk-count")).ToHaveTextAsync("49 selected");
        await bob.Keyboard.PressAsync("x");
        await Assertions.Expect(bob.Locator("#bulk-count")).ToHaveTextAsync("50 selected");
        await Assertions.Expect(bob.Locator("#bulk-assignee")).ToBeVisibleAsync();
        await Assertions.Expect(bob.Locator("#bulk-merge")).ToBeHiddenAsync();

        // Meanwhile Alice takes one of them on its own page: Bob's selection of it is out of date.
        var taken = TicketNumber.Format(ids[10]);
        var alice = await desk.NewPageAsync();
        await BrowserDesk.SignInAsync(alice, "alice", $"/tickets/{taken}");
        await alice.Locator("details[data-step=Assign] summary").ClickAsync();
        await alice.Locator("details[data-step=Assign] select[name=Assignee]").SelectOptionAsync("alice");
        await alice.Locator("details[data-step=Assign] button").ClickAsync();
        await Assertions.Expect(alice.Locator("#step-done")).ToBeVisibleAsync();

        await bob.Locator("#bulk-step").SelectOptionAsync("Assign");
        await bob.Locator("#bulk-apply").ClickAsync();
        await Assertions.Expect(bob.Locator("#bulk-summary")).ToContainTextAsync("Done for 49 of 50 tickets.");
        var refused = bob.Locator("#bulk-refused li");
        await Assertions.Expect(refused).ToHaveCountAsync(1);
        await Assertions.Expect(refused.First).ToContainTextAsync(taken);
        await Assertions.Expect(refused.First).ToContainTextAsync("changed by someone else");
        await Assertions.Expect(bob.Locator("#bulk-done a")).ToHaveCountAsync(49);
        await ShotAsync(bob, "bulk-result-en-1400");

        await using var db = desk.Database.NewContext();
        var stored = await db.Tickets.AsNoTracking().Where(t => ids.Contains(t.Id)).ToDictionaryAsync(t => t.Id);
        Assert.All(ids.Where(id => id != ids[10]), id => Assert.Equal("bob", stored[id].AssignedTo));
        Assert.Equal("alice", stored[ids[10]].AssignedTo);

        // Back to the queue as it was.
        await bob.Locator("#back-to-queue").ClickAsync();
        await bob.WaitForURLAsync(url => url.Contains("tag=bulk", StringComparison.Ordinal));
    }

    [BrowserFact]
    public async Task Queue_BulkBarAndTags_FitPhoneAndDesktopInBothLanguages()
    {
        await TagAssignableAsync("screenshot", 3);
        foreach (var (locale, lang) in new[] { ("en-US", "en"), ("zh-CN", "zh") })
            foreach (var width in new[] { 1400, 390 })
            {
                var page = await desk.NewPageAsync(locale, width);
                await page.GotoAsync("/?view=open");
                await page.FillAsync("#UserName", "bob");
                await page.FillAsync("#Password", DeskWebFactory.DemoPassword);
                await page.ClickAsync(lang == "zh" ? "button:has-text('登录')" : "button:has-text('Sign in')");
                await page.WaitForURLAsync("**/?view=open");
                var boxes = page.Locator("input.bulk-ticket");
                for (var i = 0; i < 3; i++) await boxes.Nth(i).CheckAsync();
                await Assertions.Expect(page.Locator("#bulk-count")).ToHaveTextAsync(lang == "zh" ? "已选 3 张" : "3 selected");
                await page.Locator("#saved-views summary").ClickAsync();
                // The bar and the view saver wrap to the width: nothing of them is cut off or scrolls sideways.
                foreach (var part in new[] { "#bulk-form", "#saved-views" })
                    Assert.True(await page.Locator(part).EvaluateAsync<bool>("e => e.scrollWidth <= e.clientWidth + 1 && e.getBoundingClientRect().right <= window.innerWidth + 1"),
                        $"{part} overflows at {width} px ({locale})");
                await ShotAsync(page, $"queue-bulk-{lang}-{width}");

                await page.GotoAsync("/?view=all&tag=screenshot");
                var first = (await page.Locator(".queue-table tbody tr td.font-monospace").First.InnerTextAsync()).Trim();
                await page.GotoAsync($"/tickets/{first}#tags");
                await Assertions.Expect(page.Locator("#ticket-tags")).ToContainTextAsync("screenshot");
                await ShotAsync(page, $"ticket-tags-{lang}-{width}");
                await page.Context.CloseAsync();
            }
    }

    /// <summary>Tags <paramref name="count"/> open tickets an agent can be given (through the domain), so a tag filter shows exactly them.</summary>
    private async Task<List<long>> TagAssignableAsync(string tag, int count)
    {
        await using var db = desk.Database.NewContext();
        var tickets = await db.Tickets.Include(t => t.Tags)
            .Where(t => Assignable.Contains(t.State) && !t.ContactUnverified && !t.Tags.Any())
            .OrderByDescending(t => t.Id).Take(count).ToListAsync();
        Assert.Equal(count, tickets.Count);
        foreach (var t in tickets) t.AddTag("maria", DeskWebFactory.Now, tag);
        await db.SaveChangesAsync();
        return [.. tickets.Select(t => t.Id)];
    }

    private static async Task ShotAsync(IPage page, string name)
    {
        await BrowserDesk.ScreenshotToAsync(page, Path.Combine(Shots, name + ".png"));
        await BrowserDesk.ScreenshotToAsync(page, Path.Combine(Shots, name + "-top.png"), fullPage: false); // what fits the window, to look at
    }
}

/// <summary>A browser desk with enough open tickets for a full page of them to be assigned.</summary>
public sealed class BulkBrowserDesk : BrowserDesk
{
    public override int DemoTickets => 1500;
}

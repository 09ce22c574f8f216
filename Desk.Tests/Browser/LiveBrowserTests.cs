using Desk.Domain.Tickets;
using Desk.Tests.Live;
using Desk.Tests.Support;
using Desk.Web.Data;
using Desk.Web.Features.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Desk.Tests.Browser;

/// <summary>Two agents in two browser contexts: the queue and the ticket page follow what happens without a reload.</summary>
public sealed class LiveBrowserTests(BrowserDesk desk) : IClassFixture<BrowserDesk>
{
    private static readonly string Shots = Path.Combine(BrowserDesk.ScreenshotFolder, "live");

    [BrowserFact]
    public async Task MailedComplaint_AppearsInAnotherAgentsOpenQueue_WithinFiveSecondsWithoutReload()
    {
        Assert.True(File.Exists(BrowserDesk.ChromiumPath), $"CI=true and no Chromium at {BrowserDesk.ChromiumPath}.");
        var bob = await desk.NewPageAsync();
        await BrowserDesk.SignInAsync(bob, "bob", "/");
        await bob.Mouse.MoveAsync(0, 0);
        await bob.EvaluateAsync("window.__sameDocument = true");
        await WaitForStreamsAsync(1);

        var subject = "Kettle lid flew off " + Guid.NewGuid().ToString("N")[..6];
        await LiveStreamTests.FileAsync(desk, subject);

        var row = bob.Locator(".queue-table tbody tr", new() { HasText = subject });
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 5000 });
        Assert.True(await bob.EvaluateAsync<bool>("window.__sameDocument === true"), "the queue was reloaded, not updated in place");
        Assert.Contains("live-new", await row.GetAttributeAsync("class") ?? "");
        await ShotAsync(bob, "queue-live-en-1400");
    }

    [BrowserFact]
    public async Task Presence_AnotherAgentViewingAndTyping_ShownLive_AndTheirChangeOffersAReload()
    {
        Assert.True(File.Exists(BrowserDesk.ChromiumPath), $"CI=true and no Chromium at {BrowserDesk.ChromiumPath}.");
        long id;
        await using (var db = desk.Database.NewContext())
            id = await db.Tickets.Where(t => t.State == TicketState.InProgress).OrderByDescending(t => t.Id).Select(t => t.Id).FirstAsync();
        var number = TicketNumber.Format(id);
        var alice = await desk.NewPageAsync();
        await BrowserDesk.SignInAsync(alice, "alice", $"/tickets/{number}");
        var bob = await desk.NewPageAsync();
        await BrowserDesk.SignInAsync(bob, "bob", $"/tickets/{number}");

        await Assertions.Expect(alice.Locator("#ticket-presence")).ToContainTextAsync("bob is viewing", new() { Timeout = 5000 });
        await Assertions.Expect(bob.Locator("#ticket-presence")).ToContainTextAsync("alice is viewing", new() { Timeout = 5000 });

        await bob.Locator("#reply-text").PressSequentiallyAsync("We are looking into it");
        await Assertions.Expect(alice.Locator("#ticket-presence")).ToContainTextAsync("bob is typing", new() { Timeout = 5000 });
        await ShotAsync(alice, "ticket-presence-en-1400");

        // Bob's note, saved as any step is: Alice's page offers the reload and says who changed it.
        using (var scope = desk.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DeskDbContext>();
            var ticket = await db.Tickets.SingleAsync(t => t.Id == id);
            ticket.AddInternalNote("bob", DeskWebFactory.Now.AddMinutes(1), "Called the customer back.");
            await db.SaveChangesAsync();
        }
        var banner = alice.Locator("#ticket-changed");
        await Assertions.Expect(banner).ToBeVisibleAsync(new() { Timeout = 5000 });
        await Assertions.Expect(banner).ToContainTextAsync("Changed by bob");
        await ShotAsync(alice, "ticket-changed-en-1400");

        // The same page, narrow and in Chinese, with Bob still on it.
        foreach (var (locale, width) in new[] { ("en-US", 390), ("zh-CN", 1400), ("zh-CN", 390) })
        {
            var page = await desk.NewPageAsync(locale, width);
            await SignInAsync(page, "carmen", $"/tickets/{number}");
            await Assertions.Expect(page.Locator("#ticket-presence")).ToContainTextAsync("bob", new() { Timeout = 5000 });
            await AssertFitsAsync(page, "#ticket-live", width);
            await ShotAsync(page, $"ticket-presence-{locale[..2]}-{width}");
            await page.Context.CloseAsync();
        }
    }

    [BrowserFact]
    public async Task Queue_MarksAndSortableColumns_FitAtEveryWidthInBothLanguages()
    {
        Assert.True(File.Exists(BrowserDesk.ChromiumPath), $"CI=true and no Chromium at {BrowserDesk.ChromiumPath}.");
        foreach (var (locale, width) in new[] { ("en-US", 1400), ("en-US", 390), ("zh-CN", 1400), ("zh-CN", 390) })
        {
            var page = await desk.NewPageAsync(locale, width);
            await SignInAsync(page, "alice", "/?view=mine&sort=Activity");
            await Assertions.Expect(page.Locator("th[aria-sort=descending] a[data-sort=Activity]")).ToBeVisibleAsync();
            Assert.True(await page.Locator(".queue-table tr.unread").CountAsync() > 0, "alice's never-opened tickets are not marked");
            await AssertFitsAsync(page, ".table-responsive", width); // the page around it is the layout's (issue 19, item 8)
            await ShotAsync(page, $"queue-{locale[..2]}-{width}");
            await page.Context.CloseAsync();
        }
    }

    private async Task WaitForStreamsAsync(int count)
    {
        var feed = desk.Services.GetRequiredService<LiveFeed>();
        for (var i = 0; i < 50 && feed.Clients < count; i++) await Task.Delay(100);
        Assert.True(feed.Clients >= count, "the page did not open its event stream");
        await Task.Delay(1200); // the feed's first look at the database
    }

    /// <summary>What this feature adds stays within the window (the page's own width is the layout's business).</summary>
    private static async Task AssertFitsAsync(IPage page, string selector, int width)
    {
        var box = await page.Locator(selector).First.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.X >= 0 && box.X + box.Width <= width, $"{selector} on {page.Url} spans {box.X}–{box.X + box.Width} px at {width} px");
    }

    /// <summary>Signs in through the real form in any language (the button's text is the reader's).</summary>
    private static async Task SignInAsync(IPage page, string user, string path)
    {
        await page.GotoAsync(path);
        await page.FillAsync("#UserName", user);
        await page.FillAsync("#Password", DeskWebFactory.DemoPassword);
        await page.Locator("form:has(#UserName) button").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).PathAndQuery == path);
    }

    private static async Task ShotAsync(IPage page, string name)
    {
        await BrowserDesk.ScreenshotToAsync(page, Path.Combine(Shots, name + ".png"));
    }
}

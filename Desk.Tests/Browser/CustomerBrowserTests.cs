using Desk.Tests.Support;
using Microsoft.Playwright;

namespace Desk.Tests.Browser;

public sealed class CustomerBrowserTests(BrowserDesk desk) : IClassFixture<BrowserDesk>
{
    [BrowserFact]
    public async Task Customer_FilesAComplaintAndFollowsItThroughThePrivateLink()
    {
        Assert.True(File.Exists(BrowserDesk.ChromiumPath), $"CI=true and no Chromium at {BrowserDesk.ChromiumPath}.");
        var page = await desk.NewPageAsync();
        await page.GotoAsync("/complain");
        await page.FillAsync("#Name", "Oskar Berg");
        await page.FillAsync("#Email", "oskar.berg@example.org");
        await page.SelectOptionAsync("#Kind", "Complaint");
        await page.FillAsync("#OrderReference", "SO-00001234");
        await page.FillAsync("#Subject", "Rain jacket leaks at the seams");
        await page.FillAsync("#Description", "After one walk in light rain my shoulders were soaked.");
        await page.SelectOptionAsync("#RemedySoughtId", new SelectOptionValue { Label = "Replacement" });
        await BrowserDesk.ScreenshotAsync(page, "public-form-filled");
        await page.ClickAsync("button:has-text('Send')");

        await Assertions.Expect(page.Locator("#filed")).ToContainTextAsync("Thank you, Oskar Berg");
        var number = await page.Locator("h1 .font-monospace").InnerTextAsync();
        Assert.Matches("^D-[0-9]{6,}$", number);
        var privateLink = page.Url.Split('?')[0];
        await BrowserDesk.ScreenshotAsync(page, "public-status-after-filing");

        // Later, in a fresh browser with no cookies, the link alone opens the ticket.
        var later = await desk.NewPageAsync();
        await later.GotoAsync(privateLink);
        await Assertions.Expect(later.Locator("h1")).ToContainTextAsync(number);
        await Assertions.Expect(later.Locator("#status")).ToContainTextAsync("Received");
        await later.FillAsync("#Message", "I can bring it to the shop on Saturday.");
        await later.ClickAsync("button:has-text('Send')");
        await Assertions.Expect(later.Locator(".conversation .entry.Inbound").Last).ToContainTextAsync("Saturday");
    }
}

using Desk.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Desk.Tests.Browser;

/// <summary>A manager erases a customer in Chromium, on a phone's width: the confirm step, the result, nothing wider than the screen.</summary>
public sealed class PrivacyBrowserTests(BrowserDesk desk) : IClassFixture<BrowserDesk>
{
    [BrowserFact]
    public async Task Manager_OnAPhone_ErasesACustomerByTypingTheirAddress()
    {
        Assert.True(File.Exists(BrowserDesk.ChromiumPath), $"CI=true and no Chromium at {BrowserDesk.ChromiumPath}.");
        long id;
        string email;
        await using (var db = desk.Database.NewContext())
            (id, email) = await db.Customers.Where(c => db.Tickets.Count(t => t.CustomerId == c.Id) > 1 && db.Orders.Any(o => o.CustomerId == c.Id))
                .OrderBy(c => c.Id).Select(c => ValueTuple.Create(c.Id, c.Email)).FirstAsync();
        var page = await desk.NewPageAsync();
        await page.SetViewportSizeAsync(390, 844);
        await BrowserDesk.SignInAsync(page, "maria", $"/customers/{id}");
        await AssertFitsAsync(page);
        await BrowserDesk.ScreenshotAsync(page, "privacy-customer-390");

        await page.ClickAsync("#customer-privacy a:has-text('Erase')");
        await page.WaitForURLAsync($"**/customers/{id}/erase");
        await AssertFitsAsync(page);
        await page.FillAsync("#erase-address", "not.them@example.org");
        await page.ClickAsync("button:has-text('Erase this customer')");
        await Assertions.Expect(page.Locator("#erase-error")).ToContainTextAsync("Type the customer's address exactly");
        await BrowserDesk.ScreenshotAsync(page, "privacy-erase-refused-390");

        await page.FillAsync("#erase-address", email);
        await page.ClickAsync("button:has-text('Erase this customer')");
        await page.WaitForURLAsync($"**/customers/{id}");
        await Assertions.Expect(page.Locator("#customer-erased")).ToContainTextAsync("This customer was erased on");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync($"Erased customer {id}");
        await AssertFitsAsync(page);
        await BrowserDesk.ScreenshotAsync(page, "privacy-customer-erased-390");
    }

    [BrowserFact]
    public async Task Admin_SeesThePrivacyPage_InEnglishAndChinese_AtDesktopAndPhoneWidths()
    {
        Assert.True(File.Exists(BrowserDesk.ChromiumPath), $"CI=true and no Chromium at {BrowserDesk.ChromiumPath}.");
        long id;
        await using (var db = desk.Database.NewContext())
            id = await db.Customers.Where(c => c.ErasedAt == null).OrderByDescending(c => c.Id).Select(c => c.Id).FirstAsync();
        var page = await desk.NewPageAsync();
        await BrowserDesk.SignInAsync(page, "admin", "/admin/privacy");
        foreach (var culture in new[] { "en", "zh-CN" })
        {
            foreach (var width in new[] { 1280, 390 })
            {
                await page.SetViewportSizeAsync(width, 900);
                await page.GotoAsync($"/admin/privacy?culture={culture}");
                await Assertions.Expect(page.Locator("#retention-settings")).ToBeVisibleAsync();
                await AssertFitsAsync(page);
                await BrowserDesk.ScreenshotAsync(page, $"privacy-admin-{culture}-{width}");
                await page.GotoAsync($"/customers/{id}/erase?culture={culture}");
                await Assertions.Expect(page.Locator("#erase-form")).ToBeVisibleAsync();
                await AssertFitsAsync(page);
                await BrowserDesk.ScreenshotAsync(page, $"privacy-erase-{culture}-{width}");
            }
        }
    }

    /// <summary>Nothing on the page is wider than the window: no sideways scrolling on a phone.</summary>
    private static async Task AssertFitsAsync(IPage page)
    {
        var (scroll, window) = (await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("window.innerWidth"));
        var widest = scroll <= window ? "" : await page.EvaluateAsync<string>("""
            [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth)
              .slice(0, 5).map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join(' | ')
            """);
        Assert.True(scroll <= window, $"{page.Url}: {scroll} px wide in a {window} px window: {widest}");
    }
}

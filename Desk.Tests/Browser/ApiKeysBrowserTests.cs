using Desk.Tests.Support;
using Microsoft.Playwright;

namespace Desk.Tests.Browser;

/// <summary>An admin creates an API key with scopes in Chromium, and sees the page in English and Chinese at desktop and phone widths.</summary>
public sealed class ApiKeysBrowserTests(BrowserDesk desk) : IClassFixture<BrowserDesk>
{
    [BrowserFact]
    public async Task Admin_TicksScopes_CreatesAKeyThatListsThem_InBothLanguagesAndWidths()
    {
        Assert.True(File.Exists(BrowserDesk.ChromiumPath), $"CI=true and no Chromium at {BrowserDesk.ChromiumPath}.");
        var page = await desk.NewPageAsync();
        await BrowserDesk.SignInAsync(page, "admin", "/admin/api-keys");
        await page.FillAsync("#key-name", "CRM reader");
        await page.CheckAsync("#scope-tickets-read");
        await page.CheckAsync("#scope-customers-read");
        await page.ClickAsync("button:has-text('Create key')");
        await Assertions.Expect(page.Locator("#new-key")).ToContainTextAsync("tickets:read");
        await Assertions.Expect(page.Locator("td[data-scopes='tickets:read customers:read']")).ToBeVisibleAsync();

        foreach (var culture in new[] { "en", "zh-CN" })
        {
            foreach (var width in new[] { 1400, 390 })
            {
                await page.SetViewportSizeAsync(width, 900);
                await page.GotoAsync($"/admin/api-keys?culture={culture}");
                await Assertions.Expect(page.Locator("#key-scopes input[type=checkbox]")).ToHaveCountAsync(Desk.Web.Features.Api.ApiScopes.All.Count);
                var (scroll, window) = (await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("window.innerWidth"));
                Assert.True(scroll <= window, $"{page.Url}: {scroll} px wide in a {window} px window");
                await BrowserDesk.ScreenshotAsync(page, $"api-keys-{culture}-{width}");
            }
        }
    }
}

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
        var second = (await rows.Nth(1).Locator("td").First.InnerTextAsync()).Trim();

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

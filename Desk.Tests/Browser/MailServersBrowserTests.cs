using Desk.Tests.Support;
using Microsoft.Playwright;

namespace Desk.Tests.Browser;

/// <summary>
/// An admin adds a mailbox on /admin/mail in Chromium: tests the connection (nothing answers on the port: said plainly),
/// saves it, and finds it listed; tests a drop folder that does not exist; the list, the form and the drop folder page in English and Chinese at desktop and phone widths, with no
/// sideways scrolling.
/// </summary>
public sealed class MailServersBrowserTests(BrowserDesk desk) : IClassFixture<BrowserDesk>
{
    [BrowserFact]
    public async Task Admin_TestsAndAddsAMailbox_InBothLanguagesAndWidths()
    {
        Assert.True(File.Exists(BrowserDesk.ChromiumPath), $"CI=true and no Chromium at {BrowserDesk.ChromiumPath}.");
        var page = await desk.NewPageAsync();
        await BrowserDesk.SignInAsync(page, "admin", "/admin/mail");
        await page.ClickAsync("#add-mailbox");
        await page.FillAsync("#server-name", "Returns inbox");
        await page.FillAsync("#server-host", "127.0.0.1");
        await page.FillAsync("#server-port", "1"); // nothing listens there
        await page.SelectOptionAsync("#server-security", "None");
        await page.FillAsync("#server-user", "returns@shop.test");
        await page.FillAsync("#server-password", "Typed-Secret-1");
        Assert.False(await page.IsVisibleAsync("#server-endpoint")); // the OAuth2 fields show only for OAuth2
        await page.ClickAsync("#server-test");
        await Assertions.Expect(page.Locator("#connection-test[data-step='Connect']")).ToContainTextAsync("Nothing answered at 127.0.0.1:1");
        Assert.Equal("", await page.InputValueAsync("#server-password")); // never shown back
        await page.FillAsync("#server-password", "Typed-Secret-1");
        await page.ClickAsync("#server-save");
        await page.WaitForURLAsync("**/admin/mail?done=saved");
        await Assertions.Expect(page.Locator("[data-server='Returns inbox'][data-from-settings='false']")).ToBeVisibleAsync();
        var edit = await page.Locator("[data-server='Returns inbox'] a").GetAttributeAsync("href");

        foreach (var culture in new[] { "en", "zh-CN" })
        {
            // A reader's browser in that language: the form posted back (the connection test) answers in it too.
            if (culture != "en")
            {
                page = await desk.NewPageAsync(culture);
                await page.GotoAsync("/admin/mail");
                await page.FillAsync("#UserName", "admin");
                await page.FillAsync("#Password", DeskWebFactory.DemoPassword);
                await page.ClickAsync("button:has-text('登录')");
                await page.WaitForURLAsync("**/admin/mail");
            }
            foreach (var width in new[] { 1400, 390 })
            {
                await page.SetViewportSizeAsync(width, 900);
                foreach (var (path, name) in new[] { ("/admin/mail", "list"), (edit!, "form"), ("/admin/mail/drop-folder", "drop-folder") })
                {
                    await page.GotoAsync(path);
                    if (name == "form") await page.ClickAsync("#server-test"); // the result shown too
                    if (name == "drop-folder")
                    {
                        // The drop folder page: the settings file's folder in use; a missing folder tested, said plainly.
                        await Assertions.Expect(page.Locator("#drop-folder-in-use[data-from-page='false']")).ToBeVisibleAsync();
                        await page.FillAsync("#drop-folder-path", "/srv/desk/no-such-inbox");
                        await page.ClickAsync("#drop-folder-test-button");
                        await Assertions.Expect(page.Locator("#drop-folder-test[data-problem='Missing']")).ToContainTextAsync("/srv/desk/no-such-inbox");
                    }
                    await Assertions.Expect(page.Locator(name switch { "list" => "#mail-servers", "form" => "#mail-server-form", _ => "#drop-folder-form" })).ToBeVisibleAsync();
                    var (scroll, window) = (await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("window.innerWidth"));
                    Assert.True(scroll <= window, $"{page.Url}: {scroll} px wide in a {window} px window");
                    await BrowserDesk.ScreenshotAsync(page, $"mail-servers-{name}-{culture}-{width}");
                }
            }
        }
    }
}

using Desk.Tests.Support;
using Microsoft.Playwright;

namespace Desk.Tests.Browser;

/// <summary>
/// The refusals issue 18 added, as a person meets them: in both languages, at a desktop's and a phone's width, each
/// readable, saying what to do, and fitting the screen. Its own desk: the sign-in throttle counts this client's wrong
/// passwords, and would refuse other tests' sign-ins.
/// </summary>
public sealed class TrustBrowserTests(BrowserDesk desk) : IClassFixture<BrowserDesk>
{
    public static TheoryData<string, int> Readers => new() { { "en-US", 1400 }, { "zh-CN", 1400 }, { "en-US", 390 }, { "zh-CN", 390 } };

    [BrowserFact]
    public async Task SignIn_AfterTooManyWrongPasswordsFromOneClient_SaysToWaitInTheReadersLanguageAtEveryWidth()
    {
        Assert.True(File.Exists(BrowserDesk.ChromiumPath), $"CI=true and no Chromium at {BrowserDesk.ChromiumPath}.");
        var first = await desk.NewPageAsync();
        for (var i = 0; i < 10; i++)
        {
            await TrySignInAsync(first, "maria", "not-her-password");
            Assert.Contains("did not match", await first.InnerTextAsync("main"));
        }

        foreach (var (locale, width) in Readers.Select(r => ((string)r[0], (int)r[1])))
        {
            var page = await desk.NewPageAsync(locale, width);
            var response = await TrySignInAsync(page, "maria", DeskWebFactory.DemoPassword); // even the right password waits
            Assert.Equal(429, response.Status);
            var message = await page.InnerTextAsync("main");
            Assert.Contains(locale == "zh-CN" ? "分钟" : "Wait a few minutes", message);
            Assert.Contains("/account/login", page.Url, StringComparison.Ordinal); // not signed in
            await BrowserDesk.ScreenshotAsync(page, $"sign-in-throttled-{locale}-{width}");
            await AssertFitsAsync(page, width);
        }
    }

    private static async Task<IResponse> TrySignInAsync(IPage page, string user, string password)
    {
        await page.GotoAsync("/account/login");
        await page.FillAsync("#UserName", user);
        await page.FillAsync("#Password", password);
        return await page.RunAndWaitForResponseAsync(() => page.ClickAsync("main form button.btn-primary"),
            r => r.Url.Contains("/account/login", StringComparison.Ordinal) && r.Request.Method == "POST");
    }

    /// <summary>Nothing wider than the window: no sideways scrolling on a phone.</summary>
    internal static async Task AssertFitsAsync(IPage page, int width)
    {
        var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= width, $"{page.Url} is {scrollWidth} px wide in a {width} px window");
    }
}

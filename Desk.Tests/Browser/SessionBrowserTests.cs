using Desk.Tests.Support;
using Microsoft.Playwright;

namespace Desk.Tests.Browser;

/// <summary>
/// An admin ends an agent's sessions from the users page, in Chromium, and the agent's open browser is back at the
/// sign-in page on its next click; no page of the visit breaks the content policy.
/// </summary>
public sealed class SessionBrowserTests(BrowserDesk desk) : IClassFixture<BrowserDesk>
{
    [BrowserFact]
    public async Task EndAllSessions_OnTheUsersPage_SignsTheAgentOutOfTheirOpenBrowser()
    {
        var agent = await desk.NewPageAsync();
        await BrowserDesk.SignInAsync(agent, "grace", "/macros");
        var admin = await desk.NewPageAsync();
        var violations = new List<string>();
        admin.Console += (_, message) => { if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal)) violations.Add(message.Text); };
        await BrowserDesk.SignInAsync(admin, "admin", "/admin/users");

        await admin.Locator("tr", new PageLocatorOptions { HasText = "grace" }).GetByRole(AriaRole.Button, new() { Name = "End all sessions" }).ClickAsync();

        await Assertions.Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("Every session of grace has ended");
        await BrowserDesk.ScreenshotAsync(admin, "users-sessions-ended");
        await agent.ReloadAsync();
        Assert.Contains("/account/login", agent.Url);

        foreach (var path in new[] { "/workflow", "/reports/recovery", "/" })
        {
            await admin.GotoAsync(path);
            await admin.WaitForLoadStateAsync(LoadState.NetworkIdle);
        }
        Assert.Empty(violations);
    }

    [BrowserFact]
    public async Task UsersPage_InChineseOnAPhone_ShowsTheEndSessionsButton()
    {
        var admin = await desk.NewPageAsync();
        await admin.SetViewportSizeAsync(390, 844);
        await BrowserDesk.SignInAsync(admin, "admin", "/admin/users");
        await admin.GotoAsync("/language?culture=zh-CN&returnUrl=%2Fadmin%2Fusers");

        await Assertions.Expect(admin.GetByRole(AriaRole.Button, new() { Name = "结束所有会话" }).First).ToBeVisibleAsync();
        await BrowserDesk.ScreenshotAsync(admin, "zh-users-phone");
    }
}

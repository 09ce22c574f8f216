using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web.Features.Teams;
using Microsoft.Playwright;

namespace Desk.Tests.Browser;

/// <summary>
/// The bell in the top bar, its list and the notification settings, in Chromium at a desktop's and a phone's width, in
/// English and Chinese: the count is there, nothing overflows, marking read empties it. Screenshots go to /tmp/shots-notify.
/// </summary>
public sealed class NotificationBellBrowserTests(BrowserDesk desk) : IClassFixture<BrowserDesk>
{
    private static readonly string Shots = Path.Combine(BrowserDesk.ScreenshotFolder, "notify");

    [BrowserFact]
    public async Task Bell_AtDesktopAndPhoneWidthsInBothLanguages_ShowsTheCountAndTheList()
    {
        Assert.True(File.Exists(BrowserDesk.ChromiumPath), $"CI=true and no Chromium at {BrowserDesk.ChromiumPath}.");
        string assigned, escalated;
        await using (var db = desk.Database.NewContext())
        {
            var now = desk.Clock.GetUtcNow().UtcDateTime;
            var team = new Team("Second line");
            team.SetMembers(["bob", "carmen"]);
            db.Set<Team>().Add(team);
            await db.SaveChangesAsync(); // the team's members are read when the escalation is saved
            var tickets = db.Tickets.Where(t => t.State == TicketState.Acknowledged).OrderBy(t => t.Id).Take(2).ToList();
            tickets[0].Assign("alice", now, "bob");
            tickets[1].Assign("alice", now, "carmen");
            tickets[1].Escalate("alice", now, "Refund above the limit", EscalationTarget.Team("Second line"));
            await db.SaveChangesAsync();
            (assigned, escalated) = (tickets[0].Number, tickets[1].Number);
        }

        foreach (var (locale, width) in new[] { ("en-US", 1400), ("en-US", 390), ("zh-CN", 1400), ("zh-CN", 390) })
        {
            var name = $"{(locale == "zh-CN" ? "zh" : "en")}-{width}";
            var page = await desk.NewPageAsync(locale, width);
            await SignInAsync(page, "bob", "/");
            await Assertions.Expect(page.Locator("#bell-count")).ToHaveTextAsync("2");
            await Assertions.Expect(page.Locator("#bell")).ToHaveAttributeAsync("aria-label", locale == "zh-CN" ? "通知：2 条未读" : "Notifications: 2 unread");
            await NoOverflowAsync(page, $"queue {name}");
            await ShotAsync(page, $"queue-bell-{name}", fullPage: false);

            await page.Locator("#bell").ClickAsync();
            // The URL, not the load event: the queue's live EventSource being torn down by the click has raced Playwright's load wait.
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/notifications$"));
            await Assertions.Expect(page.Locator("#notifications li")).ToHaveCountAsync(2);
            await Assertions.Expect(page.Locator("#notifications li[data-kind=Assigned]")).ToContainTextAsync(assigned);
            await Assertions.Expect(page.Locator("#notifications li[data-kind=Escalated]")).ToContainTextAsync(
                locale == "zh-CN" ? "alice 把它升级给了您的团队 Second line。" : "alice escalated it to your team Second line.");
            await NoOverflowAsync(page, $"notifications {name}");
            await ShotAsync(page, $"notifications-{name}");

            await page.GotoAsync("/account/notifications");
            await Assertions.Expect(page.Locator("#inapp-Assigned")).ToBeCheckedAsync();
            await NoOverflowAsync(page, $"settings {name}");
            await ShotAsync(page, $"settings-{name}");

            await page.GotoAsync($"/tickets/{assigned}");
            await page.Locator("details[data-step=Escalate] summary").ClickAsync();
            await Assertions.Expect(page.Locator("#escalate-to option[value='team:Second line']")).ToHaveCountAsync(1);
            await ShotAsync(page, $"ticket-escalate-{name}", fullPage: false, selector: "#steps");
            await page.Context.CloseAsync();
        }

        // Opening one from the list marks it read; "Mark all read" the rest.
        var last = await desk.NewPageAsync();
        await SignInAsync(last, "bob", "/notifications");
        await last.Locator($"#notifications li[data-kind=Escalated] button").First.ClickAsync();
        await Assertions.Expect(last).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/tickets/{escalated}$"));
        await Assertions.Expect(last.Locator("#bell-count")).ToHaveTextAsync("1");
        await last.GotoAsync("/notifications");
        await last.Locator("#read-all").ClickAsync();
        await Assertions.Expect(last.Locator("#bell-count")).ToHaveCountAsync(0);
        await Assertions.Expect(last.Locator("#notifications li[data-unread=true]")).ToHaveCountAsync(0);
    }

    [BrowserFact]
    public async Task TeamsAdminPage_AtBothWidths_FitsAndListsTheMembers()
    {
        Assert.True(File.Exists(BrowserDesk.ChromiumPath), $"CI=true and no Chromium at {BrowserDesk.ChromiumPath}.");
        foreach (var (locale, width) in new[] { ("en-US", 1400), ("zh-CN", 390) })
        {
            var page = await desk.NewPageAsync(locale, width);
            await SignInAsync(page, "admin", "/admin/teams");
            if (await page.Locator("[data-team='Returns']").CountAsync() == 0)
            {
                await page.FillAsync("#team-name", "Returns");
                await page.Locator("#add-team button").ClickAsync();
            }
            var card = page.Locator("[data-team='Returns']");
            await card.Locator("input[value='david']").CheckAsync();
            await card.Locator("form[action$='/members'] button").ClickAsync();
            await Assertions.Expect(page.Locator("[data-team='Returns'] input[value='david']")).ToBeCheckedAsync();
            await NoOverflowAsync(page, $"teams {locale} {width}");
            await ShotAsync(page, $"admin-teams-{(locale == "zh-CN" ? "zh" : "en")}-{width}");
            await page.GotoAsync("/admin/sla/escalation");
            await page.Locator("#EscalateTo").SelectOptionAsync("team:Returns");
            await page.Locator("form button").Last.ClickAsync();
            await Assertions.Expect(page.Locator("#admin-saved")).ToBeVisibleAsync();
            await NoOverflowAsync(page, $"sla escalation {locale} {width}");
            await ShotAsync(page, $"admin-sla-escalation-{(locale == "zh-CN" ? "zh" : "en")}-{width}");
            await page.Context.CloseAsync();
        }
    }

    /// <summary>As <see cref="BrowserDesk.SignInAsync"/>, in whichever language the page is (Enter on the password, not the button's words).</summary>
    private static async Task SignInAsync(IPage page, string user, string path)
    {
        await page.GotoAsync(path);
        await page.FillAsync("#UserName", user);
        await page.FillAsync("#Password", DeskWebFactory.DemoPassword);
        await page.PressAsync("#Password", "Enter");
        await page.WaitForURLAsync($"**{path}");
    }

    private static async Task NoOverflowAsync(IPage page, string what)
    {
        var (scroll, inner) = (await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("window.innerWidth"));
        Assert.True(scroll <= inner, $"{what}: the page is {scroll} px wide in a {inner} px window");
    }

    private static async Task ShotAsync(IPage page, string name, bool fullPage = true, string? selector = null)
    {
        var path = Path.Combine(Shots, name + ".png");
        if (selector is not null) await BrowserDesk.ScreenshotToAsync(page.Locator(selector), path);
        else await BrowserDesk.ScreenshotToAsync(page, path, fullPage);
    }
}

using System.Globalization;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Desk.Tests.Browser;

/// <summary>
/// Issue 19, items 7 and 8, as a person meets them in Chromium: the agent pages on a 390 px phone without sideways
/// scrolling (the top bar folded, the queue as cards), every input on the ticket page named, the reply buttons
/// readable, a skip link, and times in the zone the agent chose. Screenshots go to /tmp/shots-words.
/// </summary>
public sealed class PhoneAndAccessibilityBrowserTests(BrowserDesk desk) : IClassFixture<BrowserDesk>
{
    private static readonly string Shots = Path.Combine(BrowserDesk.ScreenshotFolder, "words");

    [BrowserFact]
    public async Task AgentPages_AtAPhonesWidth_FitWithoutSidewaysScrolling()
    {
        Assert.True(File.Exists(BrowserDesk.ChromiumPath), $"CI=true and no Chromium at {BrowserDesk.ChromiumPath}.");
        var (ticket, customer) = await BusiestTicketAsync();
        string open; // a ticket being worked: the reply box and the step forms
        await using (var db = desk.Database.NewContext())
            open = TicketNumber.Format(await db.Tickets.AsNoTracking().Where(t => t.State == TicketState.InProgress && !t.ContactUnverified).MinAsync(t => t.Id));
        foreach (var locale in new[] { "en-US", "zh-CN" })
        {
            foreach (var width in new[] { 1400, 390 })
            {
                var page = await desk.NewPageAsync(locale, width);
                await SignInAsync(page, "admin", "/"); // an admin: the longest top bar, and the reports
                foreach (var (name, path) in new[] { ("queue", "/"), ("ticket", $"/tickets/{ticket}"), ("ticket-open", $"/tickets/{open}"), ("customer", $"/customers/{customer}"), ("reports", "/reports/recovery") })
                {
                    await page.GotoAsync(path);
                    if (name == "ticket-open") await page.EvaluateAsync("() => document.querySelectorAll('#steps details').forEach(d => d.open = true)");
                    if (name is "queue" or "ticket" or "ticket-open") await ShotAsync(page, $"{name}-{locale}-{width}");
                    await TrustBrowserTests.AssertFitsAsync(page, width);
                }
                if (width == 390)
                {
                    // The links fold behind the menu button, and open below the bar without widening the page.
                    await page.GotoAsync("/");
                    var reports = page.Locator("#desk-menu a[href='/reports/recovery']");
                    await Assertions.Expect(reports).ToBeHiddenAsync();
                    await page.Locator("button.navbar-toggler").ClickAsync();
                    await Assertions.Expect(reports).ToBeVisibleAsync();
                    await ShotAsync(page, $"menu-open-{locale}-{width}");
                    await TrustBrowserTests.AssertFitsAsync(page, width);
                    // The queue is cards: of the header row only the sort links (and select-all) stay, as one line above
                    // the cards; each ticket's cells stacked in its own box.
                    await Assertions.Expect(page.Locator(".queue-table thead th", new() { HasText = locale == "zh-CN" ? "主题" : "Subject" })).ToBeHiddenAsync();
                    await Assertions.Expect(page.Locator(".queue-table thead a.sort-link").First).ToBeVisibleAsync();
                    Assert.Equal("flex", await page.Locator(".queue-table tbody tr").First.EvaluateAsync<string>("r => getComputedStyle(r).display"));
                }
                await page.Context.CloseAsync();
            }
        }
    }

    [BrowserFact]
    public async Task TicketPage_EveryVisibleInput_HasAnAccessibleName()
    {
        Assert.True(File.Exists(BrowserDesk.ChromiumPath), $"CI=true and no Chromium at {BrowserDesk.ChromiumPath}.");
        string[] tickets;
        await using (var db = desk.Database.NewContext())
            tickets = [.. (await db.Tickets.AsNoTracking().Where(t => !t.ContactUnverified)
                    .Where(t => t.State == TicketState.Acknowledged || t.State == TicketState.InProgress || t.State == TicketState.FollowUp || t.State == TicketState.Resolved)
                    .GroupBy(t => t.State).Select(g => g.Min(t => t.Id)).ToListAsync()).Select(TicketNumber.Format)];
        Assert.True(tickets.Length >= 3, "too few demo tickets in the states with step forms");
        var page = await desk.NewPageAsync("en-US", 1400);
        await BrowserDesk.SignInAsync(page, "carmen", $"/tickets/{tickets[0]}");
        var walked = 0;
        foreach (var ticket in tickets)
        {
            await page.GotoAsync($"/tickets/{ticket}");
            await page.EvaluateAsync("() => document.querySelectorAll('details').forEach(d => d.open = true)"); // every step's form
            var unnamed = await page.EvaluateAsync<string[]>(@"() => [...document.querySelectorAll('input, select, textarea')]
                .filter(e => e.type !== 'hidden' && e.offsetParent !== null)
                .filter(e => {
                    const byLabel = [...(e.labels || [])].some(l => l.textContent.trim().length > 0);
                    const byAria = (e.getAttribute('aria-label') || '').trim().length > 0;
                    const byIds = (e.getAttribute('aria-labelledby') || '').split(' ').some(id => (document.getElementById(id)?.textContent || '').trim().length > 0);
                    return !(byLabel || byAria || byIds);
                })
                .map(e => e.outerHTML.slice(0, 120))");
            walked += await page.Locator("input:visible, select:visible, textarea:visible").CountAsync();
            Assert.True(unnamed.Length == 0, $"{ticket}: inputs without a name a screen reader can say: {string.Join(" | ", unnamed)}");
        }
        Assert.True(walked >= 15, $"only {walked} inputs walked");
    }

    [BrowserFact]
    public async Task ReplyButtons_OnWhite_HaveContrastOfAtLeastFourAndAHalf()
    {
        Assert.True(File.Exists(BrowserDesk.ChromiumPath), $"CI=true and no Chromium at {BrowserDesk.ChromiumPath}.");
        string ticket;
        await using (var db = desk.Database.NewContext())
            ticket = TicketNumber.Format(await db.Tickets.AsNoTracking().Where(t => t.State == TicketState.InProgress).MinAsync(t => t.Id));
        var page = await desk.NewPageAsync();
        await BrowserDesk.SignInAsync(page, "carmen", $"/tickets/{ticket}");
        var buttons = page.Locator("#reply-form button");
        Assert.True(await buttons.CountAsync() >= 2, "the reply box shows fewer than two buttons");
        for (var i = 0; i < await buttons.CountAsync(); i++)
        {
            var colours = await buttons.Nth(i).EvaluateAsync<string[]>(@"b => {
                let bg = 'rgba(0, 0, 0, 0)', e = b;
                while (e && (bg === 'rgba(0, 0, 0, 0)' || bg === 'transparent')) { bg = getComputedStyle(e).backgroundColor; e = e.parentElement; }
                return [getComputedStyle(b).color, bg, b.textContent.trim()];
            }");
            var ratio = Contrast(Rgb(colours[0]), Rgb(colours[1]));
            Assert.True(ratio >= 4.5, $"'{colours[2]}' is {colours[0]} on {colours[1]}: contrast {ratio:0.0}:1");
        }
    }

    [BrowserFact]
    public async Task SkipLink_FirstTab_IsTheSkipLinkAndLeadsToTheContent()
    {
        Assert.True(File.Exists(BrowserDesk.ChromiumPath), $"CI=true and no Chromium at {BrowserDesk.ChromiumPath}.");
        var page = await desk.NewPageAsync();
        await BrowserDesk.SignInAsync(page, "carmen", "/followups");
        await page.Keyboard.PressAsync("Tab");
        var skip = page.Locator("a.skip-link");
        await Assertions.Expect(skip).ToBeFocusedAsync();
        await Assertions.Expect(skip).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("main#main")).ToBeFocusedAsync();
    }

    [BrowserFact]
    public async Task TimeZone_ChosenOnPreferences_AppliesToTheTicketPageInTheReadersCulture()
    {
        Assert.True(File.Exists(BrowserDesk.ChromiumPath), $"CI=true and no Chromium at {BrowserDesk.ChromiumPath}.");
        var (ticket, _) = await BusiestTicketAsync();
        DateTime received;
        await using (var db = desk.Database.NewContext())
        {
            Assert.True(TicketNumber.TryParse(ticket, out var id));
            received = await db.Tickets.AsNoTracking().Where(t => t.Id == id).Select(t => t.ReceivedAt).SingleAsync();
        }
        var page = await desk.NewPageAsync("zh-CN", 390);
        await SignInAsync(page, "david", "/account/preferences");
        await page.Locator("#TimeZone").SelectOptionAsync("Asia/Shanghai");
        await page.Locator("main form button").ClickAsync();
        await Assertions.Expect(page.Locator("#preferences-saved")).ToContainTextAsync("Asia/Shanghai");
        await ShotAsync(page, "preferences-zh-CN-390");
        await TrustBrowserTests.AssertFitsAsync(page, 390);

        await page.GotoAsync($"/tickets/{ticket}");
        var local = TimeZoneInfo.ConvertTimeFromUtc(received, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        await Assertions.Expect(page.Locator(".audit-table time").First).ToHaveTextAsync(local.ToString("G", CultureInfo.GetCultureInfo("zh-CN")));
        await Assertions.Expect(page.Locator(".zone-name")).ToHaveTextAsync("(Asia/Shanghai)", new() { UseInnerText = false });
        await ShotAsync(page, "ticket-shanghai-zh-CN-390");
    }

    /// <summary>The ticket with the longest audit trail (resolved, with its customer), and its customer.</summary>
    private async Task<(string Ticket, long Customer)> BusiestTicketAsync()
    {
        await using var db = desk.Database.NewContext();
        var busiest = await db.Tickets.AsNoTracking().Where(t => !t.ContactUnverified && t.ResolvedAt != null)
            .OrderByDescending(t => t.AuditTrail.Count).ThenBy(t => t.Id).Select(t => new { t.Id, t.CustomerId }).FirstAsync();
        return (TicketNumber.Format(busiest.Id), busiest.CustomerId);
    }

    /// <summary>Signs in through the real form in any language (the button's words differ).</summary>
    private static async Task SignInAsync(IPage page, string user, string path)
    {
        await page.GotoAsync(path);
        await page.FillAsync("#UserName", user);
        await page.FillAsync("#Password", DeskWebFactory.DemoPassword);
        await page.ClickAsync("main form button.btn-primary");
        await page.WaitForURLAsync(url => new Uri(url).PathAndQuery == path);
    }

    private static async Task ShotAsync(IPage page, string name)
    {
        await BrowserDesk.ScreenshotToAsync(page, Path.Combine(Shots, name + ".png"));
        // The first screen alone too, and the ticket page's parts: a phone's full page is too tall to look at in one.
        await BrowserDesk.ScreenshotToAsync(page, Path.Combine(Shots, name + "-first-screen.png"), fullPage: false);
        foreach (var (part, selector) in new[] { ("steps", "#steps"), ("audit", ".audit-table"), ("reply", "#reply-form"), ("conversation", ".conversation") })
            if (await page.Locator(selector).CountAsync() == 1)
                await BrowserDesk.ScreenshotToAsync(page.Locator(selector), Path.Combine(Shots, $"{name}-{part}.png"));
    }

    private static double[] Rgb(string css)
    {
        var parts = css[(css.IndexOf('(', StringComparison.Ordinal) + 1)..css.IndexOf(')', StringComparison.Ordinal)].Split(',');
        return [.. parts.Take(3).Select(p => double.Parse(p.Trim(), CultureInfo.InvariantCulture))];
    }

    /// <summary>WCAG 2's contrast ratio of two sRGB colours.</summary>
    private static double Contrast(double[] a, double[] b)
    {
        static double Luminance(double[] c)
        {
            var l = c.Select(v => v / 255).Select(v => v <= 0.03928 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4)).ToArray();
            return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
        }
        var (x, y) = (Luminance(a), Luminance(b));
        return (Math.Max(x, y) + 0.05) / (Math.Min(x, y) + 0.05);
    }
}

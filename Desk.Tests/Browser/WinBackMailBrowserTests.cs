using Desk.Tests.Support;
using Desk.Web.Email.Outbound;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Desk.Tests.Browser;

/// <summary>
/// In Chromium: a manager opens a win-back mail from the win-back list, changes its words, sends it and is told so; the
/// preview and the admins' template page at 1400 and 390 px in English and Chinese, without sideways overflow, saved
/// for a person to look at.
/// </summary>
public sealed class WinBackMailBrowserTests(BrowserDesk desk) : IClassFixture<BrowserDesk>
{
    private static readonly string Shots = Path.Combine(BrowserDesk.ScreenshotFolder, "winback");

    [BrowserFact]
    public async Task Manager_OpensThePreviewFromTheList_EditsAndSends_AndSeesItConfirmed()
    {
        var page = await desk.NewPageAsync();
        await BrowserDesk.SignInAsync(page, "maria", "/reports/win-back");
        var write = page.Locator("#win-back-table tr[data-ticket] a", new() { HasText = "Write a win-back mail" }).First;
        var ticketId = long.Parse((await write.GetAttributeAsync("href"))!.Split('/')[3], System.Globalization.CultureInfo.InvariantCulture);

        await write.ClickAsync();
        await page.WaitForURLAsync($"**/reports/win-back/{ticketId}/mail");
        await Assertions.Expect(page.Locator("#win-back-signed-by")).ToContainTextAsync("maria");
        var body = await page.InputValueAsync("#Body");
        await page.FillAsync("#Body", body + "\n\nP.S. I have kept your order history at hand in case you call.");
        await page.ClickAsync("#win-back-send");

        await page.WaitForURLAsync("**/reports/win-back");
        await Assertions.Expect(page.Locator("#win-back-sent")).ToContainTextAsync("is in the outbox");
        await Assertions.Expect(page.Locator($"tr[data-ticket='{ticketId}']")).ToContainTextAsync("Mail sent");
        await using var db = desk.Database.NewContext();
        var mail = await db.OutboundMails.SingleAsync(m => m.TicketId == ticketId && m.Kind == OutboundKind.WinBack);
        Assert.EndsWith("P.S. I have kept your order history at hand in case you call.", mail.Body);
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task PreviewAndTemplates_InEnglishAndChineseAtDeskAndPhoneWidths_FitAndAreSaved()
    {
        long ticketId;
        await using (var db = desk.Database.NewContext())
            ticketId = await db.Tickets.Where(t => t.Kind == Desk.Domain.Tickets.TicketKind.Complaint)
                .Where(t => db.Customers.Any(c => c.Id == t.CustomerId && c.Language == "zh" && !c.Email.EndsWith(".invalid")))
                .OrderBy(t => t.Id).Select(t => t.Id).FirstAsync();
        foreach (var lang in new[] { "en", "zh" })
        {
            var manager = await SignedInAsync("maria", lang);
            var admin = await SignedInAsync("admin", lang);
            foreach (var width in new[] { 1400, 390 })
            {
                await manager.SetViewportSizeAsync(width, 900);
                await manager.GotoAsync($"/reports/win-back/{ticketId}/mail");
                await ShootAsync(manager, $"preview-{lang}-{width}");
                await manager.GotoAsync("/reports/win-back");
                await ShootAsync(manager, $"list-{lang}-{width}", checkOverflow: false); // the list's own layout is the reports' (issue 20, item 3)
                await admin.SetViewportSizeAsync(width, 900);
                await admin.GotoAsync("/admin/win-back-mail");
                await ShootAsync(admin, $"templates-{lang}-{width}");
            }
            await Assertions.Expect(manager.Locator("h1")).ToHaveTextAsync(lang == "zh" ? "挽回顾客" : "Win back");
            await manager.Context.CloseAsync();
            await admin.Context.CloseAsync();
        }
    }

    /// <summary>Signed in (the form is in English) and then switched to <paramref name="lang"/> with the language link's cookie.</summary>
    private async Task<IPage> SignedInAsync(string user, string lang)
    {
        var page = await desk.NewPageAsync(lang == "zh" ? "zh-CN" : "en-US");
        await page.GotoAsync("/language?culture=en&returnUrl=%2Faccount%2Flogin");
        await BrowserDesk.SignInAsync(page, user, "/reports/win-back");
        if (lang == "zh") await page.GotoAsync("/language?culture=zh-CN&returnUrl=%2Freports%2Fwin-back");
        return page;
    }

    /// <summary>Saves the page for a person to look at, after checking that nothing sticks out sideways.</summary>
    private static async Task ShootAsync(IPage page, string name, bool checkOverflow = true)
    {
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        if (checkOverflow)
        {
            var sizes = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
            Assert.True(sizes[0] <= sizes[1], $"{name}: the page is {sizes[0]} px wide in a {sizes[1]} px window");
        }
        await BrowserDesk.ScreenshotToAsync(page, Path.Combine(Shots, name + ".png"));
    }
}

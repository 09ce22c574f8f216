using Desk.Domain.Customers;
using Desk.Domain.Sla;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Tests.Webhooks;
using Desk.Web.Features.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Desk.Tests.Browser;

/// <summary>
/// An admin adds a webhook in Chromium and sees its secret once, its delivery log, and the notice of a hook the desk
/// turned off for failing; the page in English and Chinese at desktop and phone widths.
/// </summary>
public sealed class WebhooksBrowserTests(BrowserDesk desk) : IClassFixture<BrowserDesk>
{
    [BrowserFact]
    public async Task Admin_AddsAHook_SeesTheSecretOnceTheLogAndAFailingHookTurnedOff_InBothLanguagesAndWidths()
    {
        Assert.True(File.Exists(BrowserDesk.ChromiumPath), $"CI=true and no Chromium at {BrowserDesk.ChromiumPath}.");
        using var receiver = new WebhookReceiver().Start();
        using var down = new WebhookReceiver(); // never started: refuses
        var page = await desk.NewPageAsync();
        await BrowserDesk.SignInAsync(page, "admin", "/admin/webhooks");

        await page.FillAsync("#hook-url", receiver.Url);
        await page.CheckAsync("#event-TicketCreated");
        await page.CheckAsync("#event-StateChanged");
        await page.ClickAsync("button:has-text('Add webhook')");
        await Assertions.Expect(page.Locator("#new-hook-secret")).ToContainTextAsync("whsec_");
        var secret = await page.Locator("#new-hook-secret").InnerTextAsync();

        await page.FillAsync("#hook-url", down.Url);
        await page.CheckAsync("#event-TicketCreated");
        await page.ClickAsync("button:has-text('Add webhook')");
        await Assertions.Expect(page.Locator("#new-hook-secret")).Not.ToContainTextAsync(secret); // each hook its own, shown once

        await NewTicketAsync();
        await WaitForAsync(() => Task.FromResult(receiver.Taken.Count >= 1));
        Assert.True(WebhookSignature.Verify(secret.Trim(), receiver.Taken.First().Signature, receiver.Taken.First().Body, out _));
        await WaitForAsync(async () =>
        {
            await using var db = desk.Database.NewContext();
            return await db.Set<WebhookDelivery>().AnyAsync(d => d.Attempts > 0 && d.State == WebhookDeliveryState.Pending);
        });
        desk.Clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));
        await WaitForAsync(async () =>
        {
            await using var db = desk.Database.NewContext();
            return await db.Set<Webhook>().AnyAsync(h => h.DisabledForFailing);
        });
        page = await desk.NewPageAsync(); // three days on, the first sign-in has expired
        await BrowserDesk.SignInAsync(page, "admin", "/admin/webhooks");

        foreach (var culture in new[] { "en", "zh-CN" })
        {
            foreach (var width in new[] { 1400, 390 })
            {
                await page.SetViewportSizeAsync(width, 900);
                await page.GotoAsync($"/admin/webhooks?culture={culture}");
                await Assertions.Expect(page.Locator("#hook-events input[type=checkbox]")).ToHaveCountAsync(6);
                await Assertions.Expect(page.Locator("[data-disabled-hook]")).ToHaveCountAsync(1);
                await Assertions.Expect(page.Locator("tr[data-state=Delivered]")).ToHaveCountAsync(1);
                Assert.DoesNotContain(secret.Trim(), await page.ContentAsync());
                var (scroll, window) = (await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("window.innerWidth"));
                Assert.True(scroll <= window, $"{page.Url}: {scroll} px wide in a {window} px window");
                await BrowserDesk.ScreenshotAsync(page, $"webhooks-{culture}-{width}");
            }
        }
    }

    private async Task NewTicketAsync()
    {
        var now = desk.Clock.GetUtcNow().UtcDateTime;
        await using var db = desk.Database.NewContext();
        var customer = new Customer($"hook.page.{Guid.NewGuid():N}@example.org", "Hook Page", now.AddYears(-1));
        db.Customers.Add(customer);
        await db.SaveChangesAsync();
        db.Tickets.Add(Ticket.Receive(new TicketIntake(TicketKind.Complaint, Channel.Email, Severity.Minor, "hook page", "It broke.", null),
            customer, SlaPolicy.Default, RepeatComplaintPolicy.Default, null, now));
        await db.SaveChangesAsync();
    }

    private static async Task WaitForAsync(Func<Task<bool>> done)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (!await done())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException("Waited 20 s.");
            await Task.Delay(100);
        }
    }
}

using System.Net;
using Desk.Tests.Support;
using Desk.Web.Email.Outbound;
using Desk.Web.Features.Digest;
using Desk.Web.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Desk.Tests.Digest;

/// <summary>
/// Reports by mail through the real app: a manager subscribes on their own page (agents cannot), and the scheduler, run by
/// hand at the fake clock's time, queues nothing the day before the chosen day and exactly one digest on it — in the
/// subscriber's language, with the dashboard's figures, a table-drawn chart and a plain-text part — however many
/// schedulers look at once. Each test has its own people; one test moves the class's clock a day on.
/// </summary>
public abstract class DigestTests(MailDesk desk)
{
    private static int _made;

    [StorageFact]
    public async Task Save_ManagerChoosesWeeklyInChinese_IsKeptAndTheNextDigestIsShown()
    {
        var name = await ManagerAsync();
        var manager = await desk.SignedInAsync(name);
        var blank = await manager.GetStringAsync("/account/digest?culture=zh-CN");
        Assert.Contains("<option value=\"zh\" selected=\"selected\">", blank); // the page's language is the default choice
        Assert.Contains("无：您尚未订阅。", blank);

        var saved = await Forms.PostAsync(manager, "/account/digest", "/account/digest",
            new() { ["Frequency"] = "Weekly", ["Day"] = "Friday", ["Language"] = "zh" });

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        await using var db = desk.Database.NewContext();
        var subscription = await db.Set<DigestSubscription>().SingleAsync(s => s.UserName == name);
        Assert.Equal((DigestFrequency.Weekly, DayOfWeek.Friday, "zh"), (subscription.Frequency, subscription.Day, subscription.Language));
        var page = await manager.GetStringAsync("/account/digest?saved=true");
        Assert.Contains("id=\"digest-saved\"", page);
        Assert.Contains("<option value=\"Friday\" selected=\"selected\">", page);
        var next = DigestSchedule.Next(DigestFrequency.Weekly, DayOfWeek.Friday, TimeZoneInfo.Utc, 7, desk.Clock.GetUtcNow().UtcDateTime).At;
        Assert.Equal(DayOfWeek.Friday, next.DayOfWeek);
        Assert.Contains($"id=\"digest-next\">Friday {next.ToString("d", System.Globalization.CultureInfo.GetCultureInfo("en"))}", page); // the desk's zone, UTC

        var stopped = await Forms.PostAsync(manager, "/account/digest", "/account/digest", new() { ["Frequency"] = "None", ["Language"] = "zh" });
        Assert.Equal(HttpStatusCode.Redirect, stopped.StatusCode);
        await using var check = desk.Database.NewContext();
        Assert.False(await check.Set<DigestSubscription>().AnyAsync(s => s.UserName == name));
    }

    [StorageFact]
    public async Task Save_UnknownDay_IsRefusedWithAMessageAndNothingChanges()
    {
        var name = await ManagerAsync();
        var manager = await desk.SignedInAsync(name);

        var refused = await Forms.PostAsync(manager, "/account/digest", "/account/digest",
            new() { ["Frequency"] = "Weekly", ["Day"] = "Someday", ["Language"] = "en" });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Choose a day of the week.", await refused.Content.ReadAsStringAsync());
        await using var db = desk.Database.NewContext();
        Assert.False(await db.Set<DigestSubscription>().AnyAsync(s => s.UserName == name));
    }

    [StorageFact]
    public async Task Subscribe_Agent_IsDenied()
    {
        var agent = await desk.SignedInAsync(Desk.Seed.DemoDataGenerator.AgentUserNames[0]);

        var page = await agent.GetAsync("/account/digest");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/account/denied", page.Headers.Location!.PathAndQuery);
    }

    [StorageFact]
    public async Task Run_TwoSchedulersTheDayBeforeAndOnTheDay_QueueOneDigestOnTheDayInTheSubscribersLanguage()
    {
        var now = desk.Clock.GetUtcNow().UtcDateTime;
        var tomorrow = now.AddDays(1).DayOfWeek;
        var zh = await ManagerAsync();
        var en = await ManagerAsync();
        var agent = await ManagerAsync(DeskRoles.Agent); // a subscription left from when they were a manager: no digest now
        await using (var db = desk.Database.NewContext())
        {
            db.Set<DigestSubscription>().AddRange(
                new DigestSubscription(zh, DigestFrequency.Weekly, tomorrow, "zh", now),
                new DigestSubscription(en, DigestFrequency.Weekly, tomorrow, "en", now),
                new DigestSubscription(agent, DigestFrequency.Weekly, tomorrow, "en", now));
            await db.SaveChangesAsync();
        }
        var first = Scheduler();
        var second = Scheduler();

        await Task.WhenAll(first.RunAsync(default), second.RunAsync(default)); // the day before (09:00 UTC, after the send hour)
        Assert.Empty(await DigestsToAsync(zh, en, agent));

        desk.Clock.Advance(TimeSpan.FromDays(1)); // the chosen day, 09:00
        var queued = await Task.WhenAll(first.RunAsync(default), second.RunAsync(default));
        await first.RunAsync(default); // and a later look the same day

        Assert.Equal(2, queued.Sum()); // one each for the two managers, between the two schedulers
        var digests = await DigestsToAsync(zh, en, agent);
        Assert.Equal(new[] { $"{en}@digest.test", $"{zh}@digest.test" }.Order(), digests.Select(m => m.To).Order());
        var chinese = digests.Single(m => m.To == $"{zh}@digest.test");
        Assert.Equal("zh", chinese.Language);
        Assert.StartsWith("Desk · 每周报告：近 7 天收到", chinese.Subject);
        Assert.Contains("收到的投诉", chinese.Body);
        Assert.Contains("/dashboard?culture=zh-CN", chinese.Body);
        Assert.Contains("id=\"chart-complaints\"", chinese.HtmlBody);
        Assert.Contains("lang=\"zh-CN\"", chinese.HtmlBody);
        var english = digests.Single(m => m.To == $"{en}@digest.test");
        Assert.StartsWith("Desk · Weekly report: ", english.Subject);
        Assert.Contains("Complaints in", english.Body);

        // The figures are the dashboard's: its complaints tile over the same days.
        var dashboard = await desk.SignedInAsync("maria");
        var tile = System.Text.RegularExpressions.Regex.Match(await dashboard.GetStringAsync("/dashboard"), "id=\"tile-complaints\"[\\s\\S]*?data-value=\"(\\d+)\"").Groups[1].Value;
        Assert.Contains($"Complaints in: {long.Parse(tile, System.Globalization.CultureInfo.InvariantCulture):N0}", english.Body);

        await using var check = desk.Database.NewContext();
        Assert.Equal(2, await check.Set<DigestDelivery>().CountAsync(d => d.UserName == zh || d.UserName == en || d.UserName == agent));
    }

    private DigestScheduler Scheduler() => ActivatorUtilities.CreateInstance<DigestScheduler>(desk.Services);

    private async Task<List<OutboundMail>> DigestsToAsync(params string[] names)
    {
        var addresses = names.Select(n => $"{n}@digest.test").ToList();
        await using var db = desk.Database.NewContext();
        return await db.OutboundMails.AsNoTracking().Where(m => m.Kind == OutboundKind.ReportDigest && addresses.Contains(m.To)).ToListAsync();
    }

    /// <summary>A new person with the role (a manager by default) and an address at digest.test.</summary>
    private async Task<string> ManagerAsync(string role = DeskRoles.Manager)
    {
        var name = $"digest{Interlocked.Increment(ref _made)}x{Guid.NewGuid():N}"[..20];
        await using var scope = desk.Services.CreateAsyncScope();
        Assert.Null(await scope.ServiceProvider.GetRequiredService<DeskUsers>().CreateAsync(name, $"{name}@digest.test", name, DeskWebFactory.DemoPassword, role));
        return name;
    }
}

public sealed class DigestTestsOnSqlite(MailDesk desk) : DigestTests(desk), IClassFixture<MailDesk>;

public sealed class DigestTestsOnPostgres(PostgresMailDesk desk) : DigestTests(desk), IClassFixture<PostgresMailDesk>, IRunsOnPostgres;

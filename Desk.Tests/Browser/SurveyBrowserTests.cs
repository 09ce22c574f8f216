using System.Text.RegularExpressions;
using Desk.Domain.Customers;
using Desk.Domain.Sla;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web.Features.FollowUps;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MimeKit;

namespace Desk.Tests.Browser;

/// <summary>
/// The whole after-care loop with real parts: an agent resolves in Chromium, the scheduler sends the survey over SMTP (Exim)
/// into the customer's mailbox (Dovecot), the customer opens the link from that mail in Chromium and answers in Chinese,
/// and the agent sees the answer on the ticket.
/// </summary>
[Collection(MailStackCollection.Name)]
public sealed partial class SurveyBrowserTests(MailStack stack)
{
    private const string Password = "Survey-Test-Pw-1";
    private const string PublicBaseUrl = "http://desk.example.test";

    [SurveyBrowserFact]
    public async Task Customer_AnswersTheSurveyFromTheMailInChinese_AndTheAgentSeesItOnTheTicket()
    {
        Assert.True(File.Exists(BrowserDesk.ChromiumPath), $"CI=true and no Chromium at {BrowserDesk.ChromiumPath}.");
        const string deskAddress = "desk-survey@desk.test", customerAddress = "li-survey@customer.test";
        await stack.AddUsersAsync((deskAddress, Password), (customerAddress, Password));
        var desk = new SurveyMailDesk(stack, deskAddress);
        await ((IAsyncLifetime)desk).InitializeAsync();
        try
        {
            var number = await TicketOfAsync(desk, customerAddress);

            // The agent resolves in the browser: the follow-up plan starts, the survey is planned for a day later.
            var agent = await desk.NewPageAsync();
            await BrowserDesk.SignInAsync(agent, "bob", $"/tickets/{number}");
            await agent.Locator("details[data-step=Resolve] summary").ClickAsync();
            var resolve = agent.Locator("details[data-step=Resolve]");
            await resolve.Locator("select[name=RemedyKindId]").SelectOptionAsync(new SelectOptionValue { Label = "Replacement" });
            await resolve.Locator("input[name=RemedyCost]").FillAsync("39.90");
            await resolve.Locator("select[name=RootCauseId]").SelectOptionAsync(new SelectOptionValue { Label = "Late delivery" });
            await resolve.Locator("textarea[name=Text]").FillAsync("新水壶已寄出。");
            await resolve.Locator("button").ClickAsync();
            await Assertions.Expect(agent.Locator("#survey")).ToHaveAttributeAsync("data-state", "planned");

            // A day later the scheduler sends it; the desk's sender delivers it over SMTP into the customer's mailbox.
            desk.Clock.Advance(TimeSpan.FromHours(24));
            await desk.Services.GetRequiredService<FollowUpScheduler>().RunAsync(CancellationToken.None);
            var mail = await stack.WaitForMessageAsync(customerAddress, Password, m => m.Subject?.Contains("满意吗", StringComparison.Ordinal) == true,
                TimeSpan.FromSeconds(30));
            Assert.Equal($"您对我们的处理满意吗？ [{number}]", mail.Subject);
            var link = SurveyLink().Match(mail.TextBody ?? "");
            Assert.True(link.Success, "No survey link in the mail:\n" + mail.TextBody);
            Assert.Equal(PublicBaseUrl, link.Groups["base"].Value);

            // The customer opens it (the desk's public address is where this test server listens) in a Chinese browser.
            var customer = await desk.NewPageAsync("zh-CN");
            await customer.GotoAsync(link.Groups["path"].Value);
            await Assertions.Expect(customer.Locator("h1")).ToContainTextAsync("我们做得怎么样");
            await customer.Locator("label[for=OutcomeSatisfaction-4]").ClickAsync();
            await customer.Locator("label[for=HandlingSatisfaction-5]").ClickAsync();
            await customer.Locator("label[for=Intention-4]").ClickAsync();
            await customer.Locator("label[for=AcceptsDecision-yes]").ClickAsync();
            await customer.Locator("label[for=Empathy-5]").ClickAsync();
            await customer.FillAsync("#Comment", "新水壶很好用，谢谢！");
            await BrowserDesk.ScreenshotAsync(customer, "survey-zh-filled");
            await customer.ClickAsync("button:has-text('提交我的回答')");
            await Assertions.Expect(customer.Locator("#survey-done")).ToContainTextAsync("感谢您的回答");
            await Assertions.Expect(customer.Locator("#survey")).ToHaveCountAsync(0);

            // The agent sees the answer on the ticket (signing in again: the day on the clock ended the session).
            agent = await desk.NewPageAsync();
            await BrowserDesk.SignInAsync(agent, "bob", $"/tickets/{number}");
            await Assertions.Expect(agent.Locator("#survey")).ToHaveAttributeAsync("data-state", "answered");
            await Assertions.Expect(agent.Locator("#survey [data-score=outcome]")).ToHaveTextAsync("4/5");
            await Assertions.Expect(agent.Locator("#survey [data-score=handling]")).ToHaveTextAsync("5/5");
            await Assertions.Expect(agent.Locator("#survey [data-score=intention]")).ToHaveTextAsync("4/5");
            await Assertions.Expect(agent.Locator("#survey-comment")).ToHaveTextAsync("新水壶很好用，谢谢！");
            await BrowserDesk.ScreenshotAsync(agent, "ticket-with-survey-answer");
            await using var db = desk.Database.NewContext();
            Assert.True(TicketNumber.TryParse(number, out var id));
            var stored = await db.Tickets.AsNoTracking().SingleAsync(t => t.Id == id);
            Assert.Equal((TicketState.FollowUp, (bool?)true, "新水壶很好用，谢谢！"), (stored.State, stored.CustomerAccepted, stored.FollowUpNote));
        }
        finally
        {
            await ((IAsyncLifetime)desk).DisposeAsync();
        }
    }

    private static async Task<string> TicketOfAsync(SurveyMailDesk desk, string customerAddress)
    {
        var now = desk.Clock.GetUtcNow().UtcDateTime;
        await using var db = desk.Database.NewContext();
        var customer = new Customer(customerAddress, "李娜", now.AddYears(-1), "zh", RelationshipLevel.Reactive);
        db.Customers.Add(customer);
        await db.SaveChangesAsync();
        var ticket = TicketInState.InProgress(customer, now, "bob", "水壶漏水", "底座一直漏水。");
        db.Tickets.Add(ticket);
        await db.SaveChangesAsync();
        return ticket.Number;
    }


    [GeneratedRegex(@"(?<base>https?://[^/\s]+)(?<path>/survey/[A-Za-z0-9_-]{43}\?culture=zh-CN)")]
    private static partial Regex SurveyLink();

    /// <summary>The browser desk sending through the stack's SMTP; links in its mails name <see cref="PublicBaseUrl"/>.</summary>
    private sealed class SurveyMailDesk(MailStack stack, string address) : BrowserDesk
    {
        public override int DemoTickets => 30;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Desk:Mail:PublicBaseUrl", PublicBaseUrl);
            stack.SendThrough(builder, address, Password);
        }
    }
}

/// <summary>Needs Chromium and the mail stack: skipped with the reason outside CI when either is missing; under CI=true it must run.</summary>
public sealed class SurveyBrowserFactAttribute : FactAttribute
{
    public SurveyBrowserFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("CI") == "true") return;
        if (!File.Exists(BrowserDesk.ChromiumPath))
            Skip = $"Chromium is not installed at {BrowserDesk.ChromiumPath} (apt-get install chromium); .ci/run installs it.";
        else if (MailStack.SkipReason is { } reason)
            Skip = reason;
    }
}

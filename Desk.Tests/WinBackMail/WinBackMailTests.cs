using System.Net;
using System.Text.RegularExpressions;
using Desk.Domain.Customers;
using Desk.Domain.Tickets;
using Desk.Seed;
using Desk.Tests.Support;
using Desk.Web.Email.Outbound;
using Desk.Web.Features.WinBackMail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Desk.Tests.WinBackMail;

/// <summary>The win-back mail: previewed and edited before sending, signed by its sender, templates per language by admins.</summary>
public abstract partial class WinBackMailTests(DeskWebFactory factory)
{
    [StorageFact]
    public async Task Preview_ShowsTheSendersNameAndSignature_NotDeskNorAClaimOfImprovements()
    {
        var ticketId = await ComplaintOfAsync(new Customer($"{Guid.NewGuid():N}@example.com", "Li Lei", DeskWebFactory.Now.AddYears(-3)));
        var manager = await factory.SignedInAsync("maria");
        await SetDisplayNameAsync("maria", "Maria Lindqvist");
        await Forms.PostAsync(manager, "/account/signature", "/account/signature", new() { ["signature"] = "Customer care lead\n+86 571 5555 0100" });

        var response = await manager.GetAsync(WinBackMailController.PathOf(ticketId));
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (subject, body) = Fields(page);
        Assert.Equal($"We would like to see you again [{TicketNumber.Format(ticketId)}]", subject);
        Assert.StartsWith("Dear Li Lei,", body);
        Assert.EndsWith("Maria Lindqvist\nCustomer care lead\n+86 571 5555 0100", body.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.DoesNotContain("Desk", body);
        Assert.DoesNotContain("improve", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("changed how we work", body, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("id=\"win-back-signed-by\">Maria Lindqvist", page);
    }

    [StorageFact]
    public async Task Send_EditedText_IsExactlyWhatIsQueuedNotedAndPickedUp()
    {
        var ticketId = await ComplaintOfAsync(new Customer($"{Guid.NewGuid():N}@example.com", "Zhou Min", DeskWebFactory.Now.AddYears(-2)));
        var manager = await factory.SignedInAsync("maria");
        var path = WinBackMailController.PathOf(ticketId);
        var (_, drafted) = Fields(WebUtility.HtmlDecode(await manager.GetStringAsync(path)));
        var edited = drafted.Replace("You matter to us.", "Your new kettle is on its way, with our compliments.", StringComparison.Ordinal);
        Assert.NotEqual(drafted, edited);

        var withoutToken = await manager.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["Subject"] = "Hello", ["Body"] = edited }));
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Equal(0, await WinBackMailsAsync(ticketId));

        var sent = await Forms.PostAsync(manager, path, path, new() { ["Subject"] = "A word from Maria", ["Body"] = edited });

        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Equal("/reports/win-back", sent.Headers.Location!.OriginalString);
        await using var db = factory.Database.NewContext();
        var mail = await db.OutboundMails.SingleAsync(m => m.TicketId == ticketId && m.Kind == OutboundKind.WinBack);
        Assert.Equal($"A word from Maria [{TicketNumber.Format(ticketId)}]", mail.Subject); // the tag is kept, for the reply
        Assert.Equal(edited.Replace("\r\n", "\n", StringComparison.Ordinal), mail.Body);
        Assert.Contains(await db.ConversationEntries.Where(e => e.TicketId == ticketId && e.Kind == ConversationEntryKind.SystemEvent).Select(e => e.Body).ToListAsync(),
            b => b.StartsWith("Win-back mail sent to", StringComparison.Ordinal) && b.EndsWith("by maria.", StringComparison.Ordinal));
        var arrived = await factory.PickedUpAsync(mail.MessageId);
        Assert.Contains("Your new kettle is on its way, with our compliments.", arrived.TextBody);
        Assert.Equal(mail.Subject, arrived.Subject);
        Assert.Contains("id=\"win-back-sent\"", await manager.GetStringAsync("/reports/win-back"));
        Assert.Contains("id=\"win-back-already\"", await manager.GetStringAsync(path)); // a second one is not sent unawares
    }

    [StorageFact]
    public async Task Template_EditedInChinese_IsUsedForAChineseCustomer_WithTheBrandAsSignature()
    {
        var admin = await factory.SignedInAsync("admin");
        var zhBody = "{CustomerName}，您好：\n\n好久不见，{ComplaintSubject} 的事再次向您致歉。\n\n{Signature}";
        var previewed = await Forms.PostAsync(admin, "/admin/win-back-mail", "/admin/win-back-mail/zh",
            new() { ["Subject"] = "来自爱客美的问候 [{TicketNumber}]", ["Body"] = zhBody, ["Brand"] = "爱客美客服", ["Action"] = "preview" });
        Assert.Contains("王芳，您好：", WebUtility.HtmlDecode(await previewed.Content.ReadAsStringAsync()));
        await using (var db = factory.Database.NewContext())
            Assert.DoesNotContain("好久不见", (await db.Set<WinBackTemplate>().SingleAsync(t => t.Language == "zh")).Body); // a preview saves nothing

        var saved = await Forms.PostAsync(admin, "/admin/win-back-mail", "/admin/win-back-mail/zh",
            new() { ["Subject"] = "来自爱客美的问候 [{TicketNumber}]", ["Body"] = zhBody, ["Brand"] = "爱客美客服", ["Action"] = "save" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var zhTicket = await ComplaintOfAsync(new Customer($"{Guid.NewGuid():N}@example.cn", "王小明", DeskWebFactory.Now.AddYears(-2), "zh"));
        var enTicket = await ComplaintOfAsync(new Customer($"{Guid.NewGuid():N}@example.com", "Jo Park", DeskWebFactory.Now.AddYears(-2), "en"));
        var manager = await factory.SignedInAsync("maria");
        var (zhSubject, zhText) = Fields(WebUtility.HtmlDecode(await manager.GetStringAsync(WinBackMailController.PathOf(zhTicket))));
        var (_, enText) = Fields(WebUtility.HtmlDecode(await manager.GetStringAsync(WinBackMailController.PathOf(enTicket))));

        Assert.Equal($"来自爱客美的问候 [{TicketNumber.Format(zhTicket)}]", zhSubject);
        Assert.Equal("王小明，您好：\n\n好久不见，About 王小明 的事再次向您致歉。\n\n爱客美客服", zhText.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.StartsWith("Dear Jo Park,", enText);
        Assert.DoesNotContain("爱客美", enText);
    }

    [StorageFact]
    public async Task Template_WithAnUnknownPlaceholderOrNoSignature_IsRefused_AndNothingSaved()
    {
        var admin = await factory.SignedInAsync("admin");

        var unknown = await Forms.PostAsync(admin, "/admin/win-back-mail", "/admin/win-back-mail/en",
            new() { ["Subject"] = "Hi {FirstName}", ["Body"] = "Dear {CustomerName},\n\n{Signature}", ["Action"] = "save" });
        var unsigned = await Forms.PostAsync(admin, "/admin/win-back-mail", "/admin/win-back-mail/en",
            new() { ["Subject"] = "Hi", ["Body"] = "Dear {CustomerName}, come back.", ["Action"] = "save" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        Assert.Contains("{FirstName} is not a placeholder Desk knows", WebUtility.HtmlDecode(await unknown.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unsigned.StatusCode);
        Assert.Contains("Put {Signature} in the text", WebUtility.HtmlDecode(await unsigned.Content.ReadAsStringAsync()));
        await using var db = factory.Database.NewContext();
        Assert.Equal(WinBackTemplate.Default("en").Subject, (await db.Set<WinBackTemplate>().SingleAsync(t => t.Language == "en")).Subject);
    }

    [StorageFact]
    public async Task CustomerWithoutAddress_IsRefused_WithAMessage_AndNothingQueued()
    {
        var ticketId = await ComplaintOfAsync(Customer.WithoutAddress("Walk-in Wu", "+86 571 5555 0199", DeskWebFactory.Now.AddYears(-1)));
        var manager = await factory.SignedInAsync("maria");
        var path = WinBackMailController.PathOf(ticketId);

        var preview = WebUtility.HtmlDecode(await manager.GetStringAsync(path));
        var post = await Forms.PostAsync(manager, "/reports/win-back", path, new() { ["Subject"] = "Hello", ["Body"] = "Please come back." });

        Assert.Contains("Walk-in Wu has no e-mail address", preview);
        Assert.DoesNotContain("id=\"win-back-form\"", preview);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, post.StatusCode);
        Assert.Contains("Walk-in Wu has no e-mail address", WebUtility.HtmlDecode(await post.Content.ReadAsStringAsync()));
        Assert.Equal(0, await WinBackMailsAsync(ticketId));
        await using var db = factory.Database.NewContext();
        Assert.DoesNotContain(await db.ConversationEntries.Where(e => e.TicketId == ticketId).Select(e => e.Body).ToListAsync(),
            b => b.StartsWith("Win-back mail sent", StringComparison.Ordinal));
    }

    [StorageFact]
    public async Task Agent_IsDeniedThePreviewAndTheSend_ManagerIsDeniedTheTemplates()
    {
        var ticketId = await ComplaintOfAsync(new Customer($"{Guid.NewGuid():N}@example.com", "Sun Yi", DeskWebFactory.Now.AddYears(-2)));
        var agent = await factory.SignedInAsync(DemoDataGenerator.AgentUserNames[0]);
        var manager = await factory.SignedInAsync("maria");
        var path = WinBackMailController.PathOf(ticketId);

        Assert.StartsWith("/account/denied", (await agent.GetAsync(path)).Headers.Location!.PathAndQuery);
        var post = await Forms.PostAsync(agent, "/", path, new() { ["Subject"] = "Hello", ["Body"] = "Come back." });
        Assert.StartsWith("/account/denied", post.Headers.Location!.PathAndQuery);
        Assert.StartsWith("/account/denied", (await manager.GetAsync("/admin/win-back-mail")).Headers.Location!.PathAndQuery);
        var save = await Forms.PostAsync(manager, "/", "/admin/win-back-mail/en", new() { ["Subject"] = "x", ["Body"] = "{Signature}" });
        Assert.StartsWith("/account/denied", save.Headers.Location!.PathAndQuery);
        Assert.Equal(0, await WinBackMailsAsync(ticketId));
    }

    [StorageFact]
    public async Task Pages_InChinese_HaveNoEnglishLeftovers()
    {
        var ticketId = await ComplaintOfAsync(new Customer($"{Guid.NewGuid():N}@example.com", "Xu Jing", DeskWebFactory.Now.AddYears(-2), "zh"));
        var manager = await factory.SignedInAsync("maria");
        var admin = await factory.SignedInAsync("admin");

        var preview = await manager.GetStringAsync(WinBackMailController.PathOf(ticketId) + "?culture=zh-CN");
        var templates = await admin.GetStringAsync("/admin/win-back-mail?culture=zh-CN");

        Assert.Contains("发送挽回邮件", preview);
        Assert.Contains("以品牌名署名", templates);
        var (subject, body) = Fields(WebUtility.HtmlDecode(preview));
        EnglishLeftovers.AssertNone(preview, new HashSet<string> { "Desk", "English" }, ["maria", "Maria Lindqvist", "Xu Jing", subject, .. body.Split('\n').Where(l => l.Trim().Length > 0), TicketNumber.Format(ticketId), "About Xu Jing"]);
        EnglishLeftovers.AssertNone(templates, new HashSet<string> { "Desk", "English", "CustomerName", "TicketNumber", "ComplaintSubject", "Signature" },
            ["admin", "Jane Doe", "Kettle leaks", .. TemplateWords(templates)]);
    }

    [StorageFact]
    public async Task SurveyDue_ForACustomerWithoutAddress_IsNotMailed_AndDoesNotHoldUpTheOthers()
    {
        var now = factory.Clock.GetUtcNow().UtcDateTime;
        var walkIn = await InFollowUpWithSurveyDueAsync(Customer.WithoutAddress("Walk-in Hu", null, now.AddYears(-1)), now);
        var mailed = await InFollowUpWithSurveyDueAsync(new Customer($"{Guid.NewGuid():N}@example.com", "Tang Li", now.AddYears(-1)), now.AddSeconds(1));

        await factory.Services.GetRequiredService<Desk.Web.Features.FollowUps.FollowUpScheduler>().RunAsync(CancellationToken.None);

        await using var db = factory.Database.NewContext();
        Assert.False(await db.OutboundMails.AnyAsync(m => m.TicketId == walkIn && m.Kind == OutboundKind.Survey));
        Assert.Null((await db.Surveys.AsNoTracking().SingleAsync(s => s.TicketId == walkIn)).SentAt);
        Assert.True(await db.OutboundMails.AnyAsync(m => m.TicketId == mailed && m.Kind == OutboundKind.Survey));
    }

    /// <summary>A resolved complaint in follow-up whose survey was due a minute before <paramref name="dueAt"/> (oldest first).</summary>
    private async Task<long> InFollowUpWithSurveyDueAsync(Customer customer, DateTime dueAt)
    {
        await using var db = factory.Database.NewContext();
        db.Customers.Add(customer);
        await db.SaveChangesAsync();
        var ticket = TicketInState.Complaint(customer, dueAt.AddDays(-2));
        ticket.StartFollowUp("bob", dueAt.AddDays(-2).AddMinutes(4), TimeSpan.FromDays(14));
        db.Tickets.Add(ticket);
        await db.SaveChangesAsync();
        db.Surveys.Add(new Desk.Domain.FollowUps.Survey(ticket.Id, customer.Id, customer.Language, dueAt.AddDays(-1), dueAt.AddDays(-2)));
        await db.SaveChangesAsync();
        return ticket.Id;
    }

    /// <summary>A saved customer's resolved complaint from 200 days ago (their window has ended); its ticket id.</summary>
    private async Task<long> ComplaintOfAsync(Customer customer)
    {
        await using var db = factory.Database.NewContext();
        db.Customers.Add(customer);
        await db.SaveChangesAsync();
        var ticket = TicketInState.Complaint(customer, DeskWebFactory.Now.AddDays(-200));
        db.Tickets.Add(ticket);
        await db.SaveChangesAsync();
        return ticket.Id;
    }

    private async Task SetDisplayNameAsync(string user, string displayName)
    {
        await using var db = factory.Database.NewContext();
        (await db.Users.SingleAsync(u => u.UserName == user)).DisplayName = displayName;
        await db.SaveChangesAsync();
    }

    private async Task<int> WinBackMailsAsync(long ticketId)
    {
        await using var db = factory.Database.NewContext();
        return await db.OutboundMails.CountAsync(m => m.TicketId == ticketId && m.Kind == OutboundKind.WinBack);
    }

    /// <summary>The subject field and the text area of a preview (decoded page).</summary>
    private static (string Subject, string Body) Fields(string page) =>
        (SubjectField().Match(page).Groups[1].Value, BodyField().Match(page).Groups[1].Value.Replace("\r\n", "\n", StringComparison.Ordinal).Trim());

    /// <summary>The words of the stored templates and their previews on the admin page: data, not the page's own text.</summary>
    private static IEnumerable<string> TemplateWords(string html) =>
        Regex.Matches(WebUtility.HtmlDecode(html), "<textarea[^>]*>([^<]*)</textarea>|value=\"([^\"]*)\"|data-part=\"\\w+\">([^<]*)<")
            .SelectMany(m => (m.Groups[1].Value + m.Groups[2].Value + m.Groups[3].Value).Split('\n')).Where(w => w.Trim().Length > 0);

    [GeneratedRegex("name=\"Subject\" value=\"([^\"]*)\"")]
    private static partial Regex SubjectField();

    [GeneratedRegex("<textarea[^>]*name=\"Body\"[^>]*>(.*?)</textarea>", RegexOptions.Singleline)]
    private static partial Regex BodyField();
}

public sealed class WinBackMailTestsOnSqlite(DeskWebFactory factory) : WinBackMailTests(factory), IClassFixture<DeskWebFactory>;

public sealed class WinBackMailTestsOnPostgres(PostgresDesk factory) : WinBackMailTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

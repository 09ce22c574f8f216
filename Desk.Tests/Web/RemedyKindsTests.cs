using System.Net;
using Desk.Domain.Remedies;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Web;

/// <summary>The admins' list of remedies, and the forms that offer it (the customer's form, the agent's resolve step).</summary>
public abstract class RemedyKindsTests(DeskWebFactory factory) : IAsyncLifetime
{
    private HttpClient _admin = null!;

    public async Task InitializeAsync() => _admin = await factory.SignedInAsync("admin");

    public Task DisposeAsync() => Task.CompletedTask;

    [StorageFact]
    public async Task Add_NewRemedy_IsOfferedOnTheCustomerFormAndWhenResolving()
    {
        var kind = await AddAsync("Free delivery next time", "下次免运费");
        Assert.True(kind.Id >= RemedyKinds.FirstCustomId);
        Assert.Equal(("free-delivery-next-time", "下次免运费", true), (kind.Code, kind.NameZh, kind.IsActive));

        var form = await factory.CreateClient().GetStringAsync("/complain");
        Assert.Contains($"<option value=\"{kind.Id}\">Free delivery next time</option>", form);
        var chineseForm = await factory.CreateClient().GetStringAsync("/complain?culture=zh-CN");
        Assert.Contains($"<option value=\"{kind.Id}\">下次免运费</option>", chineseForm);

        var ticket = await OpenTicketAsync();
        var agent = await factory.SignedInAsync("alice");
        Assert.Contains($"<option value=\"{kind.Id}\">Free delivery next time</option>", await agent.GetStringAsync($"/tickets/{ticket.Number}"));
        var resolved = await Forms.PostAsync(agent, $"/tickets/{ticket.Number}", $"/tickets/{ticket.Number}/steps/Resolve", new()
        {
            ["Version"] = ticket.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RemedyKindId"] = kind.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["RemedyCost"] = "4.90", ["RootCauseId"] = "71",
        });
        Assert.Equal(HttpStatusCode.Redirect, resolved.StatusCode);
        await using var db = factory.Database.NewContext();
        Assert.Equal(kind.Id, (await db.Tickets.SingleAsync(t => t.Id == ticket.Id)).RemedyGivenId);
        Assert.Contains("Free delivery next time", WebUtility.HtmlDecode(await agent.GetStringAsync($"/tickets/{ticket.Number}")));
    }

    [StorageFact]
    public async Task Retire_Remedy_IsNoLongerOfferedAndAStaleFormIsRefused()
    {
        var kind = await AddAsync("Store credit", "商店积分");
        var retired = await Forms.PostAsync(_admin, "/admin/remedies", $"/admin/remedies/{kind.Id}", new() { ["change"] = "retire", ["Name"] = kind.Name });
        Assert.Equal(HttpStatusCode.Redirect, retired.StatusCode);

        // By id and name: another list on the form (the root causes) may hold an option of the same number.
        Assert.DoesNotContain($"<option value=\"{kind.Id}\">Store credit</option>", await factory.CreateClient().GetStringAsync("/complain"));
        var ticket = await OpenTicketAsync();
        var agent = await factory.SignedInAsync("alice");
        Assert.DoesNotContain($"<option value=\"{kind.Id}\">Store credit</option>", await agent.GetStringAsync($"/tickets/{ticket.Number}"));

        // A form opened before the remedy was retired still posts its id: refused with a message, nothing saved.
        var response = await Forms.PostAsync(agent, $"/tickets/{ticket.Number}", $"/tickets/{ticket.Number}/steps/Resolve", new()
        {
            ["Version"] = ticket.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RemedyKindId"] = kind.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["RemedyCost"] = "0", ["RootCauseId"] = "71",
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("no longer offered", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
        await using var db = factory.Database.NewContext();
        var stored = await db.Tickets.SingleAsync(t => t.Id == ticket.Id);
        Assert.Equal((TicketState.InProgress, ticket.Version, (int?)null), (stored.State, stored.Version, stored.RemedyGivenId));

        var customer = await Forms.PostAsync(factory.CreateClient(new() { AllowAutoRedirect = false }), "/complain", "/complain", new()
        {
            ["Name"] = "Rita Stale", ["Email"] = "rita.stale@example.org", ["Kind"] = "Complaint", ["Subject"] = "Old form",
            ["Description"] = "Kept the page open for a week.", ["RemedySoughtId"] = kind.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        Assert.Equal(HttpStatusCode.OK, customer.StatusCode); // the form again, with the message
        Assert.Contains("no longer offered", WebUtility.HtmlDecode(await customer.Content.ReadAsStringAsync()));
        Assert.False(await db.Customers.AnyAsync(c => c.Email == "rita.stale@example.org"));

        var restored = await Forms.PostAsync(_admin, "/admin/remedies", $"/admin/remedies/{kind.Id}", new() { ["change"] = "restore", ["Name"] = kind.Name });
        Assert.Equal(HttpStatusCode.Redirect, restored.StatusCode);
        Assert.Contains($"<option value=\"{kind.Id}\">Store credit</option>", await factory.CreateClient().GetStringAsync("/complain"));
    }

    [StorageFact]
    public async Task Add_DuplicateOrNameless_IsRefusedWithMessage()
    {
        var duplicate = await Forms.PostAsync(_admin, "/admin/remedies", "/admin/remedies", new() { ["Name"] = "Refund" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, duplicate.StatusCode);
        Assert.Contains("already a remedy", WebUtility.HtmlDecode(await duplicate.Content.ReadAsStringAsync()));

        var nameless = await Forms.PostAsync(_admin, "/admin/remedies", "/admin/remedies", new() { ["Name"] = " ", ["NameZh"] = "" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, nameless.StatusCode);
        Assert.Contains("needs a name", await nameless.Content.ReadAsStringAsync());
    }

    [StorageFact]
    public async Task Rename_Remedy_ChangesItsNameEverywhereButNotItsId()
    {
        var kind = await AddAsync("Gift card", "");
        Assert.Equal("Gift card", kind.NameZh); // no Chinese name: the English one stands in
        var renamed = await Forms.PostAsync(_admin, "/admin/remedies", $"/admin/remedies/{kind.Id}",
            new() { ["change"] = "rename", ["Name"] = "Gift card (digital)", ["NameZh"] = "电子礼品卡" });
        Assert.Equal(HttpStatusCode.Redirect, renamed.StatusCode);
        await using var db = factory.Database.NewContext();
        var stored = await db.RemedyKinds.SingleAsync(k => k.Id == kind.Id);
        Assert.Equal(("Gift card (digital)", "电子礼品卡", kind.Code), (stored.Name, stored.NameZh, stored.Code));
    }

    [StorageFact]
    public async Task RemediesPage_AgentOrManager_IsDenied()
    {
        foreach (var user in new[] { "alice", "maria" })
        {
            var client = await factory.SignedInAsync(user);
            var response = await client.GetAsync("/admin/remedies");
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/account/denied", response.Headers.Location!.PathAndQuery);
            var post = await client.PostAsync("/admin/remedies", new FormUrlEncodedContent(new Dictionary<string, string> { ["Name"] = "Sneaky" }));
            Assert.NotEqual("/admin/remedies", post.Headers.Location?.OriginalString); // not the admin's "added" redirect
        }
        await using var db = factory.Database.NewContext();
        Assert.False(await db.RemedyKinds.AnyAsync(k => k.Name == "Sneaky"));
    }

    [StorageFact]
    public async Task RemediesPage_InChinese_HasNoEnglishLeftovers()
    {
        var html = await _admin.GetStringAsync("/admin/remedies?culture=zh-CN");
        Assert.Contains("补救措施", html);
        Assert.Contains("退款", html); // the standard kinds' Chinese names
        EnglishLeftovers.AssertNone(html, new HashSet<string> { "Desk", "English", "SLA" }, ["admin"]);
    }

    private async Task<RemedyKind> AddAsync(string name, string nameZh)
    {
        var response = await Forms.PostAsync(_admin, "/admin/remedies", "/admin/remedies", new() { ["Name"] = name, ["NameZh"] = nameZh });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var db = factory.Database.NewContext();
        return await db.RemedyKinds.AsNoTracking().SingleAsync(k => k.Name == name);
    }

    private static int _picked;

    /// <summary>A different in-progress ticket for each caller, so tests in this class never share one.</summary>
    private async Task<Ticket> OpenTicketAsync()
    {
        await using var db = factory.Database.NewContext();
        return await db.Tickets.AsNoTracking().Where(t => t.State == TicketState.InProgress).OrderBy(t => t.Id)
            .Skip(Interlocked.Increment(ref _picked)).FirstAsync();
    }
}

public sealed class RemedyKindsTestsOnSqlite(DeskWebFactory factory) : RemedyKindsTests(factory), IClassFixture<DeskWebFactory>;

public sealed class RemedyKindsTestsOnPostgres(PostgresDesk factory) : RemedyKindsTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

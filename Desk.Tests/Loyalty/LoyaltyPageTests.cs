using System.Net;
using Desk.Domain.Customers;
using Desk.Domain.Orders;
using Desk.Tests.Support;
using Desk.Web.Features.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Desk.Tests.Loyalty;

/// <summary>The loyalty badges and the level form through the real app, on the demo desk plus hand-made customers.</summary>
public abstract class LoyaltyPageTests(DeskWebFactory factory)
{
    private static readonly DateTime Now = DeskWebFactory.Now;

    /// <summary>A new customer with <paramref name="orders"/> (days ago, amount), then a recomputation, as the background would do.</summary>
    private async Task<long> CustomerAsync(string name, params (double DaysAgo, decimal Amount)[] orders)
    {
        await factory.SignedInAsync("grace"); // starts the desk (migrations, demo data) before writing to its file
        long id;
        await using (var db = factory.Database.NewContext())
        {
            var customer = new Customer($"{name}-{Guid.NewGuid():N}@example.org", name, Now.AddYears(-3));
            db.Customers.Add(customer);
            await db.SaveChangesAsync();
            id = customer.Id;
            foreach (var (daysAgo, amount) in orders)
                db.Orders.Add(new Order($"{name}-{Guid.NewGuid():N}", id, Now.AddDays(-daysAgo), amount, null, null));
            await db.SaveChangesAsync();
        }
        await RecomputeAsync();
        return id;
    }

    private async Task RecomputeAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<LoyaltyScoring>().RecomputeAsync("manual");
    }

    private async Task<LoyaltyPanel> PanelAsync(long customerId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<LoyaltyScoring>().PanelAsync(customerId))!;
    }

    /// <summary>Ten big orders between 560 and 200 days ago: the desk's top spender, gone quiet.</summary>
    private Task<long> BigSpenderGoneQuietAsync() =>
        CustomerAsync("quiet", [.. Enumerable.Range(0, 10).Select(i => (200.0 + 40 * i, 50_000m))]);

    [StorageFact]
    public async Task CustomerPage_BigSpenderGoneQuiet_ShowsClassDeclineAtRiskScoresAndSuggestion()
    {
        var id = await BigSpenderGoneQuietAsync();
        var panel = await PanelAsync(id);
        var agent = await factory.SignedInAsync("grace");

        var html = await agent.GetStringAsync($"/customers/{id}");

        Assert.True(panel.Assessment.AtRisk);
        Assert.Equal(5, panel.Profile.Scores!.Monetary);
        Assert.Contains($"data-class=\"{panel.Assessment.Class}\" data-stage=\"Decline\" data-at-risk=\"true\" data-suggested=\"{panel.Assessment.SuggestedLevel}\"", html);
        Assert.Contains($">{LoyaltyBadges.ClassLabel(panel.Assessment.Class)}</span>", WebUtility.HtmlDecode(html));
        Assert.Contains("id=\"at-risk\"", html);
        Assert.Contains(">At risk<", html);
        Assert.Contains("Used to spend a lot, no order for 200 days", html);
        Assert.Contains($"id=\"rfm\" title=\"Recency, frequency, spend: 1 (lowest fifth of customers) to 5 (highest fifth)\">{panel.Profile.Scores}<", html);
        Assert.Contains(">Decline<", html);
        Assert.Contains("Level Basic: nobody has decided it yet", html);
        Assert.Contains($"Accept {panel.Assessment.SuggestedLevel}", html);
    }

    [StorageFact]
    public async Task TicketPage_ShowsTheCustomersBadgesAndTheLevelForm()
    {
        await factory.SignedInAsync("grace");
        await RecomputeAsync();
        await using var db = factory.Database.NewContext();
        var ticket = await db.Tickets.Where(t => db.Orders.Any(o => o.CustomerId == t.CustomerId)).OrderBy(t => t.Id).FirstAsync();
        var panel = await PanelAsync(ticket.CustomerId);
        var agent = await factory.SignedInAsync("hiro");

        var html = await agent.GetStringAsync($"/tickets/{ticket.Number}");

        Assert.Contains($"data-class=\"{panel.Assessment.Class}\" data-stage=\"{panel.Assessment.Stage}\" data-at-risk=\"{(panel.Assessment.AtRisk ? "true" : "false")}\"", html);
        Assert.Contains($"id=\"loyalty-class\"", html);
        Assert.Contains($"action=\"/customers/{ticket.CustomerId}/level\"", html);
        Assert.Contains($"name=\"ReturnUrl\" value=\"/tickets/{ticket.Number}\"", html);
    }

    [StorageFact]
    public async Task CustomerPage_CustomerWithoutOrders_SaysNoPurchasesYetAndShowsNoScores()
    {
        var id = await CustomerAsync("newcomer");
        var agent = await factory.SignedInAsync("grace");

        var html = await agent.GetStringAsync($"/customers/{id}");

        Assert.Contains("data-class=\"NoPurchases\" data-stage=\"Exploration\" data-at-risk=\"false\" data-suggested=\"Basic\"", html);
        Assert.Contains(">No purchases yet<", html);
        Assert.DoesNotContain("id=\"rfm\"", html);
        Assert.DoesNotContain("id=\"at-risk\"", html);
        Assert.DoesNotContain("id=\"loyalty-pending\"", html);
    }

    [StorageFact]
    public async Task LevelForm_AgentOverrides_IsRecordedAndSurvivesRecomputation()
    {
        var id = await BigSpenderGoneQuietAsync();
        var suggested = (await PanelAsync(id)).Assessment.SuggestedLevel;
        var chosen = suggested == RelationshipLevel.Partnership ? RelationshipLevel.Basic : RelationshipLevel.Partnership;
        var agent = await factory.SignedInAsync("grace");

        var response = await Forms.PostAsync(agent, $"/customers/{id}", $"/customers/{id}/level",
            new() { ["Level"] = chosen.ToString(), ["ReturnUrl"] = $"/customers/{id}" });
        await RecomputeAsync();

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/customers/{id}", response.Headers.Location!.OriginalString);
        await using var db = factory.Database.NewContext();
        var customer = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == id);
        Assert.Equal((chosen, "grace", Now, suggested, true),
            (customer.Level, customer.LevelDecidedBy, customer.LevelDecidedAt!.Value, customer.LevelSuggestedAtDecision!.Value, customer.IsLevelOverridden));
        var html = await agent.GetStringAsync($"/customers/{id}");
        Assert.Contains($"Level {chosen} set by grace on {Now:yyyy-MM-dd}, overriding the suggestion", html);
    }

    [StorageFact]
    public async Task LevelForm_ManagerAcceptsFromTheTicketPage_IsNoOverrideAndGoesBackToTheTicket()
    {
        await factory.SignedInAsync("maria");
        await using var db = factory.Database.NewContext();
        var ticket = await db.Tickets.Where(t => db.Orders.Any(o => o.CustomerId == t.CustomerId)).OrderByDescending(t => t.Id).FirstAsync();
        await RecomputeAsync();
        var suggested = (await PanelAsync(ticket.CustomerId)).Assessment.SuggestedLevel;
        var manager = await factory.SignedInAsync("maria");

        var response = await Forms.PostAsync(manager, $"/tickets/{ticket.Number}", $"/customers/{ticket.CustomerId}/level",
            new() { ["Level"] = suggested.ToString(), ["ReturnUrl"] = $"/tickets/{ticket.Number}" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/tickets/{ticket.Number}", response.Headers.Location!.OriginalString);
        var customer = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == ticket.CustomerId);
        Assert.Equal((suggested, "maria", false), (customer.Level, customer.LevelDecidedBy, customer.IsLevelOverridden));
        Assert.Contains($"Level {suggested} accepted by maria on {Now:yyyy-MM-dd}", await manager.GetStringAsync($"/tickets/{ticket.Number}"));
    }

    [StorageFact]
    public async Task LevelForm_ReturnUrlOffTheDesk_GoesBackToTheCustomerInstead()
    {
        var id = await CustomerAsync("redirected", (3, 20m));
        var agent = await factory.SignedInAsync("grace");

        var response = await Forms.PostAsync(agent, $"/customers/{id}", $"/customers/{id}/level",
            new() { ["Level"] = "Reactive", ["ReturnUrl"] = "https://evil.example/" });

        Assert.Equal($"/customers/{id}", response.Headers.Location!.OriginalString);
    }

    [StorageFact]
    public async Task LevelForm_WithoutAntiforgeryToken_Is400AndChangesNothing()
    {
        var id = await CustomerAsync("forged", (3, 20m));
        var agent = await factory.SignedInAsync("grace");

        var response = await agent.PostAsync($"/customers/{id}/level",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Level"] = "Partnership" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await using var db = factory.Database.NewContext();
        var customer = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == id);
        Assert.Equal((RelationshipLevel.Basic, (string?)null), (customer.Level, customer.LevelDecidedBy));
    }

    [StorageFact]
    public async Task LevelForm_NotALevel_Is400()
    {
        var id = await CustomerAsync("nonsense", (3, 20m));
        var agent = await factory.SignedInAsync("grace");

        var response = await Forms.PostAsync(agent, $"/customers/{id}", $"/customers/{id}/level", new() { ["Level"] = "Emperor" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [StorageFact]
    public async Task CustomerPage_InChinese_TheLoyaltyPanelHasNoEnglishLeftovers()
    {
        var id = await BigSpenderGoneQuietAsync();
        var agent = await factory.SignedInAsync("li.na");

        var html = await agent.GetStringAsync($"/customers/{id}?culture=zh-CN");

        var panel = html[html.IndexOf("<div class=\"loyalty\"", StringComparison.Ordinal)..];
        panel = panel[..(panel.IndexOf("</form>", panel.IndexOf("id=\"level-form\"", StringComparison.Ordinal), StringComparison.Ordinal) + 7)];
        Assert.Contains("有流失风险", panel);
        Assert.Contains("退化期", panel);
        Assert.Contains("建议级别", panel);
        EnglishLeftovers.AssertNone(panel, new HashSet<string>());
    }

    [StorageFact]
    public async Task BackgroundCheck_NewOrdersSinceTheLastRun_AreScoredWithoutAnyoneAsking()
    {
        var id = await CustomerAsync("returning", (30, 25m));
        await using (var db = factory.Database.NewContext())
        {
            db.Orders.Add(new Order($"returning-{Guid.NewGuid():N}", id, Now.AddHours(-2), 75m, null, null));
            await db.SaveChangesAsync();
        }
        Assert.True((await PanelAsync(id)).Pending);
        var check = factory.Services.GetServices<IHostedService>().OfType<LoyaltyRecomputation>().Single();

        await check.CheckAsync(CancellationToken.None);

        var panel = await PanelAsync(id);
        Assert.False(panel.Pending);
        Assert.Equal((2, 100m), (panel.Profile.OrderCount, panel.Profile.Spent));
        await using var scope = factory.Services.CreateAsyncScope();
        Assert.Equal("orders", (await scope.ServiceProvider.GetRequiredService<LoyaltyScoring>().LastRunAsync())!.Reason);
    }
}

public sealed class LoyaltyPageTestsOnSqlite(DeskWebFactory factory) : LoyaltyPageTests(factory), IClassFixture<DeskWebFactory>;

public sealed class LoyaltyPageTestsOnPostgres(PostgresDesk factory) : LoyaltyPageTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

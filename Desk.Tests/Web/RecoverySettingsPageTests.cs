using System.Net;
using Desk.Seed;
using Desk.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Web;

/// <summary>The admin page for how recovery is measured: saving, refusing, who may, Chinese.</summary>
public abstract class RecoverySettingsPageTests(DeskWebFactory factory)
{
    private const string Page = "/admin/recovery";

    [StorageFact]
    public async Task Save_NewWindow_IsWhatTheRecoveryReportMeasuresWith()
    {
        var admin = await factory.SignedInAsync("admin");
        Assert.Contains("name=\"RepurchaseWindowDays\" value=\"90\"", await admin.GetStringAsync(Page)); // a new desk's default

        var response = await Forms.PostAsync(admin, Page, Page, new() { ["RepurchaseWindowDays"] = "30", ["MajorLossAmount"] = "250.5" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Saved.", await response.Content.ReadAsStringAsync());
        await using (var db = factory.Database.NewContext())
        {
            var saved = await db.RecoverySettings.Select(s => new { s.RepurchaseWindowDays, s.MajorLossAmount }).SingleAsync();
            Assert.Equal((30, 250.5m), (saved.RepurchaseWindowDays, saved.MajorLossAmount));
        }
        var report = await (await factory.SignedInAsync("maria")).GetStringAsync("/reports/recovery");
        Assert.Contains("bought again within 30 days", report);

        await Forms.PostAsync(admin, Page, Page, new() { ["RepurchaseWindowDays"] = "90", ["MajorLossAmount"] = "100" }); // as the other tests expect
    }

    [StorageTheory]
    [InlineData("soon", "100", "is not a whole number of days")]
    [InlineData("5", "100", "must be between 7 and 730 days")]
    [InlineData("60", "lots", "is not an amount Desk can read")]
    [InlineData("60", "0", "must be more than 0")]
    public async Task Save_BadValue_IsRefusedAsTypedAndNothingIsSaved(string days, string amount, string message)
    {
        var admin = await factory.SignedInAsync("admin");
        await using var before = factory.Database.NewContext();
        var snapshot = await before.RecoverySettings.AsNoTracking().SingleAsync();

        var response = await Forms.PostAsync(admin, Page, Page, new() { ["RepurchaseWindowDays"] = days, ["MajorLossAmount"] = amount });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains(message, html);
        Assert.Contains($"value=\"{days}\"", html);
        await using var after = factory.Database.NewContext();
        var now = await after.RecoverySettings.AsNoTracking().SingleAsync();
        Assert.Equal((snapshot.RepurchaseWindowDays, snapshot.MajorLossAmount), (now.RepurchaseWindowDays, now.MajorLossAmount));
    }

    [StorageTheory]
    [InlineData("maria")]   // a manager reads the reports but does not configure the desk
    [InlineData("farid")]   // an agent
    public async Task Page_NotAnAdmin_IsDenied(string user)
    {
        var client = await factory.SignedInAsync(user);
        var response = await client.GetAsync(Page);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/denied", response.Headers.Location!.PathAndQuery);
    }

    [StorageFact]
    public async Task Page_InChinese_HasNoEnglishLeftovers_AndRefusesInChinese()
    {
        var admin = await factory.SignedInAsync("admin");
        var html = await admin.GetStringAsync(Page + "?culture=zh-CN");
        Assert.Contains("回购观察期（天）", html);
        EnglishLeftovers.AssertNone(html, new HashSet<string> { "Desk", "English", "TARP" }, [.. DemoDataGenerator.AgentUserNames, "maria", "admin"]);

        var response = await Forms.PostAsync(admin, Page + "?culture=zh-CN", Page + "?culture=zh-CN",
            new() { ["RepurchaseWindowDays"] = "1000", ["MajorLossAmount"] = "100" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("回购观察期必须在 7 到 730 天之间。 未保存任何更改。", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }
}

public sealed class RecoverySettingsPageTestsOnSqlite(DeskWebFactory factory) : RecoverySettingsPageTests(factory), IClassFixture<DeskWebFactory>;

public sealed class RecoverySettingsPageTestsOnPostgres(PostgresDesk factory) : RecoverySettingsPageTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

using System.Net;
using Desk.Tests.Support;

namespace Desk.Tests.Web;

/// <summary>The customers' pages in Chinese: every word a customer reads is Chinese, whichever way the language was chosen.</summary>
public abstract class ChineseTests(DeskWebFactory factory)
{
    // What may stay in Latin letters on a Chinese page: the other language's name, file kinds, units, time zone.
    private static readonly HashSet<string> Allowed = ["English", "PNG", "JPEG", "GIF", "WebP", "PDF", "MB", "UTC"];

    [StorageFact]
    public async Task ComplaintForm_InChinese_HasNoEnglishLeftovers()
    {
        var html = await Anonymous().GetStringAsync("/complain?culture=zh-CN");
        AssertNoEnglish(html);
        Assert.Contains("告诉我们哪里出了问题", html);
        Assert.Contains("lang=\"zh-CN\"", html);
    }

    [StorageFact]
    public async Task ComplaintForm_BrowserAsksForChinese_IsChinese()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/complain");
        request.Headers.AcceptLanguage.ParseAdd("zh-CN,zh;q=0.9,en;q=0.5");
        var html = await (await Anonymous().SendAsync(request)).Content.ReadAsStringAsync();
        Assert.Contains("告诉我们哪里出了问题", html);
    }

    [StorageFact]
    public async Task ValidationMessages_InChinese_HaveNoEnglishLeftovers()
    {
        var client = Anonymous();
        var response = await Forms.PostAsync(client, "/complain?culture=zh-CN", "/complain?culture=zh-CN",
            new() { ["Name"] = "", ["Email"] = "x", ["Subject"] = "", ["Description"] = "" });
        var html = await response.Content.ReadAsStringAsync();
        AssertNoEnglish(html);
        Assert.Contains("请填写您的姓名。", WebUtility.HtmlDecode(html));
    }

    [StorageFact]
    public async Task StatusPageAndNotFound_InChinese_HaveNoEnglishLeftovers()
    {
        var client = Anonymous();
        var languageSet = await client.GetAsync("/language?culture=zh-CN&returnUrl=/complain");
        Assert.Equal(HttpStatusCode.Redirect, languageSet.StatusCode);
        var cookie = languageSet.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Culture", StringComparison.Ordinal));

        using var form = new HttpRequestMessage(HttpMethod.Get, "/complain");
        form.Headers.Add("Cookie", cookie.Split(';')[0]);
        Assert.Contains("告诉我们哪里出了问题", await (await client.SendAsync(form)).Content.ReadAsStringAsync());

        var filed = await Forms.PostAsync(client, "/complain?culture=zh-CN", "/complain?culture=zh-CN", new()
        {
            ["Name"] = "王芳", ["Email"] = "wang.fang.customer@example.cn", ["Kind"] = "Complaint",
            ["Subject"] = "水壶漏水", ["Description"] = "用了三天就漏水了。",
        });
        var status = await client.GetStringAsync(filed.Headers.Location!.OriginalString + "&culture=zh-CN");
        AssertNoEnglish(status);
        Assert.Contains("王芳，谢谢您！", WebUtility.HtmlDecode(status));

        var missing = await client.GetAsync("/status/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA?culture=zh-CN");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        AssertNoEnglish(await missing.Content.ReadAsStringAsync());
    }

    [StorageFact]
    public async Task ComplaintForm_InEnglish_StaysEnglish()
    {
        var html = await Anonymous().GetStringAsync("/complain?culture=en");
        Assert.Contains("Tell us what went wrong", html);
        Assert.DoesNotContain("告诉我们", html);
    }

    private static void AssertNoEnglish(string html) => EnglishLeftovers.AssertNone(html, Allowed);

    private HttpClient Anonymous() => factory.CreateClient(new() { AllowAutoRedirect = false });
}

public sealed class ChineseTestsOnSqlite(DeskWebFactory factory) : ChineseTests(factory), IClassFixture<DeskWebFactory>;

public sealed class ChineseTestsOnPostgres(PostgresDesk factory) : ChineseTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

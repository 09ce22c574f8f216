using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Desk.Seed;
using Desk.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Orders;

/// <summary>The import page through the real app: upload, preview, confirm; antiforgery; who may use it.</summary>
public abstract partial class OrderImportPageTests(DeskWebFactory factory)
{
    private const string Page = "/orders/import";

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string csv, string fileName = "orders.csv", bool withToken = true)
    {
        using var content = new MultipartFormDataContent();
        if (withToken) content.Add(new StringContent(await Forms.AntiforgeryTokenAsync(client, Page)), "__RequestVerificationToken");
        content.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", fileName);
        return await client.PostAsync(Page, content);
    }

    [StorageFact]
    public async Task Upload_GoodFile_PreviewsThenImportsOnConfirm()
    {
        var manager = await factory.SignedInAsync("maria");
        var csv = """
            email,external_ref,date,amount,product,category,name
            page.one@example.org,PG-1,2026-03-14,129.90,Kettle,Kitchen,Page One
            page.one@example.org,PG-2,2026-04-01,15.00,Mug,Kitchen,
            """;

        var preview = await UploadAsync(manager, csv);

        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        var html = WebUtility.HtmlDecode(await preview.Content.ReadAsStringAsync());
        Assert.Contains("orders.csv: 2 rows, 2 new, 0 already imported.", html);
        Assert.Contains("<td>PG-1</td>", html); // the first rows, as parsed
        await using (var db = factory.Database.NewContext())
            Assert.False(await db.Orders.AnyAsync(o => o.ExternalRef == "PG-1")); // a preview writes nothing

        var action = ConfirmAction().Match(html).Groups[1].Value;
        var confirmed = await Forms.PostAsync(manager, Page, action, new() { ["fileName"] = "orders.csv" });

        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Contains("Imported 2 new orders from orders.csv.", WebUtility.HtmlDecode(await confirmed.Content.ReadAsStringAsync()));
        await using (var db = factory.Database.NewContext())
        {
            var customer = await db.Customers.SingleAsync(c => c.Email == "page.one@example.org");
            Assert.Equal("Page One", customer.Name);
            Assert.Equal(2, await db.Orders.CountAsync(o => o.CustomerId == customer.Id));
        }

        // The same file again: previewed as already imported, nothing new to confirm.
        var again = WebUtility.HtmlDecode(await (await UploadAsync(manager, csv)).Content.ReadAsStringAsync());
        Assert.Contains("orders.csv: 2 rows, 0 new, 2 already imported.", again);

        // A confirmation is good once: the upload is gone after its import.
        var twice = await Forms.PostAsync(manager, Page, action, new() { ["fileName"] = "orders.csv" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, twice.StatusCode);
    }

    [StorageFact]
    public async Task Upload_BadRows_ListsEachRowsErrorAndOffersNoConfirmation()
    {
        var manager = await factory.SignedInAsync("admin");
        var response = await UploadAsync(manager, """
            Customer Email,Order ID,Order Date,Total
            bad.rows@example.org,PB-1,2026-03-14,10.00
            bad.rows@example.org,PB-2,2026-03-14,"1,299.90"
            """, "shop.csv");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("shop.csv is refused: nothing was imported.", html);
        Assert.Matches("<tr data-row=\"3\">\\s*<td class=\"text-end\">3</td>\\s*<td><code>Total</code></td>\\s*<td>\"1,299.90\" is not an amount Desk can read.</td>", html);
        Assert.DoesNotContain("confirm-form", html);
        await using var db = factory.Database.NewContext();
        Assert.False(await db.Orders.AnyAsync(o => o.ExternalRef == "PB-1"));
    }

    [StorageFact]
    public async Task Upload_WithoutAntiforgeryToken_IsRefused()
    {
        var manager = await factory.SignedInAsync("maria");

        var response = await UploadAsync(manager, "email,external_ref,date,amount\nno.token@example.org,PT-1,2026-03-14,1\n", withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await using var db = factory.Database.NewContext();
        Assert.False(await db.Orders.AnyAsync(o => o.ExternalRef == "PT-1"));
    }

    [StorageFact]
    public async Task ImportPage_Agent_IsDenied()
    {
        var agent = await factory.SignedInAsync(DemoDataGenerator.AgentUserNames[0]);

        var response = await agent.GetAsync(Page);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/denied", response.Headers.Location!.PathAndQuery);
        Assert.DoesNotContain("/orders/import", await agent.GetStringAsync("/")); // and the menu does not offer it
    }

    [StorageFact]
    public async Task ImportPage_InChinese_HasNoEnglishLeftovers()
    {
        var manager = await factory.SignedInAsync("maria");
        await manager.GetAsync("/language?culture=zh-CN&returnUrl=/"); // the language cookie, so the posts are Chinese too
        var form = await manager.GetStringAsync(Page);
        Assert.Contains("导入订单", form);
        EnglishLeftovers.AssertNone(form, Allowed, ["maria", .. Columns]);

        var refused = await (await UploadAsync(manager, "email,external_ref,date,amount,extra\nzh.page@example.org,PZ-1,2026-13-01,abc,x\n")).Content.ReadAsStringAsync();
        Assert.Contains("无法识别的日期", WebUtility.HtmlDecode(refused));
        EnglishLeftovers.AssertNone(refused, Allowed, ["maria", "orders.csv", "2026-13-01", "abc", "extra", .. Columns]);

        var preview = await (await UploadAsync(manager, "email,external_ref,date,amount,product\nzh.page@example.org,PZ-2,2026-03-01,12.50,Teapot\n")).Content.ReadAsStringAsync();
        Assert.Contains("确认", preview);
        EnglishLeftovers.AssertNone(preview, Allowed, ["maria", "orders.csv", "PZ-2", "Teapot", .. Columns]);
    }

    // The column names are what a file must contain, shown as code: they stay as they are in every language.
    private static readonly string[] Columns = ["email", "external_ref", "date", "amount", "product", "category", "name",
        "Customer Email", "Order ID", "Order Date", "Total", "UTC", "CSV", "UTF-8"];
    private static readonly HashSet<string> Allowed = ["Desk", "English", "UTC", "CSV", "UTF"];

    [GeneratedRegex("action=\"(/orders/import/[0-9a-f]{32})\"")]
    private static partial Regex ConfirmAction();
}

public sealed class OrderImportPageTestsOnSqlite(DeskWebFactory factory) : OrderImportPageTests(factory), IClassFixture<DeskWebFactory>;

public sealed class OrderImportPageTestsOnPostgres(PostgresDesk factory) : OrderImportPageTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

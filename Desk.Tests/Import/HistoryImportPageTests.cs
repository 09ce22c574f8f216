using System.Net;
using Desk.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Import;

/// <summary>The admin page /admin/import through the real app: upload and report, idempotence, who may use it, antiforgery, Chinese.</summary>
public abstract class HistoryImportPageTests(DeskWebFactory factory)
{
    private const string Page = "/admin/import";

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string peer, string path, bool withToken = true)
    {
        using var content = new MultipartFormDataContent();
        if (withToken) content.Add(new StringContent(await Forms.AntiforgeryTokenAsync(client, Page)), "__RequestVerificationToken");
        content.Add(new StringContent(peer), "peer");
        content.Add(new ByteArrayContent(await File.ReadAllBytesAsync(path)), "file", Path.GetFileName(path));
        return await client.PostAsync(Page, content);
    }

    [StorageFact]
    public async Task Upload_ZammadExport_ImportsAndReportsWhatWasNotMapped_SecondUploadChangesNothing()
    {
        var admin = await factory.SignedInAsync("admin");
        var zammad = ImportFixture.All["zammad"];

        var response = await UploadAsync(admin, "zammad", zammad.Path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        // (the new customers depend on which fixtures this shared desk imported before: the peers' fixtures share customers)
        Assert.True(html.Contains("Imported 5 of 5 Zammad tickets from zammad-api.json: 11 messages, 1 files, ", StringComparison.Ordinal),
            html[html.IndexOf("<h1", StringComparison.Ordinal)..]);
        Assert.Contains("<strong>Zammad #31005</strong>: The state 'waiting for supplier' has no counterpart in Desk: imported as In progress.", html);
        long[] ids;
        await using (var db = factory.Database.NewContext())
            ids = await db.ImportedTickets.Where(l => l.Source == "zammad").OrderBy(l => l.Id).Select(l => l.TicketId).ToArrayAsync();
        Assert.Equal(5, ids.Length);
        // Every imported ticket opens as any other, its history saying where it came from.
        foreach (var id in ids)
        {
            var ticket = await admin.GetAsync($"/tickets/{Desk.Domain.Tickets.TicketNumber.Format(id)}");
            Assert.Equal(HttpStatusCode.OK, ticket.StatusCode);
            Assert.Contains("Imported from Zammad #3100", WebUtility.HtmlDecode(await ticket.Content.ReadAsStringAsync()));
        }

        var again = WebUtility.HtmlDecode(await (await UploadAsync(admin, "zammad", zammad.Path)).Content.ReadAsStringAsync());
        Assert.Contains("Imported 0 of 5 Zammad tickets", again);
        Assert.Contains("5 were imported before and were left as they are.", again);
        await using (var db = factory.Database.NewContext())
            Assert.Equal(5, await db.ImportedTickets.CountAsync(l => l.Source == "zammad"));
    }

    [StorageFact]
    public async Task ImportPage_AgentsForgedPostsAndWrongFiles_AreRefusedAndNothingIsImported()
    {
        var agent = await factory.SignedInAsync("alice");
        var denied = await agent.GetAsync(Page);
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.StartsWith("/account/denied", denied.Headers.Location!.PathAndQuery);

        var admin = await factory.SignedInAsync("admin");
        var forged = await UploadAsync(admin, "freescout", ImportFixture.All["freescout"].Path, withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        var wrong = await UploadAsync(admin, "freescout", ImportFixture.All["osticket"].Path);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        Assert.Contains("This file is not an export Desk can read from the desk you chose.", WebUtility.HtmlDecode(await wrong.Content.ReadAsStringAsync()));

        var noPeer = await UploadAsync(admin, "", ImportFixture.All["freescout"].Path);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noPeer.StatusCode);
        await using var db = factory.Database.NewContext();
        Assert.False(await db.ImportedTickets.AnyAsync(l => l.Source == "freescout" || l.Source == "osticket"));
    }

    [StorageFact]
    public async Task ImportPage_InChinese_HasNoEnglishLeftovers()
    {
        var admin = await factory.SignedInAsync("admin");
        await admin.GetAsync("/language?culture=zh-CN&returnUrl=/");
        var form = await admin.GetStringAsync(Page);
        Assert.Contains("导入原客服系统的历史", form);
        EnglishLeftovers.AssertNone(form, Allowed, ["admin"]);

        var report = await (await UploadAsync(admin, "zendesk", ImportFixture.All["zendesk"].Path)).Content.ReadAsStringAsync();
        Assert.Contains("类型为 VoiceComment 的评论", WebUtility.HtmlDecode(report));
        EnglishLeftovers.AssertNone(report, Allowed, ["admin", "zendesk-incremental.json", "VoiceComment"]);
    }

    // The peers' names, the file format and the README's section are names: they stay as they are in every language.
    private static readonly HashSet<string> Allowed = ["Desk", "English", "JSON", "osTicket", "Zammad", "FreeScout", "Zendesk", "README", "Importing"];
}

public sealed class HistoryImportPageTestsOnSqlite(DeskWebFactory factory) : HistoryImportPageTests(factory), IClassFixture<DeskWebFactory>;

public sealed class HistoryImportPageTestsOnPostgres(PostgresDesk factory) : HistoryImportPageTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

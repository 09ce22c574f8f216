using System.Net;
using System.Text.RegularExpressions;
using Desk.Tests.Support;
using Desk.Web.Features.Attachments;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Web;

public abstract partial class AttachmentTests(DeskWebFactory factory)
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4];
    private static readonly byte[] Pdf = "%PDF-1.4\n1 0 obj\n"u8.ToArray();

    [StorageFact]
    public async Task Complain_WithPictureAndPdf_StoresThemOnTheFirstMessageAndServesThemAsDownloads()
    {
        var client = Anonymous();
        var response = await FileWith(client, "pia@example.org", ("broken lid.png", Png), ("receipt.pdf", Pdf));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var statusPath = response.Headers.Location!.OriginalString.Split('?')[0];

        var status = await client.GetStringAsync(statusPath);
        var links = Link().Matches(status).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, links.Count);
        Assert.Contains("broken lid.png", status);

        var download = await client.GetAsync(links[0]);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(Png, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("image/png", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("sandbox", download.Headers.GetValues("Content-Security-Policy").Single());

        await using var db = factory.Database.NewContext();
        var stored = await db.Attachments.Where(a => a.FileName == "receipt.pdf").SingleAsync();
        var firstEntry = await db.ConversationEntries.Where(e => e.TicketId == stored.TicketId).OrderBy(e => e.Id).FirstAsync();
        Assert.Equal((firstEntry.Id, "application/pdf", (long)Pdf.Length), (stored.ConversationEntryId, stored.ContentType, stored.Size));

        var agent = await factory.SignedInAsync("alice");
        var ticketNumber = Regex.Match(status, "D-[0-9]{6,}").Value;
        var agentPage = await agent.GetStringAsync($"/tickets/{ticketNumber}");
        var agentLink = Regex.Match(agentPage, "href=\"(/tickets/D-[0-9]+/attachments/[0-9]+)\"").Groups[1].Value;
        Assert.Equal(Png, await agent.GetByteArrayAsync(agentLink));
    }

    [StorageTheory]
    [InlineData("page.html", "<html><script>alert(1)</script></html>", "only pictures")]
    [InlineData("tool.exe", "MZ\u0090\u0000", "only pictures")]
    [InlineData("fake.png", "<svg onload=alert(1)>", "not really a PNG")]
    [InlineData("notes.txt", "text\u0000with nul", "not really a TXT")]
    public async Task Complain_WithRefusedFile_SaysWhyAndCreatesNothing(string name, string content, string reason)
    {
        await using var db = factory.Database.NewContext();
        var before = await db.Tickets.CountAsync();
        var response = await FileWith(Anonymous(), $"refused.{name}@example.org", (name, System.Text.Encoding.Latin1.GetBytes(content)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains(reason, html);
        Assert.Contains("Nothing was sent", html);
        Assert.Equal(before, await db.Tickets.CountAsync());
    }

    [StorageFact]
    public async Task Complain_TooLargeFile_IsRefused()
    {
        var big = new byte[AttachmentRules.MaxBytes + 1];
        Png.CopyTo(big, 0);
        var response = await FileWith(Anonymous(), "big@example.org", ("huge.png", big));
        Assert.Contains("larger than 10 MB", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    [StorageFact]
    public async Task Complain_HostileFileName_IsShownAsTextWithoutFolders()
    {
        var client = Anonymous();
        var response = await FileWith(client, "names@example.org", ("../../<img src=x onerror=alert(1)>.png", Png));
        var status = await client.GetStringAsync(response.Headers.Location!.OriginalString);
        Assert.DoesNotContain("<img src=x", status);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;.png", status);
        Assert.DoesNotContain("../", WebUtility.HtmlDecode(Regex.Match(status, "📎 ([^<]+)<").Groups[1].Value));
    }

    [StorageFact]
    public async Task Complain_FileNameWithBidiControls_IsStoredShownAndDownloadedWithoutThem()
    {
        var client = Anonymous();
        var response = await FileWith(client, "bidi@example.org", ("rlo\u202Egnp.txt", "plain words"u8.ToArray()));
        var statusPath = response.Headers.Location!.OriginalString.Split('?')[0];
        await using (var db = factory.Database.NewContext())
        {
            var stored = await db.Attachments.SingleAsync(a => a.FileName.StartsWith("rlo"));
            Assert.Equal("rlognp.txt", stored.FileName); // shown as "rlotxt.png" with the override kept
            // A file kept before intake took them out: shown and downloaded without them all the same.
            await db.Attachments.Where(a => a.Id == stored.Id).ExecuteUpdateAsync(u => u.SetProperty(a => a.FileName, "old\u2067gnp\u200F\u2069.txt"));
        }

        var status = await client.GetStringAsync(statusPath);
        var download = await client.GetAsync(Link().Match(status).Groups[1].Value);

        Assert.Contains("📎 oldgnp.txt<", WebUtility.HtmlDecode(status));
        Assert.Equal("oldgnp.txt", download.Content.Headers.ContentDisposition!.FileNameStar ?? download.Content.Headers.ContentDisposition.FileName);
    }

    [Theory]
    [InlineData("rlo\u202Egnp.txt", "rlognp.txt")]
    [InlineData("\u2066a\u200Eb\u200Fc\u202A\u202B\u202C\u202D\u2067\u2068\u2069\u061C.pdf", "abc.pdf")]
    [InlineData("\u202E", "attachment")]
    [InlineData("发票 2026.pdf", "发票 2026.pdf")]
    public void SafeName_BidiControls_AreTakenOut(string sent, string kept) => Assert.Equal(kept, AttachmentRules.SafeName(sent));

    [StorageFact]
    public async Task Download_ThroughAnotherTicketsLink_Is404()
    {
        var client = Anonymous();
        var mine = (await FileWith(client, "owner@example.org", ("mine.png", Png))).Headers.Location!.OriginalString.Split('?')[0];
        var other = (await FileWith(client, "other@example.org")).Headers.Location!.OriginalString.Split('?')[0];
        var link = Link().Match(await client.GetStringAsync(mine)).Groups[1].Value;
        var id = link[(link.LastIndexOf('/') + 1)..];

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(link)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"{other}/attachments/{id}")).StatusCode);
    }

    [StorageFact]
    public async Task StatusReply_WithAttachment_IsAddedToTheCustomersMessage()
    {
        var client = Anonymous();
        var status = (await FileWith(client, "later@example.org")).Headers.Location!.OriginalString.Split('?')[0];
        var response = await Forms.PostWithFilesAsync(client, status, $"{status}/reply", new() { ["Message"] = "Here is the photo." }, ("photo.png", Png));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = await client.GetStringAsync(status);
        Assert.Contains("photo.png", page);
        Assert.Single(Link().Matches(page));
    }

    private static Task<HttpResponseMessage> FileWith(HttpClient client, string email, params (string Name, byte[] Content)[] files) =>
        Forms.PostWithFilesAsync(client, "/complain", "/complain", new()
        {
            ["Name"] = "Pia", ["Email"] = email, ["Kind"] = "Complaint", ["Subject"] = "With files", ["Description"] = "See attached.",
        }, files);

    private HttpClient Anonymous() => factory.CreateClient(new() { AllowAutoRedirect = false });

    [GeneratedRegex("href=\"(/status/[A-Za-z0-9_-]+/attachments/[0-9]+)\"")]
    private static partial Regex Link();
}

public sealed class AttachmentTestsOnSqlite(DeskWebFactory factory) : AttachmentTests(factory), IClassFixture<DeskWebFactory>;

public sealed class AttachmentTestsOnPostgres(PostgresDesk factory) : AttachmentTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

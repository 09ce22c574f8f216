using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Desk.Tests.Support;
using Desk.Web.Features.Privacy;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Desk.Tests.Privacy;

/// <summary>
/// A customer's export and erasure through the real desk: the customer page, the API, who may, the confirm step and
/// CSRF, and the privacy trail on Admin → Privacy.
/// </summary>
public abstract partial class PrivacyPagesTests(MailDesk desk)
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4];

    /// <summary>A complaint by mail with a photo, from an address no other test uses; the customer's id and the raw mail.</summary>
    private async Task<(long CustomerId, long TicketId, byte[] Raw)> ComplaintAsync(string address)
    {
        var message = MailDesk.CustomerMail(address, "Lamp arrived broken", "The lamp from order SO-77 arrived in pieces.", "Pia Privacy");
        var body = new Multipart("mixed")
        {
            message.Body!,
            new MimePart("image", "png") { Content = new MimeContent(new MemoryStream(Png)), ContentTransferEncoding = ContentEncoding.Base64, ContentDisposition = new ContentDisposition(ContentDisposition.Attachment), FileName = "lamp.png" },
        };
        message.Body = body;
        var raw = MailDesk.Bytes(message);
        var result = await desk.TakeAsync(raw);
        await using var db = desk.Database.NewContext();
        var customer = await db.Customers.SingleAsync(c => c.Email == address);
        return (customer.Id, result.TicketId!.Value, raw);
    }

    [StorageFact]
    public async Task Export_AsManager_IsAZipOfJsonTheFilesAndTheOriginalMail_AndIsRecorded()
    {
        var (customerId, ticketId, raw) = await ComplaintAsync("pia.export@example.org");
        var manager = await desk.SignedInAsync("maria");
        Assert.Contains($"href=\"/customers/{customerId}/export\"", await manager.GetStringAsync($"/customers/{customerId}"));

        var response = await manager.GetAsync($"/customers/{customerId}/export");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), ZipArchiveMode.Read);
        var number = Desk.Domain.Tickets.TicketNumber.Format(ticketId);
        var customerJson = await ReadTextAsync(zip, "customer.json");
        Assert.Contains("\"pia.export@example.org\"", customerJson, StringComparison.Ordinal);
        Assert.Contains("\"Pia Privacy\"", customerJson, StringComparison.Ordinal);
        var ticketJson = await ReadTextAsync(zip, $"tickets/{number}.json");
        Assert.Contains("Lamp arrived broken", ticketJson, StringComparison.Ordinal);
        Assert.Contains("arrived in pieces", ticketJson, StringComparison.Ordinal);
        Assert.Contains("\"auditTrail\"", ticketJson, StringComparison.Ordinal);
        Assert.Contains("\"mailsSent\"", ticketJson, StringComparison.Ordinal); // the acknowledgement
        var photo = Assert.Single(zip.Entries, e => e.FullName.StartsWith($"tickets/{number}/attachments/", StringComparison.Ordinal));
        Assert.EndsWith("lamp.png", photo.FullName, StringComparison.Ordinal);
        Assert.Equal(Png, await ReadBytesAsync(photo));
        var original = Assert.Single(zip.Entries, e => e.FullName.StartsWith("mails/", StringComparison.Ordinal));
        Assert.Equal(raw, await ReadBytesAsync(original));

        await using var db = desk.Database.NewContext();
        var recorded = await db.PrivacyEvents.SingleAsync(p => p.CustomerId == customerId);
        Assert.Equal((PrivacyAction.Export, "maria"), (recorded.Action, recorded.Actor));
    }

    [StorageFact]
    public async Task ExportAndErase_AsAgent_AreRefused_AndChangeNothing()
    {
        var (customerId, _, _) = await ComplaintAsync("pia.agent@example.org");
        var agent = await desk.SignedInAsync("li.na");
        Assert.DoesNotContain($"/customers/{customerId}/erase", await agent.GetStringAsync($"/customers/{customerId}"));

        foreach (var page in new[] { $"/customers/{customerId}/export", $"/customers/{customerId}/erase" })
        {
            var response = await agent.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/account/denied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }
        // With a valid token from a page the agent may see: still refused.
        var post = await Forms.PostAsync(agent, $"/customers/{customerId}", $"/customers/{customerId}/erase", new() { ["address"] = "pia.agent@example.org" });
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.StartsWith("/account/denied", post.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        await using var db = desk.Database.NewContext();
        Assert.Null((await db.Customers.SingleAsync(c => c.Id == customerId)).ErasedAt);
        Assert.Equal(0, await db.PrivacyEvents.CountAsync(p => p.CustomerId == customerId));
    }

    [StorageFact]
    public async Task Erase_WithoutAntiforgeryToken_IsRefused()
    {
        var (customerId, _, _) = await ComplaintAsync("pia.csrf@example.org");
        var manager = await desk.SignedInAsync("maria");

        var response = await manager.PostAsync($"/customers/{customerId}/erase", new FormUrlEncodedContent(new Dictionary<string, string> { ["address"] = "pia.csrf@example.org" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await using var db = desk.Database.NewContext();
        Assert.Null((await db.Customers.SingleAsync(c => c.Id == customerId)).ErasedAt);
    }

    [StorageFact]
    public async Task Erase_ConfirmedByTheAddress_ErasesTheCustomer_AndTheirNextMailMakesANewOne()
    {
        const string address = "pia.erase@example.org";
        var (customerId, ticketId, _) = await ComplaintAsync(address);
        string firstMessageId;
        await using (var before = desk.Database.NewContext())
            firstMessageId = (await before.InboundMails.SingleAsync(m => m.TicketId == ticketId)).MessageId!;
        var manager = await desk.SignedInAsync("maria");
        var page = $"/customers/{customerId}/erase";

        var wrong = await Forms.PostAsync(manager, page, page, new() { ["address"] = "pia.other@example.org" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        Assert.Contains("Type the customer's address exactly", WebUtility.HtmlDecode(await wrong.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        var erased = await Forms.PostAsync(manager, page, page, new() { ["address"] = address });
        Assert.Equal(HttpStatusCode.Redirect, erased.StatusCode);
        var shown = WebUtility.HtmlDecode(await manager.GetStringAsync($"/customers/{customerId}"));
        Assert.Contains("This customer was erased on", shown, StringComparison.Ordinal);
        Assert.DoesNotContain(address, shown, StringComparison.Ordinal);
        Assert.DoesNotContain("Pia Privacy", shown, StringComparison.Ordinal);
        var ticketPage = WebUtility.HtmlDecode(await manager.GetStringAsync($"/tickets/{Desk.Domain.Tickets.TicketNumber.Format(ticketId)}"));
        Assert.DoesNotContain("arrived in pieces", ticketPage, StringComparison.Ordinal);
        Assert.DoesNotContain("Lamp arrived broken", ticketPage, StringComparison.Ordinal);
        long mailId;
        await using (var read = desk.Database.NewContext())
            mailId = (await read.InboundMails.SingleAsync(m => m.TicketId == ticketId)).Id;
        var original = await manager.GetAsync($"/tickets/{Desk.Domain.Tickets.TicketNumber.Format(ticketId)}/mail/{mailId}/original");
        Assert.Equal(HttpStatusCode.Gone, original.StatusCode); // said plainly, not an empty .eml

        // A reply to the first mail, quoting the ticket's number: not threaded into the anonymised ticket.
        var number = Desk.Domain.Tickets.TicketNumber.Format(ticketId);
        var again = await desk.TakeAsync(MailDesk.ReplyTo(address, firstMessageId, $"Re: Lamp arrived broken [{number}]", "Any news?"));
        Assert.NotEqual(ticketId, again.TicketId);
        await using var db = desk.Database.NewContext();
        var newcomer = await db.Customers.SingleAsync(c => c.Email == address);
        Assert.NotEqual(customerId, newcomer.Id);
        Assert.Equal(newcomer.Id, (await db.Tickets.SingleAsync(t => t.Id == again.TicketId)).CustomerId);
        var trail = await db.PrivacyEvents.SingleAsync(p => p.CustomerId == customerId);
        Assert.Equal((PrivacyAction.Erasure, "maria", 1L, 1L), (trail.Action, trail.Actor, trail.RawMails, trail.Attachments));

        var admin = await desk.SignedInAsync("admin");
        var adminPage = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/privacy"));
        Assert.Matches($"data-action=\"Erasure\">\\s*<td[^>]*>[^<]+</td>\\s*<td>Erasure</td>\\s*<td><a href=\"/customers/{customerId}\">", adminPage);
        Assert.DoesNotContain(address, adminPage, StringComparison.Ordinal);
    }

    [StorageFact]
    public async Task ApiExport_WithAKey_IsTheZip_WithoutAKeyIs401_AnUnknownCustomerIs404()
    {
        var (customerId, ticketId, _) = await ComplaintAsync("pia.api@example.org");
        var key = await CreateKeyAsync("privacy export");
        var api = desk.CreateClient(new() { AllowAutoRedirect = false });
        api.DefaultRequestHeaders.Add("X-Api-Key", key);

        var response = await api.GetAsync($"/api/customers/{customerId}/export");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), ZipArchiveMode.Read);
        Assert.Contains(zip.Entries, e => e.FullName == $"tickets/{Desk.Domain.Tickets.TicketNumber.Format(ticketId)}.json");
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/customers/987654321/export")).StatusCode);
        var anonymous = desk.CreateClient(new() { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/customers/{customerId}/export")).StatusCode);
        var manager = await desk.SignedInAsync("maria"); // the API never takes the desk's cookie
        Assert.Equal(HttpStatusCode.Unauthorized, (await manager.GetAsync($"/api/customers/{customerId}/export")).StatusCode);

        await using var db = desk.Database.NewContext();
        Assert.Equal("api key: privacy export", (await db.PrivacyEvents.SingleAsync(p => p.CustomerId == customerId)).Actor);
    }

    [StorageFact]
    public async Task AdminPrivacy_IsForAdmins_AndSaysRetentionIsOffByDefault()
    {
        var page = WebUtility.HtmlDecode(await (await desk.SignedInAsync("admin")).GetStringAsync("/admin/privacy"));
        Assert.Contains("data-setting=\"RawMailDays\">kept (off)", page, StringComparison.Ordinal);
        Assert.Contains("Off: no retention period is set.", page, StringComparison.Ordinal);

        var manager = await (await desk.SignedInAsync("maria")).GetAsync("/admin/privacy");
        Assert.Equal(HttpStatusCode.Redirect, manager.StatusCode);
    }

    [StorageFact]
    public async Task PrivacyPages_InChinese_HaveNoEnglishLeftoversOutsideTheData()
    {
        var (customerId, _, _) = await ComplaintAsync("pia.zh@example.org");
        string[] people = [.. Desk.Seed.DemoDataGenerator.AgentUserNames, "maria", "admin", "Pia Privacy", "Desk:Privacy", "ZIP", "api key: privacy export"]; // the last: another test's API key, as the trail names it
        HashSet<string> allowed = ["Desk", "English", "UTC"];
        var manager = await desk.SignedInAsync("maria");

        var erase = await manager.GetStringAsync($"/customers/{customerId}/erase?culture=zh-CN");
        Assert.Contains("请输入该顾客的邮箱地址以确认", erase, StringComparison.Ordinal);
        EnglishLeftovers.AssertNone(erase, allowed, people);
        var customer = await manager.GetStringAsync($"/customers/{customerId}?culture=zh-CN");
        Assert.Contains(">导出（ZIP）<", customer, StringComparison.Ordinal);
        var refused = await Forms.PostAsync(manager, $"/customers/{customerId}/erase?culture=zh-CN", $"/customers/{customerId}/erase?culture=zh-CN", new() { ["address"] = "x@example.org" });
        Assert.Contains("请准确输入该顾客的邮箱地址以确认", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var admin = await (await desk.SignedInAsync("admin")).GetStringAsync("/admin/privacy?culture=zh-CN");
        Assert.Contains(">隐私<", admin, StringComparison.Ordinal);
        EnglishLeftovers.AssertNone(admin, allowed, people);
    }

    private async Task<string> CreateKeyAsync(string name)
    {
        var admin = await desk.SignedInAsync("admin");
        var response = await Forms.PostAsync(admin, "/admin/api-keys", "/admin/api-keys", new() { ["name"] = name, ["scopes"] = "customers:read" });
        return Secret().Match(await response.Content.ReadAsStringAsync()).Groups[1].Value;
    }

    [GeneratedRegex("id=\"new-key-secret\">([^<]+)<")]
    private static partial Regex Secret();

    private static async Task<string> ReadTextAsync(ZipArchive zip, string name) => Encoding.UTF8.GetString(await ReadBytesAsync(zip.GetEntry(name)
        ?? throw new Xunit.Sdk.XunitException($"{name} is not in the export: {string.Join(", ", zip.Entries.Select(e => e.FullName))}")));

    private static async Task<byte[]> ReadBytesAsync(ZipArchiveEntry entry)
    {
        await using var stream = await entry.OpenAsync();
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}

public sealed class PrivacyPagesTestsOnSqlite(MailDesk desk) : PrivacyPagesTests(desk), IClassFixture<MailDesk>;

public sealed class PrivacyPagesTestsOnPostgres(PostgresMailDesk desk) : PrivacyPagesTests(desk), IClassFixture<PostgresMailDesk>, IRunsOnPostgres;

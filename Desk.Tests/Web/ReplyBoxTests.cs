using System.Globalization;
using System.Net;
using Desk.Domain.Customers;
using Desk.Domain.Tickets;
using Desk.Tests.Browser;
using Desk.Tests.Support;
using Desk.Web.Email.Outbound;
using Desk.Web.Features.Drafts;
using Desk.Web.Features.Macros;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Desk.Tests.Web;

/// <summary>
/// The reply box over HTTP on both databases: drafts kept per agent and ticket, a refused send keeping its text, canned
/// replies personal and shared, signatures, agents' files and Markdown in the mail as it is picked up.
/// </summary>
public abstract class ReplyBoxTests(DeskWebFactory factory) : IAsyncLifetime
{
    private HttpClient _bob = null!;

    public async Task InitializeAsync() => _bob = await factory.SignedInAsync("bob");

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<Ticket> TicketAsync(string language = "en")
    {
        await using var db = factory.Database.NewContext();
        var customer = new Customer($"{Guid.NewGuid():N}@example.org", "Ana Ruiz", DeskWebFactory.Now.AddYears(-1), language);
        db.Customers.Add(customer);
        await db.SaveChangesAsync();
        var ticket = TicketInState.InProgress(customer, DeskWebFactory.Now.AddHours(-2), "bob");
        db.Tickets.Add(ticket);
        await db.SaveChangesAsync();
        return ticket;
    }

    private static string V(int version) => version.ToString(CultureInfo.InvariantCulture);

    private async Task<HttpResponseMessage> KeepDraftAsync(HttpClient agent, Ticket ticket, string text) =>
        await Forms.PostAsync(agent, $"/tickets/{ticket.Number}", $"/tickets/{ticket.Number}/draft", new() { ["text"] = text });

    [StorageFact]
    public async Task Draft_Kept_IsShownToItsAgentOnlyAndGoneOnceSent()
    {
        var ticket = await TicketAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await KeepDraftAsync(_bob, ticket, "First words <b>as typed</b>")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await KeepDraftAsync(_bob, ticket, "First words, then more")).StatusCode);

        var page = WebUtility.HtmlDecode(await _bob.GetStringAsync($"/tickets/{ticket.Number}"));
        Assert.Contains(">First words, then more</textarea>", page);
        var alice = await factory.SignedInAsync("alice");
        Assert.DoesNotContain("First words", WebUtility.HtmlDecode(await alice.GetStringAsync($"/tickets/{ticket.Number}")));
        await using (var db = factory.Database.NewContext())
            Assert.Equal(1, await db.Set<ReplyDraft>().CountAsync(d => d.TicketId == ticket.Id));

        var sent = await Forms.PostAsync(_bob, $"/tickets/{ticket.Number}", $"/tickets/{ticket.Number}/actions/reply",
            new() { ["Version"] = V(ticket.Version), ["Text"] = "First words, then more" });
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        await using (var db = factory.Database.NewContext())
            Assert.False(await db.Set<ReplyDraft>().AnyAsync(d => d.TicketId == ticket.Id));
    }

    [StorageFact]
    public async Task Draft_Emptied_IsDropped()
    {
        var ticket = await TicketAsync();
        await KeepDraftAsync(_bob, ticket, "Something");
        await KeepDraftAsync(_bob, ticket, "  ");
        await using var db = factory.Database.NewContext();
        Assert.False(await db.Set<ReplyDraft>().AnyAsync(d => d.TicketId == ticket.Id));
    }

    [StorageFact]
    public async Task Draft_WithoutAntiforgeryToken_IsRefused()
    {
        var ticket = await TicketAsync();
        var response = await _bob.PostAsync($"/tickets/{ticket.Number}/draft", new FormUrlEncodedContent(new Dictionary<string, string> { ["text"] = "x" }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [StorageFact]
    public async Task Reply_OnAnOldVersion_IsRefusedKeepsTheTextAsDraftAndListsWhatChanged()
    {
        var ticket = await TicketAsync();
        var seen = await SeenAsync(ticket.Id);
        var alice = await factory.SignedInAsync("alice");
        var assigned = await Forms.PostAsync(alice, $"/tickets/{ticket.Number}", $"/tickets/{ticket.Number}/steps/assign",
            new() { ["Version"] = V(ticket.Version), ["Assignee"] = "carmen" });
        Assert.Equal(HttpStatusCode.Redirect, assigned.StatusCode);

        var refused = await Forms.PostAsync(_bob, $"/tickets/{ticket.Number}", $"/tickets/{ticket.Number}/actions/reply",
            new() { ["Version"] = V(ticket.Version), ["Text"] = "My careful answer", ["SeenAuditId"] = seen.Audit, ["SeenEntryId"] = seen.Entry });

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains(">My careful answer</textarea>", html);
        Assert.Contains("Assigned to carmen", html[html.IndexOf("id=\"what-changed\"", StringComparison.Ordinal)..html.IndexOf("id=\"kept-note\"", StringComparison.Ordinal)]);
        await using var db = factory.Database.NewContext();
        Assert.Equal("My careful answer", await db.Set<ReplyDraft>().Where(d => d.TicketId == ticket.Id && d.Agent == "bob").Select(d => d.Text).SingleAsync());
        Assert.False(await db.ConversationEntries.AnyAsync(e => e.TicketId == ticket.Id && e.Kind == ConversationEntryKind.Outbound));
    }

    [StorageFact]
    public async Task Step_OnAnOldVersion_KeepsItsFieldsForThePageToPutBack()
    {
        var ticket = await TicketAsync();
        var seen = await SeenAsync(ticket.Id);
        var alice = await factory.SignedInAsync("alice");
        await Forms.PostAsync(alice, $"/tickets/{ticket.Number}", $"/tickets/{ticket.Number}/actions/note", new() { ["Version"] = V(ticket.Version), ["Text"] = "Called the shop." });

        var refused = await Forms.PostAsync(_bob, $"/tickets/{ticket.Number}", $"/tickets/{ticket.Number}/steps/escalate",
            new() { ["Version"] = V(ticket.Version), ["Text"] = "Needs the supplier's answer", ["SeenAuditId"] = seen.Audit, ["SeenEntryId"] = seen.Entry });

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("id=\"kept-step\"", html);
        Assert.Contains("\"step\":\"Escalate\"", html);
        Assert.Contains("Needs the supplier\\u0027s answer", html);
        Assert.Contains("Called the shop.", html[html.IndexOf("id=\"what-changed\"", StringComparison.Ordinal)..]);
    }

    private async Task<(string Audit, string Entry)> SeenAsync(long ticketId)
    {
        await using var db = factory.Database.NewContext();
        return ((await db.AuditEntries.Where(a => a.TicketId == ticketId).MaxAsync(a => a.Id)).ToString(CultureInfo.InvariantCulture),
            (await db.ConversationEntries.Where(e => e.TicketId == ticketId).MaxAsync(e => e.Id)).ToString(CultureInfo.InvariantCulture));
    }

    [StorageFact]
    public async Task Reply_WithMarkdownSignatureAndAFile_ArrivesAsHtmlAndPlainTextWithTheFile()
    {
        var ticket = await TicketAsync();
        var signed = await Forms.PostAsync(_bob, "/account/signature", "/account/signature", new() { ["signature"] = "Bob Stone\nCustomer care, Hangzhou" });
        Assert.Equal(HttpStatusCode.Redirect, signed.StatusCode);

        var sent = await Forms.PostWithFilesAsync(_bob, $"/tickets/{ticket.Number}", $"/tickets/{ticket.Number}/actions/reply",
            new() { ["Version"] = V(ticket.Version), ["Text"] = "Dear Ana,\n\nthe **new kettle** ships today:\n\n- tracking by mail\n- <script>alert(1)</script>" },
            ("label.png", Pictures.Png));
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);

        string messageId;
        await using (var db = factory.Database.NewContext())
            messageId = await db.OutboundMails.Where(m => m.TicketId == ticket.Id && m.Kind == OutboundKind.Reply).Select(m => m.MessageId).SingleAsync();
        var mail = await factory.PickedUpAsync(messageId);

        Assert.Contains("the **new kettle** ships today", mail.TextBody);
        Assert.Contains("-- \nBob Stone\nCustomer care, Hangzhou\nDesk", mail.TextBody!.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Contains("<strong>new kettle</strong>", mail.HtmlBody);
        Assert.Contains("<li>tracking by mail</li>", mail.HtmlBody);
        Assert.DoesNotContain("<script", mail.HtmlBody, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Bob Stone<br>Customer care, Hangzhou", mail.HtmlBody);
        var file = Assert.Single(mail.Attachments.OfType<MimePart>());
        Assert.Equal(("label.png", "image/png"), (file.FileName, file.ContentType.MimeType));
        using var bytes = new MemoryStream();
        await file.Content!.DecodeToAsync(bytes);
        Assert.Equal(Pictures.Png, bytes.ToArray());

        // The conversation shows the reply formatted and the picture as a thumbnail.
        var page = await _bob.GetStringAsync($"/tickets/{ticket.Number}");
        Assert.Contains("<strong>new kettle</strong>", page);
        Assert.Contains("thumbnails\"", page);
    }

    [StorageFact]
    public async Task Reply_WithAFileThatIsNotWhatItsNameSays_IsRefusedAndNothingIsSent()
    {
        var ticket = await TicketAsync();
        var refused = await Forms.PostWithFilesAsync(_bob, $"/tickets/{ticket.Number}", $"/tickets/{ticket.Number}/actions/reply",
            new() { ["Version"] = V(ticket.Version), ["Text"] = "See the file" }, ("invoice.pdf", "<html><script>alert(1)</script>"u8.ToArray()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("is not really a PDF file", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()));
        await using var db = factory.Database.NewContext();
        Assert.False(await db.OutboundMails.AnyAsync(m => m.TicketId == ticket.Id && m.Kind == OutboundKind.Reply));
    }

    [StorageFact]
    public async Task Picture_IsServedInlineOnlyWhenItReallyIsARasterPicture()
    {
        var ticket = await TicketAsync();
        long png, svg;
        await using (var db = factory.Database.NewContext())
        {
            var entry = await db.ConversationEntries.Where(e => e.TicketId == ticket.Id).Select(e => e.Id).FirstAsync();
            var a = new Desk.Web.Features.Attachments.Attachment(ticket.Id, entry, "ok.png", "image/png", Pictures.Png, DeskWebFactory.Now);
            var b = new Desk.Web.Features.Attachments.Attachment(ticket.Id, entry, "evil.svg", "image/svg+xml", "<svg onload=alert(1)/>"u8.ToArray(), DeskWebFactory.Now);
            db.Attachments.AddRange(a, b);
            await db.SaveChangesAsync();
            (png, svg) = (a.Id, b.Id);
        }
        var picture = await _bob.GetAsync($"/tickets/{ticket.Number}/attachments/{png}/picture");
        Assert.Equal(HttpStatusCode.OK, picture.StatusCode);
        Assert.Equal("image/png", picture.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", picture.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(HttpStatusCode.NotFound, (await _bob.GetAsync($"/tickets/{ticket.Number}/attachments/{svg}/picture")).StatusCode);
    }

    [StorageFact]
    public async Task Signature_OfAnotherAgent_IsNeverShownOrUsed()
    {
        await Forms.PostAsync(_bob, "/account/signature", "/account/signature", new() { ["signature"] = "Bob's own lines" });
        var alice = await factory.SignedInAsync("alice");
        Assert.DoesNotContain("Bob", WebUtility.HtmlDecode(await alice.GetStringAsync("/account/signature")).Split("<textarea")[1].Split("</textarea>")[0]);
    }

    [StorageFact]
    public async Task CannedReply_Personal_IsOfferedToItsOwnerOnly()
    {
        var carmen = await factory.SignedInAsync("carmen");
        await Forms.PostAsync(carmen, "/macros", "/macros", new() { ["Title"] = "Carmen's courier line", ["Body"] = "Courier chased.", ["Group"] = "Delivery", ["Shared"] = "true" });
        await using var db = factory.Database.NewContext();
        var macro = await db.Macros.SingleAsync(m => m.Title == "Carmen's courier line");
        Assert.Equal(("carmen", "Delivery"), (macro.Owner, macro.Group)); // an agent's "shared" is ignored: only admins share

        Assert.Contains("Carmen&#x27;s courier line", await carmen.GetStringAsync("/macros"));
        Assert.DoesNotContain("Carmen&#x27;s courier line", await _bob.GetStringAsync("/macros"));
        var ticket = await TicketAsync();
        Assert.DoesNotContain("Carmen&#x27;s courier line", await _bob.GetStringAsync($"/tickets/{ticket.Number}"));
        var edit = await Forms.PostAsync(_bob, "/macros", $"/macros/{macro.Id}", new() { ["change"] = "delete" });
        Assert.Equal(HttpStatusCode.NotFound, edit.StatusCode);
    }

    [StorageFact]
    public async Task CannedReply_Shared_IsChangedByAdminsOnly()
    {
        var admin = await factory.SignedInAsync("admin");
        var added = await Forms.PostAsync(admin, "/macros", "/macros", new() { ["Title"] = "Shared: store credit", ["Body"] = "We added store credit.", ["Group"] = "Refunds", ["Shared"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        int id;
        await using (var db = factory.Database.NewContext())
        {
            var macro = await db.Macros.SingleAsync(m => m.Title == "Shared: store credit");
            Assert.Null(macro.Owner);
            id = macro.Id;
        }
        var refused = await Forms.PostAsync(_bob, "/macros", $"/macros/{id}", new() { ["change"] = "save", ["Title"] = "Hijacked", ["Body"] = "x" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("Only an admin", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()));
        var changed = await Forms.PostAsync(admin, "/macros", $"/macros/{id}", new() { ["change"] = "save", ["Title"] = "Shared: store credit", ["Body"] = "Store credit added.", ["Group"] = "Refunds" });
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        await using (var db = factory.Database.NewContext())
            Assert.Equal("Store credit added.", (await db.Macros.SingleAsync(m => m.Id == id)).Body);
    }

    [StorageFact]
    public async Task CannedReplies_Search_FindsByTextAndGroupInAnyCase()
    {
        var html = WebUtility.HtmlDecode(await _bob.GetStringAsync("/macros?q=REFUNDED"));
        Assert.Contains("Refund issued", html);
        Assert.DoesNotContain("Ask for a photo", html);
        var byGroup = WebUtility.HtmlDecode(await _bob.GetStringAsync("/macros?q=questions"));
        Assert.Contains("Ask for a photo", byGroup);
        Assert.DoesNotContain("Refund issued", byGroup);
        Assert.Contains("id=\"no-macros\"", await _bob.GetStringAsync("/macros?q=nothing-like-this"));
    }
}

public sealed class ReplyBoxTestsOnSqlite(DeskWebFactory factory) : ReplyBoxTests(factory), IClassFixture<DeskWebFactory>;

public sealed class ReplyBoxTestsOnPostgres(PostgresDesk factory) : ReplyBoxTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

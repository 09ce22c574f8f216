using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Desk.Domain.Customers;
using Desk.Domain.Sla;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web.Email.Outbound;
using Desk.Web.Features.Api;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Api;

/// <summary>POST /api/v1/tickets/{number}/messages, /notes and /steps through the real app: the page's intent methods, the outbox, If-Match, Idempotency-Key.</summary>
public abstract class TicketWritesApiTests(DeskWebFactory factory)
{
    private string? _writer;
    private string? _writerName;

    private async Task<HttpClient> WriterAsync() =>
        ApiScopesTests.Api(factory, _writer ??= await ApiScopesTests.CreateKeyAsync(factory, _writerName = "crm " + Guid.NewGuid().ToString("N")[..6],
            ApiScopes.TicketsRead, ApiScopes.TicketsWrite));

    /// <summary>An acknowledged complaint of a customer with an address, saved through the domain; returns its number.</summary>
    private async Task<(long Id, string Number, string Email)> TicketAsync(string subject)
    {
        var at = new DateTime(2030, 4, 1, 9, 0, 0, DateTimeKind.Utc);
        await using var db = factory.Database.NewContext();
        var customer = new Customer($"api.write.{Guid.NewGuid():N}@example.org", "Api Writer", at.AddYears(-1));
        db.Customers.Add(customer);
        await db.SaveChangesAsync();
        var ticket = Ticket.Receive(new TicketIntake(TicketKind.Complaint, Channel.Email, Severity.Minor, subject, "It broke.", null),
            customer, SlaPolicy.Default, RepeatComplaintPolicy.Default, null, at);
        ticket.Acknowledge("bob", at.AddMinutes(1));
        db.Tickets.Add(ticket);
        await db.SaveChangesAsync();
        return (ticket.Id, ticket.Number, customer.Email);
    }

    private static HttpRequestMessage Post(string path, string idempotencyKey, object body, EntityTagHeaderValue? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        if (ifMatch is not null) request.Headers.IfMatch.Add(ifMatch);
        return request;
    }

    [StorageFact]
    public async Task PostMessage_OnAcknowledgedTicket_Is201AndTheReplyIsMailedByTheKeysName()
    {
        var (id, number, email) = await TicketAsync("write: reply");
        var api = await WriterAsync();

        var response = await api.SendAsync(Post($"/api/v1/tickets/{number}/messages", "reply-1", new { text = "We are sending a new lamp." }));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var changed = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("Outbound", "api:" + _writerName, true), (changed.GetProperty("added").GetProperty("kind").GetString(),
            changed.GetProperty("added").GetProperty("author").GetString(), changed.GetProperty("added").GetProperty("public").GetBoolean()));
        Assert.NotNull(response.Headers.ETag);
        await using var db = factory.Database.NewContext();
        var mail = await db.OutboundMails.SingleAsync(m => m.TicketId == id && m.Kind == OutboundKind.Reply);
        Assert.Equal(email, mail.To);
        Assert.Contains("We are sending a new lamp.", mail.Body, StringComparison.Ordinal);
    }

    [StorageFact]
    public async Task PostNote_AddsAnInternalNoteAndMailsNothing_AndTheSameKeyAgainAddsNoSecond()
    {
        var (id, number, _) = await TicketAsync("write: note");
        var api = await WriterAsync();

        var first = await api.SendAsync(Post($"/api/v1/tickets/{number}/notes", "note-1", new { text = "Customer called, see CRM." }));
        var again = await api.SendAsync(Post($"/api/v1/tickets/{number}/notes", "note-1", new { text = "Customer called, see CRM." }));

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, again.StatusCode));
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        await using var db = factory.Database.NewContext();
        Assert.Equal(1, await db.ConversationEntries.CountAsync(e => e.TicketId == id && e.Kind == ConversationEntryKind.InternalNote));
        Assert.False(await db.OutboundMails.AnyAsync(m => m.TicketId == id && m.Kind == OutboundKind.Reply));
    }

    [StorageFact]
    public async Task PostMessage_OnNewTicket_Is422WithTheDomainsMessage()
    {
        var (id, number, _) = await TicketAsync("write: new");
        await using (var db = factory.Database.NewContext()) // back to New: a reply is not possible there
            await db.Tickets.Where(t => t.Id == id).ExecuteUpdateAsync(s => s.SetProperty(t => t.State, TicketState.New));

        var response = await (await WriterAsync()).SendAsync(Post($"/api/v1/tickets/{number}/messages", "new-1", new { text = "Hello." }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal($"Ticket {number} is New: a reply is not possible now.", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [StorageFact]
    public async Task PostStep_Assign_MovesTheTicketAndAnswersItsNewState()
    {
        var (id, number, _) = await TicketAsync("write: assign");

        var response = await (await WriterAsync()).SendAsync(Post($"/api/v1/tickets/{number}/steps", "assign-1", new { step = "assign", assignee = "alice" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("InProgress", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        await using var db = factory.Database.NewContext();
        var ticket = await db.Tickets.Include(t => t.AuditTrail).SingleAsync(t => t.Id == id);
        Assert.Equal((TicketState.InProgress, "alice"), (ticket.State, ticket.AssignedTo));
        Assert.Equal("api:" + _writerName, ticket.AuditTrail.OrderBy(a => a.Id).Last().Actor);
    }

    [StorageFact]
    public async Task PostStep_Resolve_StartsTheFollowUpPlanAsThePageDoes()
    {
        var (id, number, _) = await TicketAsync("write: resolve");
        int remedy, cause;
        await using (var db = factory.Database.NewContext())
            (remedy, cause) = (await db.RemedyKinds.Where(r => r.IsActive).Select(r => r.Id).FirstAsync(), await db.RootCauses.Where(c => c.ParentId != null).Select(c => c.Id).FirstAsync());
        var api = await WriterAsync();
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(Post($"/api/v1/tickets/{number}/steps", "resolve-assign", new { step = "Assign", assignee = "alice" }))).StatusCode);

        var response = await api.SendAsync(Post($"/api/v1/tickets/{number}/steps", "resolve-1",
            new { step = "Resolve", remedyKindId = remedy, remedyCost = 12.5m, rootCauseId = cause, text = "We replaced the lamp." }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("FollowUp", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        await using (var db = factory.Database.NewContext())
        {
            Assert.Equal(TicketState.FollowUp, (await db.Tickets.SingleAsync(t => t.Id == id)).State);
            Assert.True(await db.Surveys.AnyAsync(s => s.TicketId == id));
        }
    }

    [StorageFact]
    public async Task PostStep_NotPermittedNow_Is422WithTheWorkflowsMessageAndChangesNothing()
    {
        var (id, number, _) = await TicketAsync("write: refused step");
        int versionBefore;
        await using (var db = factory.Database.NewContext()) versionBefore = (await db.Tickets.SingleAsync(t => t.Id == id)).Version;

        var response = await (await WriterAsync()).SendAsync(Post($"/api/v1/tickets/{number}/steps", "close-1", new { step = "Close" }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal($"Ticket {number} is Acknowledged: it cannot be closed now.", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        await using (var db = factory.Database.NewContext())
        {
            var ticket = await db.Tickets.Include(t => t.AuditTrail).SingleAsync(t => t.Id == id);
            Assert.Equal((TicketState.Acknowledged, versionBefore), (ticket.State, ticket.Version));
            Assert.DoesNotContain(ticket.AuditTrail, a => a.Actor.StartsWith("api:", StringComparison.Ordinal));
        }
        // The refusal kept nothing, the claim included: the key is free for a step that is permitted.
        var fixedUp = await (await WriterAsync()).SendAsync(Post($"/api/v1/tickets/{number}/steps", "close-1", new { step = "Assign", assignee = "alice" }));
        Assert.Equal(HttpStatusCode.OK, fixedUp.StatusCode);
    }

    [StorageFact]
    public async Task PostStep_UnknownStep_Is400NamingTheSteps()
    {
        var (_, number, _) = await TicketAsync("write: unknown step");

        var response = await (await WriterAsync()).SendAsync(Post($"/api/v1/tickets/{number}/steps", "fly-1", new { step = "Fly" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Resolve", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [StorageFact]
    public async Task Post_WithStaleIfMatch_Is412AndChangesNothing()
    {
        var (id, number, _) = await TicketAsync("write: if-match");
        var api = await WriterAsync();
        var read = await api.GetAsync($"/api/v1/tickets/{number}");
        var etag = read.Headers.ETag!;

        var current = await api.SendAsync(Post($"/api/v1/tickets/{number}/notes", "match-1", new { text = "First, on the version read." }, etag));
        var stale = await api.SendAsync(Post($"/api/v1/tickets/{number}/steps", "match-2", new { step = "Assign", assignee = "alice" }, etag));

        Assert.Equal(HttpStatusCode.Created, current.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("application/problem+json", stale.Content.Headers.ContentType?.MediaType);
        Assert.Equal(current.Headers.ETag, stale.Headers.ETag); // the answer names the version to read
        await using var db = factory.Database.NewContext();
        Assert.Equal(TicketState.Acknowledged, (await db.Tickets.SingleAsync(t => t.Id == id)).State);
        Assert.False(await db.ApiIdempotencyRecords.AnyAsync(r => r.Key == "match-2")); // the key stays free
    }

    [StorageFact]
    public async Task Posts_AtOnce_WithTheSameIfMatch_OneWinsAndTheOtherIs412_WithoutIfMatch_BothAreWritten()
    {
        var (id, number, _) = await TicketAsync("write: at once");
        var api = await WriterAsync();
        var etag = (await api.GetAsync($"/api/v1/tickets/{number}")).Headers.ETag!;

        var matched = await Task.WhenAll(Enumerable.Range(1, 2).Select(i =>
            api.SendAsync(Post($"/api/v1/tickets/{number}/notes", $"at-once-{i}", new { text = $"matched {i}" }, etag))));
        var unconditional = await Task.WhenAll(Enumerable.Range(1, 3).Select(i =>
            api.SendAsync(Post($"/api/v1/tickets/{number}/notes", $"at-once-free-{i}", new { text = $"free {i}" }))));

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.PreconditionFailed], matched.Select(r => r.StatusCode).Order());
        Assert.All(unconditional, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        await using var db = factory.Database.NewContext();
        Assert.Equal(4, await db.ConversationEntries.CountAsync(e => e.TicketId == id && e.Kind == ConversationEntryKind.InternalNote));
    }

    [StorageFact]
    public async Task Post_WithoutIdempotencyKey_Is400()
    {
        var (_, number, _) = await TicketAsync("write: no key");

        var response = await (await WriterAsync()).PostAsJsonAsync($"/api/v1/tickets/{number}/notes", new { text = "No key." });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [StorageFact]
    public async Task Post_KeyWithoutTicketsWrite_Is403NamingTheScope()
    {
        var (_, number, _) = await TicketAsync("write: reader");
        var reader = ApiScopesTests.Api(factory, await ApiScopesTests.CreateKeyAsync(factory, "writes, reader only", ApiScopes.TicketsRead));

        foreach (var what in new[] { "messages", "notes", "steps" })
        {
            var response = await reader.SendAsync(Post($"/api/v1/tickets/{number}/{what}", "reader-" + what, new { text = "x", step = "Assign" }));
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("This key lacks the scope tickets:write.", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        }
    }

    [StorageFact]
    public async Task Post_UnknownTicket_Is404()
    {
        var response = await (await WriterAsync()).SendAsync(Post("/api/v1/tickets/D-987654321/notes", "missing-1", new { text = "x" }));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [StorageFact]
    public async Task OpenApiDocument_HasTheWritePathsWithTheirScope()
    {
        var document = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/api/openapi.json");

        var paths = document.GetProperty("paths");
        foreach (var what in new[] { "messages", "notes", "steps" })
        {
            var post = paths.GetProperty($"/api/v1/tickets/{{number}}/{what}").GetProperty("post");
            Assert.Equal("tickets:write", post.GetProperty("x-required-scope").GetString());
            Assert.True(post.GetProperty("responses").TryGetProperty("412", out _));
        }
    }
}

public sealed class TicketWritesApiTestsOnSqlite(DeskWebFactory factory) : TicketWritesApiTests(factory), IClassFixture<DeskWebFactory>;

public sealed class TicketWritesApiTestsOnPostgres(PostgresDesk factory) : TicketWritesApiTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;

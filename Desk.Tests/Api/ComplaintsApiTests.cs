using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web.Email.Outbound;
using Desk.Web.Features.Api;
using static Desk.Tests.Api.ApiScopesTests;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Api;

/// <summary>POST /api/v1/complaints through the real app: the web form's path, Idempotency-Key sequential and concurrent, refusals.</summary>
public abstract class ComplaintsApiTests(DeskWebFactory factory)
{
    private string? _writer;

    private async Task<HttpClient> WriterAsync() =>
        ApiScopesTests.Api(factory, _writer ??= await ApiScopesTests.CreateKeyAsync(factory, "complaints writer " + Guid.NewGuid().ToString("N")[..6], ApiScopes.TicketsWrite));

    protected static HttpRequestMessage PostRequest(string idempotencyKey, object complaint) => Post(idempotencyKey, complaint);

    private static HttpRequestMessage Post(string idempotencyKey, object complaint)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/complaints") { Content = JsonContent.Create(complaint) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return request;
    }

    private static object Complaint(string email, string subject) =>
        new { email, name = "Api Customer", subject, description = "The lamp flickers.", orderReference = "S-77", product = "Lamp" };

    [StorageFact]
    public async Task Post_NewComplaint_Is201AcknowledgedAndMailed()
    {
        var api = await WriterAsync();

        var response = await api.SendAsync(Post("new-1", Complaint("api.new@example.org", "api: new complaint")));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var number = created.GetProperty("number").GetString()!;
        Assert.Equal(("Acknowledged", false, true), (created.GetProperty("state").GetString(), created.GetProperty("contactUnverified").GetBoolean(), created.GetProperty("acknowledged").GetBoolean()));
        Assert.Equal($"/api/v1/tickets/{number}", response.Headers.Location!.OriginalString);
        await using var db = factory.Database.NewContext();
        var ticket = await db.Tickets.SingleAsync(t => t.Subject == "api: new complaint");
        Assert.Equal((Channel.Api, number), (ticket.Channel, ticket.Number));
        Assert.True(await db.OutboundMails.AnyAsync(m => m.TicketId == ticket.Id && m.To == "api.new@example.org"));
        Assert.True(await db.StatusLinks.AnyAsync(l => l.TicketId == ticket.Id));
    }

    [StorageFact]
    public async Task Post_KnownAddress_IsFiledUnverifiedAsFromTheWebForm()
    {
        var api = await WriterAsync();
        Assert.Equal(HttpStatusCode.Created, (await api.SendAsync(Post("known-1", Complaint("api.known@example.org", "api: known first")))).StatusCode);

        var second = await api.SendAsync(Post("known-2", Complaint("api.known@example.org", "api: known second")));

        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.True((await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("contactUnverified").GetBoolean());
    }

    [StorageFact]
    public async Task Post_SameKeyAndBodyTwice_AnswersTheSameTicketAndFilesOnce()
    {
        var api = await WriterAsync();
        var complaint = Complaint("api.twice@example.org", "api: sent twice");

        var first = await api.SendAsync(Post("twice", complaint));
        var again = await api.SendAsync(Post("twice", complaint));

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, again.StatusCode));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        await using var db = factory.Database.NewContext();
        Assert.Equal(1, await db.Tickets.CountAsync(t => t.Subject == "api: sent twice"));
    }

    [StorageFact]
    public async Task Post_SameKeyAtOnce_FilesOneTicketAndBothGetIt()
    {
        var api = await WriterAsync();
        var complaint = Complaint("api.atonce@example.org", "api: at once");

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => api.SendAsync(Post("at-once", complaint))));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.StatusCode));
        var numbers = await Task.WhenAll(answers.Select(async a => (await a.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("number").GetString()));
        Assert.Single(numbers.Distinct());
        await using var db = factory.Database.NewContext();
        Assert.Equal(1, await db.Tickets.CountAsync(t => t.Subject == "api: at once"));
    }

    [StorageFact]
    public async Task Post_SameKeyOtherBody_Is422AndFilesNothing()
    {
        var api = await WriterAsync();
        Assert.Equal(HttpStatusCode.Created, (await api.SendAsync(Post("reused", Complaint("api.reused@example.org", "api: reused first")))).StatusCode);

        var response = await api.SendAsync(Post("reused", Complaint("api.reused@example.org", "api: reused other")));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(ComplaintsApi.KeyReusedType, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
        await using var db = factory.Database.NewContext();
        Assert.False(await db.Tickets.AnyAsync(t => t.Subject == "api: reused other"));
    }

    [StorageFact]
    public async Task Post_WithoutSubject_Is422WithTheDomainsMessage_AndTheKeyStaysFree()
    {
        var api = await WriterAsync();

        var refused = await api.SendAsync(Post("no-subject", new { email = "api.nosubject@example.org", description = "Something." }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("A subject is required.", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        await using var db = factory.Database.NewContext();
        Assert.False(await db.Customers.AnyAsync(c => c.Email == "api.nosubject@example.org")); // nothing kept of the refused call
        var fixedUp = await api.SendAsync(Post("no-subject", new { email = "api.nosubject@example.org", subject = "api: fixed up", description = "Something." }));
        Assert.Equal(HttpStatusCode.Created, fixedUp.StatusCode);
    }

    [StorageFact]
    public async Task Post_WithoutIdempotencyKey_Is400()
    {
        var response = await (await WriterAsync()).PostAsJsonAsync("/api/v1/complaints", Complaint("api.nokey@example.org", "api: no key"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [StorageFact]
    public async Task Post_KeyWithoutTicketsWrite_Is403NamingTheScope()
    {
        var reader = ApiScopesTests.Api(factory, await ApiScopesTests.CreateKeyAsync(factory, "complaints, reader only", ApiScopes.TicketsRead));

        var response = await reader.SendAsync(Post("reader", Complaint("api.reader@example.org", "api: reader")));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("This key lacks the scope tickets:write.", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    [StorageFact]
    public async Task OpenApiDocument_HasTheComplaintsPathWithItsScope()
    {
        var document = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/api/openapi.json");

        var post = document.GetProperty("paths").GetProperty("/api/v1/complaints").GetProperty("post");
        Assert.Equal("tickets:write", post.GetProperty("x-required-scope").GetString());
        Assert.True(post.GetProperty("responses").TryGetProperty("201", out _));
    }
}

public sealed class ComplaintsApiTestsOnSqlite(DeskWebFactory factory) : ComplaintsApiTests(factory), IClassFixture<DeskWebFactory>;

public sealed class ComplaintsApiTestsOnPostgres(PostgresDesk factory) : ComplaintsApiTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres
{
    /// <summary>Two desks on one PostgreSQL database: the row claim, not anything in one process, keeps the complaint single.</summary>
    [StorageFact]
    public async Task Post_SameKeyAtOnceToTwoDesks_FilesOneTicket()
    {
        var key = await CreateKeyAsync(factory, "complaints, two desks", ApiScopes.TicketsWrite);
        await using var second = DeskWebFactory.On(factory.Database);
        var complaint = new { email = "api.twodesks@example.org", subject = "api: two desks", description = "Sent to both." };

        var answers = await Task.WhenAll(new[] { factory, second, factory, second }.Select(desk => ApiScopesTests.Api(desk, key).SendAsync(PostRequest("two-desks", complaint))));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.StatusCode));
        await using var db = factory.Database.NewContext();
        Assert.Equal(1, await db.Tickets.CountAsync(t => t.Subject == "api: two desks"));
    }
}

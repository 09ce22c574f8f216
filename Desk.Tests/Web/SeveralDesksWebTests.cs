using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Desk.Tests.Support;
using Desk.Web.Data;
using Desk.Web.Email.Intake;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Desk.Tests.Web;

/// <summary>
/// Several desks on one database behave as one desk to the people using them: what one desk issued or kept (a sign-in
/// cookie, an antiforgery token, a preview's upload, a mail source's status, a form's submission token, the public
/// limit's counts) is honoured by every other, and desks started at once set the database up once.
/// </summary>
public abstract partial class SeveralDesksWebTests(DatabaseProvider provider)
{
    protected DatabaseProvider Provider => provider;

    [StorageFact]
    public async Task SignIn_OnOneDesk_CookieAndAntiforgeryTokenAcceptedByAnother()
    {
        using var database = new TestDatabase(provider);
        await using var first = new SharedDesk(database);
        await using var second = new SharedDesk(database);
        var jar = new CookieContainer();
        var onFirst = Client(first, jar);
        var onSecond = Client(second, jar);

        await SignInAsync(onFirst, "admin");
        Assert.Equal(HttpStatusCode.OK, (await onSecond.GetAsync("/admin/root-causes")).StatusCode); // the cookie from the first

        var token = await Forms.AntiforgeryTokenAsync(onFirst, "/admin/root-causes"); // the form from the first, posted to the second
        var added = await onSecond.PostAsync("/admin/root-causes", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Name"] = "Packaging waste",
        }));

        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        await using var db = database.NewContext();
        Assert.True(await db.RootCauses.AnyAsync(c => c.Name == "Packaging waste"));
        Assert.Equal(1, await db.DataProtectionKeys.CountAsync());
    }

    [StorageFact]
    public async Task StartUp_TwoDesksAtOnceOnAnEmptyDatabase_BothComeUpAndSetItUpOnce()
    {
        using var database = new TestDatabase(provider, migrate: false);
        await using var first = new SharedDesk(database);
        await using var second = new SharedDesk(database);

        await Task.WhenAll(Task.Run(() => first.Services), Task.Run(() => second.Services));

        Assert.True((await first.CreateClient().GetAsync("/healthz")).IsSuccessStatusCode);
        Assert.True((await second.CreateClient().GetAsync("/healthz")).IsSuccessStatusCode);
        await using (var db = database.NewContext())
        {
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
            Assert.Equal(first.DemoTickets, await db.Tickets.CountAsync()); // demo data once
            Assert.Equal(3, await db.Roles.CountAsync()); // roles once
            Assert.Equal(Desk.Seed.DemoDataGenerator.AgentUserNames.Count + 2, await db.Users.CountAsync());
            Assert.Equal(1, await db.DataProtectionKeys.CountAsync()); // one key ring for both
        }
        var jar = new CookieContainer();
        await SignInAsync(Client(second, jar), "alice");
        Assert.Equal(HttpStatusCode.OK, (await Client(first, jar).GetAsync("/")).StatusCode);
    }

    [StorageFact]
    public async Task PublicLimit_TwoDesks_CountAgainstOneLimit()
    {
        using var database = new TestDatabase(provider);
        await using var first = new SharedDesk(database) { PostsPerWindow = 2 };
        await using var second = new SharedDesk(database) { PostsPerWindow = 2 };

        Assert.Equal(HttpStatusCode.Redirect, (await FileAsync(Client(first), "one@example.org", peer: "198.51.100.1")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await FileAsync(Client(second), "two@example.org", peer: "198.51.100.1")).StatusCode);
        var third = await FileAsync(Client(first), "three@example.org", peer: "198.51.100.1");
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Contains("wait a few minutes", await third.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await FileAsync(Client(second), "four@example.org", peer: "198.51.100.2")).StatusCode); // another client

        // One customer's address from many clients: as many as from one client.
        Assert.Equal(HttpStatusCode.Redirect, (await FileAsync(Client(first), "target@example.org", peer: "198.51.100.10")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await FileAsync(Client(second), "Target@Example.org", peer: "198.51.100.11")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await FileAsync(Client(first), "target@example.org", peer: "198.51.100.12")).StatusCode);

        await using var db = database.NewContext();
        Assert.Equal(5, await db.Tickets.CountAsync(t => db.Customers.Any(c => c.Id == t.CustomerId && c.Name == "Several Desks")));

        // A new window: the past one's rows go as the first post of the new one is counted.
        first.Clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(HttpStatusCode.Redirect, (await FileAsync(Client(first), "five@example.org", peer: "198.51.100.1")).StatusCode);
        var windows = await db.PublicPostCounts.Select(c => c.WindowStart).Distinct().ToListAsync();
        Assert.Single(windows);
    }

    [StorageFact]
    public async Task ForwardedFor_FromAKnownProxy_IsTheClientAndFromAnyoneElseIgnored()
    {
        using var database = new TestDatabase(provider);
        await using var desk = new SharedDesk(database) { PostsPerWindow = 2, KnownProxy = "10.0.0.1" };
        var client = Client(desk);

        // Through the proxy: each client behind it has its own count.
        Assert.Equal(HttpStatusCode.Redirect, (await FileAsync(client, "a@example.org", peer: "10.0.0.1", forwardedFor: "203.0.113.5")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await FileAsync(client, "b@example.org", peer: "10.0.0.1", forwardedFor: "203.0.113.5")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await FileAsync(client, "c@example.org", peer: "10.0.0.1", forwardedFor: "203.0.113.5")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await FileAsync(client, "d@example.org", peer: "10.0.0.1", forwardedFor: "203.0.113.6")).StatusCode);

        // From anywhere else the header is ignored: a client cannot choose the address it is counted as.
        Assert.Equal(HttpStatusCode.Redirect, (await FileAsync(client, "e@example.org", peer: "10.0.0.9", forwardedFor: "203.0.113.7")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await FileAsync(client, "f@example.org", peer: "10.0.0.9", forwardedFor: "203.0.113.8")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await FileAsync(client, "g@example.org", peer: "10.0.0.9", forwardedFor: "203.0.113.9")).StatusCode);

        // X-Forwarded-Proto: the sign-in cookie is marked secure only when a known proxy says the client used HTTPS.
        Assert.Contains("secure", await SignInCookieAsync(desk, peer: "10.0.0.1"), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", await SignInCookieAsync(desk, peer: "10.0.0.9"), StringComparison.OrdinalIgnoreCase);
    }

    [StorageFact]
    public async Task Complain_SameFormPostedTwice_OpensOneTicketAndAnswersBothWithIt()
    {
        using var database = new TestDatabase(provider);
        await using var desk = new SharedDesk(database);
        var client = Client(desk, new CookieContainer());
        var form = await ComplaintFormAsync(client);

        var first = await client.PostAsync("/complain", form.Content("double.click@example.org"));
        var second = await client.PostAsync("/complain", form.Content("double.click@example.org"));

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(1, await TicketsOfAsync(database, "double.click@example.org"));
        Assert.Contains("Kettle leaks", await client.GetStringAsync(second.Headers.Location!.OriginalString));

        // A new form is a new complaint.
        var again = await client.PostAsync("/complain", (await ComplaintFormAsync(client)).Content("double.click@example.org"));
        Assert.NotEqual(first.Headers.Location, again.Headers.Location);
        Assert.Equal(2, await TicketsOfAsync(database, "double.click@example.org"));
    }

    [StorageFact]
    public async Task Complain_SameFormOnTwoDesksAtOnce_OpensOneTicket()
    {
        using var database = new TestDatabase(provider);
        await using var first = new SharedDesk(database);
        await using var second = new SharedDesk(database);
        var jar = new CookieContainer();
        var onFirst = Client(first, jar);
        var onSecond = Client(second, jar);
        _ = second.Services;

        for (var round = 0; round < 3; round++)
        {
            var email = $"racing.{round}@example.org";
            var form = await ComplaintFormAsync(onFirst);
            var posts = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() =>
                (i % 2 == 0 ? onFirst : onSecond).PostAsync("/complain", form.Content(email)))));

            Assert.All(posts, p => Assert.Equal(HttpStatusCode.Redirect, p.StatusCode));
            Assert.Single(posts.Select(p => p.Headers.Location!.OriginalString).Distinct());
            Assert.Equal(1, await TicketsOfAsync(database, email));
        }
    }

    [StorageFact]
    public async Task OrderUpload_PreviewedOnOneDesk_ConfirmedOnAnother()
    {
        using var database = new TestDatabase(provider);
        await using var first = new SharedDesk(database);
        await using var second = new SharedDesk(database);
        var jar = new CookieContainer();
        var onFirst = Client(first, jar);
        var onSecond = Client(second, jar);
        await SignInAsync(onFirst, "maria");
        // Larger than one stored piece, so it is kept and read back in several.
        var csv = new StringBuilder("email,external_ref,date,amount,product,category,name\n");
        for (var i = 0; csv.Length < Desk.Web.Features.Orders.OrderUploads.ChunkBytes * 2.5; i++)
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"two.desks{i % 50}@example.org,TD-{i},2026-03-14,12.50,Kettle,Kitchen,Two Desks\n");
        var rows = csv.ToString().Count(c => c == '\n') - 1;

        using var upload = new MultipartFormDataContent();
        upload.Add(new StringContent(await Forms.AntiforgeryTokenAsync(onFirst, "/orders/import")), "__RequestVerificationToken");
        upload.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(csv.ToString())), "file", "orders.csv");
        var preview = WebUtility.HtmlDecode(await (await onFirst.PostAsync("/orders/import", upload)).Content.ReadAsStringAsync());
        Assert.Contains($"orders.csv: {rows:N0} rows, {rows:N0} new", preview);
        var action = ConfirmAction().Match(preview).Groups[1].Value;

        var confirmed = await onSecond.PostAsync(action, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await Forms.AntiforgeryTokenAsync(onSecond, "/orders/import"), ["fileName"] = "orders.csv",
        }));

        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Contains($"Imported {rows:N0} new orders from orders.csv.", WebUtility.HtmlDecode(await confirmed.Content.ReadAsStringAsync()));
        await using var db = database.NewContext();
        Assert.Equal(rows, await db.Orders.CountAsync(o => o.ExternalRef!.StartsWith("TD-")));
        Assert.False(await db.OrderUploads.AnyAsync()); // gone once imported
        Assert.False(await db.OrderUploadChunks.AnyAsync());
    }

    [StorageFact]
    public async Task OrderUpload_NeverConfirmed_IsDeletedByALaterUploadAfterADay()
    {
        using var database = new TestDatabase(provider);
        await using var desk = new SharedDesk(database);
        var client = Client(desk, new CookieContainer());
        await SignInAsync(client, "maria");
        await PreviewAsync(client, "email,external_ref,date,amount\nleft.over@example.org,LO-1,2026-03-14,10.00\n");
        desk.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        await SignInAsync(client, "maria"); // the day's sign-in has expired too

        await PreviewAsync(client, "email,external_ref,date,amount\nlater@example.org,LO-2,2026-03-14,10.00\n");

        await using var db = database.NewContext();
        Assert.Equal(1, await db.OrderUploads.CountAsync());
        Assert.Equal(1, await db.OrderUploadChunks.CountAsync());
    }

    [StorageFact]
    public async Task MailStatus_WrittenByTheDeskPollingASource_IsWhatEveryDeskReports()
    {
        using var database = new TestDatabase(provider);
        // A mailbox nobody answers: whichever desk holds its lease fails to connect, again and again.
        await using var first = new SharedDesk(database) { Mailbox = true };
        await using var second = new SharedDesk(database) { Mailbox = true };
        _ = first.Services;
        _ = second.Services;

        var seen = await UntilAsync(async () =>
        {
            await using var db = database.NewContext();
            return await db.MailSources.AsNoTracking().SingleOrDefaultAsync(s => s.Source == SharedDesk.MailboxName && s.LastError != null);
        });
        var fromFirst = (await first.Services.GetRequiredService<MailStatus>().SourcesAsync()).Single();
        var fromSecond = (await second.Services.GetRequiredService<MailStatus>().SourcesAsync()).Single();
        Assert.Equal(SharedDesk.MailboxName, fromSecond.Source);
        Assert.NotNull(fromFirst.LastError);
        Assert.NotNull(fromSecond.LastError);
        Assert.Equal(seen.PolledSince, fromSecond.PolledSince);
        Assert.Null(fromSecond.LastSuccessAt);

        // Nobody has polled it successfully for longer than the limit: stale on every desk.
        Assert.Equal("Healthy", await MailHealthAsync(second)); // failing for less than the limit
        second.Clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal("Unhealthy", await MailHealthAsync(second));
    }

    [StorageFact]
    public async Task MailStatus_ManyGoodPolls_AreWrittenAtMostEveryFewSeconds()
    {
        using var database = new TestDatabase(provider);
        await using var desk = new SharedDesk(database);
        var status = desk.Services.GetRequiredService<MailStatus>();
        const string source = "test source";
        status.Expect(source);
        status.Succeeded(source, taken: 1);
        await UntilAsync(async () => (await StoredAsync(database, source))?.Taken == 1 ? true : (bool?)null); // a change: written at once

        for (var i = 0; i < 50; i++) status.Succeeded(source, taken: 1);
        Assert.Equal(1, (await StoredAsync(database, source))!.Taken); // nothing changed but the count: not yet

        await UntilAsync(async () => (await StoredAsync(database, source))?.Taken == 51 ? true : (bool?)null, TimeSpan.FromSeconds(10));
        status.Failed(source, "connection refused");
        await UntilAsync(async () => (await StoredAsync(database, source))?.LastError == "connection refused" ? true : (bool?)null, TimeSpan.FromSeconds(2));
    }

    // --- helpers ---

    protected static HttpClient Client(DeskWebFactory desk, CookieContainer? jar = null) =>
        jar is null ? desk.CreateDefaultClient() : desk.CreateDefaultClient(new CookieContainerHandler(jar));

    protected static async Task SignInAsync(HttpClient client, string user)
    {
        var response = await Forms.PostAsync(client, "/account/login", "/account/login",
            new() { ["UserName"] = user, ["Password"] = DeskWebFactory.DemoPassword });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    private static async Task<string> SignInCookieAsync(DeskWebFactory desk, string peer)
    {
        var client = Client(desk, new CookieContainer());
        var token = await Forms.AntiforgeryTokenAsync(client, "/account/login");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["UserName"] = "maria", ["Password"] = DeskWebFactory.DemoPassword,
            }),
        };
        request.Headers.Add(PeerAddress.Header, peer);
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.20");
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("desk.auth=", StringComparison.Ordinal));
    }

    /// <summary>Files a complaint the way a browser does (GET the form, POST it), from <paramref name="peer"/>.</summary>
    private static async Task<HttpResponseMessage> FileAsync(HttpClient client, string email, string peer, string? forwardedFor = null)
    {
        using var page = new HttpRequestMessage(HttpMethod.Get, "/complain");
        page.Headers.Add(PeerAddress.Header, peer);
        if (forwardedFor is not null) page.Headers.Add("X-Forwarded-For", forwardedFor);
        var pageResponse = await client.SendAsync(page);
        var form = ComplaintPage.From(await pageResponse.Content.ReadAsStringAsync(), pageResponse);
        var post = new HttpRequestMessage(HttpMethod.Post, "/complain") { Content = form.Content(email) };
        post.Headers.Add(PeerAddress.Header, peer);
        if (form.Cookie is not null) post.Headers.Add("Cookie", form.Cookie);
        if (forwardedFor is not null) post.Headers.Add("X-Forwarded-For", forwardedFor);
        return await client.SendAsync(post);
    }

    private static async Task<ComplaintPage> ComplaintFormAsync(HttpClient client)
    {
        var response = await client.GetAsync("/complain");
        return ComplaintPage.From(await response.Content.ReadAsStringAsync(), response);
    }

    private static async Task PreviewAsync(HttpClient client, string csv)
    {
        using var upload = new MultipartFormDataContent();
        upload.Add(new StringContent(await Forms.AntiforgeryTokenAsync(client, "/orders/import")), "__RequestVerificationToken");
        upload.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "orders.csv");
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/orders/import", upload)).StatusCode);
    }

    private static async Task<int> TicketsOfAsync(TestDatabase database, string email)
    {
        await using var db = database.NewContext();
        return await db.Tickets.CountAsync(t => db.Customers.Any(c => c.Id == t.CustomerId && c.Email == email));
    }

    private static async Task<MailSourceState?> StoredAsync(TestDatabase database, string source)
    {
        await using var db = database.NewContext();
        return await db.MailSources.AsNoTracking().SingleOrDefaultAsync(s => s.Source == source);
    }

    private static async Task<string> MailHealthAsync(DeskWebFactory desk)
    {
        var body = await (await desk.CreateClient().GetAsync("/healthz")).Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("checks").GetProperty("mail").GetProperty("status").GetString()!;
    }

    protected static async Task<T> UntilAsync<T>(Func<Task<T?>> probe, TimeSpan? within = null) where T : class =>
        await UntilValueAsync(async () => await probe() is { } found ? (found, true) : (default!, false), within);

    protected static async Task<bool> UntilAsync(Func<Task<bool?>> probe, TimeSpan? within = null) =>
        await UntilValueAsync(async () => await probe() is { } found ? (found, true) : (false, false), within);

    private static async Task<T> UntilValueAsync<T>(Func<Task<(T Value, bool Found)>> probe, TimeSpan? within)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var (value, found) = await probe();
            if (found) return value;
            Assert.True(clock.Elapsed < (within ?? TimeSpan.FromSeconds(20)), "Not seen in time.");
            await Task.Delay(50);
        }
    }

    /// <summary>The complaint form as rendered: its antiforgery token, its submission token, the antiforgery cookie.</summary>
    private sealed record ComplaintPage(string Antiforgery, string Submission, string? Cookie)
    {
        public static ComplaintPage From(string html, HttpResponseMessage response) => new(
            WebUtility.HtmlDecode(AntiforgeryInput().Match(html).Groups[1].Value),
            SubmissionInput().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("The form has no submission token."),
            response.Headers.TryGetValues("Set-Cookie", out var cookies) ? string.Join("; ", cookies.Select(c => c.Split(';')[0])) : null);

        public FormUrlEncodedContent Content(string email) => new(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Antiforgery, ["Submission"] = Submission,
            ["Name"] = "Several Desks", ["Email"] = email, ["Kind"] = "Complaint", ["Subject"] = "Kettle leaks", ["Description"] = "It leaks.",
        });
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryInput();

    [GeneratedRegex("name=\"Submission\" value=\"([A-Za-z0-9_-]{43})\"")]
    private static partial Regex SubmissionInput();

    [GeneratedRegex("action=\"(/orders/import/[0-9a-f]{32})\"")]
    private static partial Regex ConfirmAction();

    /// <summary>One of several desks on a shared database; the connection's address is the test's to choose.</summary>
    protected sealed class SharedDesk(TestDatabase database) : DeskWebFactory(database)
    {
        public const string MailboxName = "unreachable";

        public override int DemoTickets => 20;
        public int PostsPerWindow { get; init; } = 10_000;
        public override int PublicPostsPerWindow => PostsPerWindow;
        public string? KnownProxy { get; init; }
        public bool Mailbox { get; init; }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Desk:Leases:CheckSeconds", "0.2");
            if (KnownProxy is not null) builder.UseSetting("Desk:ForwardedHeaders:KnownProxies:0", KnownProxy);
            if (Mailbox)
            {
                builder.UseSetting("Desk:Mail:Mailboxes:0:Name", MailboxName);
                builder.UseSetting("Desk:Mail:Mailboxes:0:Host", "127.0.0.1");
                builder.UseSetting("Desk:Mail:Mailboxes:0:Port", "1"); // nothing listens: connection refused
                builder.UseSetting("Desk:Mail:Mailboxes:0:User", "desk");
                builder.UseSetting("Desk:Mail:Mailboxes:0:Password", "not used");
            }
            builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, PeerAddress>());
        }
    }

    /// <summary>Sets the connection's remote address from a test header, before anything else sees the request.</summary>
    private sealed class PeerAddress : IStartupFilter
    {
        public const string Header = "X-Test-Peer";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((HttpContext http, RequestDelegate following) =>
            {
                if (http.Request.Headers.TryGetValue(Header, out var peer)) http.Connection.RemoteIpAddress = IPAddress.Parse(peer.ToString());
                return following(http);
            });
            next(app);
        };
    }
}

public sealed class SeveralDesksWebTestsOnSqlite() : SeveralDesksWebTests(DatabaseProvider.Sqlite);

public sealed class SeveralDesksWebTestsOnPostgres() : SeveralDesksWebTests(DatabaseProvider.Postgres), IRunsOnPostgres
{
    /// <summary>
    /// PostgreSQL only: two desks in one test process on one SQLite file are two caches without a signal between them,
    /// where a single process is the supported setup; there the 30 s expiry is all a second process would get.
    /// </summary>
    [StorageFact]
    public async Task QueueChoices_ChangedOnOneDesk_ShowOnAnotherAtOnce()
    {
        using var database = new TestDatabase(Provider);
        await using var first = new SharedDesk(database);
        await using var second = new SharedDesk(database);
        var agent = Client(second, new CookieContainer());
        await SignInAsync(agent, "alice");
        Assert.DoesNotContain("Recycled packaging", await agent.GetStringAsync("/")); // cached on the second desk

        var admin = Client(first, new CookieContainer());
        await SignInAsync(admin, "admin");
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.PostAsync(admin, "/admin/root-causes", "/admin/root-causes", new() { ["Name"] = "Recycled packaging" })).StatusCode);

        await UntilAsync(async () => (await agent.GetStringAsync("/")).Contains(">Recycled packaging</option>", StringComparison.Ordinal) ? true : (bool?)null,
            TimeSpan.FromSeconds(10));
    }
}

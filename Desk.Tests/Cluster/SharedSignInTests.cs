using System.Net;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Desk.Tests.Cluster;

/// <summary>
/// Behind a load balancer without sticky sessions, any request may land on any desk: an agent signed in through one
/// must be signed in on every other, and a form one desk rendered must be accepted by another. The sign-in cookie and the
/// antiforgery token are protected with Data Protection keys, which the desks must therefore share.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SharedSignInTests(ITestOutputHelper output)
{
    private const string AdminPassword = DeskWebFactory.DemoPassword;

    /// <summary>Pages an admin reaches from the navigation: the queue, a ticket, its customer, every report, every admin page.</summary>
    private static IEnumerable<string> AgentPages(string ticket, long customer) =>
    [
        "/", "/?view=Closed", $"/tickets/{ticket}", $"/customers/{customer}", "/followups", "/macros", "/workflow", "/orders/import",
        "/reports/recovery", "/reports/root-causes", "/reports/loss-reasons", "/reports/sla", "/reports/remedies", "/reports/win-back",
        "/reports/three-faces",
        "/admin/users", "/admin/root-causes", "/admin/sla", "/admin/mail", "/admin/remedies", "/admin/recovery", "/admin/follow-ups",
        "/admin/api-keys",
    ];

    [ClusterFact]
    public async Task SignedInThroughOne_EveryPageAndPostWorksThroughTheOther()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var cluster = await DeskCluster.StartAsync(2, demoTickets: 40);
        output.WriteLine($"two desks and nginx up in {clock.Elapsed.TotalSeconds:0.0} s");
        try
        {
            var (a, b) = (cluster.Desks[0], cluster.Desks[1]);
            var (ticket, customer, version) = await OpenTicketAsync(cluster.Database);
            var cookies = new CookieContainer(); // cookies belong to 127.0.0.1, whatever the port: what A sets, B is sent
            using var throughA = Client(a.Url, cookies);
            using var throughB = Client(b.Url, cookies);
            using var throughBalancer = Client(cluster.BalancerUrl, cookies);

            await SignInAsync(throughA);
            // The harness first: every page answers A's own cookie on A.
            var onA = await RefusedAsync(throughA, AgentPages(ticket, customer));
            Assert.True(onA.Count == 0, $"Desk A refuses its own signed-in admin: {string.Join("; ", onA)}");

            // Then the claim: the same cookie on B, and through nginx (each page twice: both desks answer).
            var onB = await RefusedAsync(throughB, AgentPages(ticket, customer));
            var balanced = await RefusedAsync(throughBalancer, AgentPages(ticket, customer).SelectMany(p => new[] { p, p }));

            // A form rendered by A (its antiforgery token), posted to B: an internal note.
            var page = await throughA.GetStringAsync($"/tickets/{ticket}");
            var action = $"/tickets/{ticket}/actions/note";
            var fields = HiddenInputs.Of(page, action);
            Assert.Equal(version.ToString(System.Globalization.CultureInfo.InvariantCulture), fields.GetValueOrDefault("Version"));
            fields["Text"] = "Checked with the warehouse: the parcel left on Monday.";
            var posted = await throughB.PostAsync(action, new FormUrlEncodedContent(fields));
            var noted = await NoteCountAsync(cluster.Database, ticket, fields["Text"]);

            var pages = AgentPages(ticket, customer).Count();
            var answer = $"{(int)posted.StatusCode} {PathOf(posted.Headers.Location)}";
            var accepted = posted.StatusCode == HttpStatusCode.Redirect && PathOf(posted.Headers.Location).Split('?')[0] == $"/tickets/{ticket}";
            output.WriteLine($"pages refused by B: {onB.Count} of {pages}, through nginx: {balanced.Count} of {2 * pages}; the note posted to B: {answer}");
            Assert.Multiple(
                () => Assert.True(onB.Count == 0, $"Desk B: {Summary(onB, pages)}"),
                () => Assert.True(balanced.Count == 0, $"Through nginx: {Summary(balanced, 2 * pages)}"),
                () => Assert.True(accepted, $"Desk B answered the note posted with A's antiforgery token {answer}, not a redirect to the ticket"
                    + (posted.StatusCode == HttpStatusCode.BadRequest ? ": it could not read A's antiforgery token (Data Protection keys are not shared between desks)." : "")
                    + (answer.Contains("/account/login", StringComparison.Ordinal) ? ": it could not read A's sign-in cookie (Data Protection keys are not shared between desks)." : ".")),
                () => Assert.True(noted == (accepted ? 1 : 0), $"The ticket holds {noted} such notes after B answered {answer}."));
            output.WriteLine($"run time {clock.Elapsed.TotalSeconds:0.0} s");
        }
        catch
        {
            cluster.KeepFolder = true;
            output.WriteLine($"Logs kept in {cluster.Folder}\n{cluster.Logs()}");
            throw;
        }
    }

    /// <summary>An open demo ticket: its number, customer and version.</summary>
    private static async Task<(string Number, long Customer, int Version)> OpenTicketAsync(TestDatabase database)
    {
        await using var db = database.NewContext();
        var open = TicketStates.Open.ToArray();
        var ticket = await db.Tickets.AsNoTracking().Where(t => open.Contains(t.State)).OrderBy(t => t.Id).FirstAsync();
        return (ticket.Number, ticket.CustomerId, ticket.Version);
    }

    private static async Task<int> NoteCountAsync(TestDatabase database, string number, string text)
    {
        TicketNumber.TryParse(number, out var id);
        await using var db = database.NewContext();
        return await db.Tickets.AsNoTracking().Where(t => t.Id == id)
            .SelectMany(t => t.Conversation).CountAsync(e => e.Kind == ConversationEntryKind.InternalNote && e.Body == text);
    }

    private static HttpClient Client(string baseUrl, CookieContainer cookies) =>
        new(new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };

    private static async Task SignInAsync(HttpClient client)
    {
        var fields = HiddenInputs.Of(await client.GetStringAsync("/account/login"), "/account/login");
        fields["UserName"] = "admin";
        fields["Password"] = AdminPassword;
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(fields));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Signing in through A answered {(int)response.StatusCode}, not a redirect.");
    }

    /// <summary>The pages that did not answer 200, each with what they answered instead.</summary>
    private static async Task<List<string>> RefusedAsync(HttpClient client, IEnumerable<string> pages)
    {
        var refused = new List<string>();
        foreach (var page in pages)
        {
            using var response = await client.GetAsync(page);
            if (response.StatusCode != HttpStatusCode.OK)
                refused.Add($"{page} → {(int)response.StatusCode} {PathOf(response.Headers.Location)}".TrimEnd());
        }
        return refused;
    }

    private static string PathOf(Uri? location) => location is null ? "" : location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;

    /// <summary>How many pages were refused and how, the likely reason first.</summary>
    private static string Summary(List<string> refused, int pages) =>
        $"{refused.Count} of {pages} pages refused the admin signed in through desk A"
        + (refused.Any(r => r.Contains("/account/login", StringComparison.Ordinal))
            ? ", redirecting to sign in: the desk could not read the sign-in cookie desk A wrote (Data Protection keys are not shared between desks)"
            : "")
        + ": " + string.Join("; ", refused.Take(3)) + (refused.Count > 3 ? "; …" : ".");
}

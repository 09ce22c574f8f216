using System.Net;
using System.Text.RegularExpressions;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Web;

/// <summary>
/// The queue's search box against the full-text index, checked against the demo desk read in full: each expected
/// list is worked out here from the tickets' subjects, conversations and customers, newest first.
/// </summary>
public abstract partial class QueueSearchTests(QueueDesk factory) : IAsyncLifetime
{
    private HttpClient _alice = null!;
    private List<(long Id, Severity Severity, string Text)> _tickets = null!;

    public async Task InitializeAsync()
    {
        _alice = await factory.SignedInAsync("alice");
        await using var db = factory.Database.NewContext();
        var bodies = (await db.ConversationEntries.AsNoTracking().Select(e => new { e.TicketId, e.Body }).ToListAsync())
            .ToLookup(e => e.TicketId, e => e.Body);
        _tickets = [.. (await (from t in db.Tickets.AsNoTracking()
                               join c in db.Customers on t.CustomerId equals c.Id
                               select new { t.Id, t.Severity, t.Subject, c.Name, c.Email }).ToListAsync())
            .Select(t => (t.Id, t.Severity, string.Join(" ", [t.Subject, t.Name, t.Email, .. bodies[t.Id]])))];
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [StorageFact]
    public async Task EnglishWords_FindTicketsWithAllOfThemAsWholeWords_InSubjectConversationOrCustomer()
    {
        var expected = Expected(t => Word("parcel").IsMatch(t.Text));
        Assert.True(expected.Count > 10, "the demo data should mention parcels");
        Assert.Equal(expected.Take(50), await ShownAsync("/?q=Parcel"));

        var both = Expected(t => Word("parcel").IsMatch(t.Text) && Word("warehouse").IsMatch(t.Text));
        Assert.Equal(both.Take(50), await ShownAsync("/?q=warehouse+parcel"));
        Assert.True(both.Count < expected.Count, "a second word should narrow the search");
    }

    [StorageFact]
    public async Task AWordEndingInStar_FindsWordsThatStartWithIt()
    {
        var expected = Expected(t => Regex.IsMatch(t.Text, @"\bparc", RegexOptions.IgnoreCase));
        Assert.Equal(expected.Take(50), await ShownAsync("/?q=parc*"));
    }

    [StorageFact]
    public async Task ChineseCharacters_AreFoundInsideSentences()
    {
        var expected = Expected(t => t.Text.Contains("退货", StringComparison.Ordinal));
        Assert.True(expected.Count > 0, "the demo data should have a Chinese ticket about a return");
        Assert.Equal(expected.Take(50), await ShownAsync("/?q=" + Uri.EscapeDataString("退货")));
    }

    [StorageFact]
    public async Task ACustomersName_FindsTheirTickets()
    {
        await using var db = factory.Database.NewContext();
        var customer = await db.Customers.AsNoTracking().Where(c => c.Name.Contains(" ") && db.Tickets.Count(t => t.CustomerId == c.Id) > 1)
            .OrderBy(c => c.Id).FirstAsync();
        var names = customer.Name.Split(' ');
        var expected = Expected(t => names.All(n => Word(n).IsMatch(t.Text)));

        var shown = await ShownAsync("/?q=" + Uri.EscapeDataString(customer.Name));

        Assert.Equal(expected.Take(50), shown);
        Assert.Contains(TicketNumber.Format(_tickets.First(t => t.Text.Contains(customer.Email, StringComparison.Ordinal)).Id), shown);
    }

    [StorageFact]
    public async Task WithAFilterAndAcrossPages_KeepsBoth()
    {
        var expected = Expected(t => t.Severity == Severity.Minor && Word("order").IsMatch(t.Text));
        Assert.True(expected.Count > 50, "needs more than a page of matches");

        var first = await _alice.GetStringAsync("/?q=order&severity=Minor");
        Assert.Equal(expected.Take(50), Numbers(first));
        var next = NextLink().Match(first).Groups[1].Value.Replace("&amp;", "&", StringComparison.Ordinal);
        Assert.Contains("q=order", next);
        Assert.Equal(expected.Skip(50).Take(50), Numbers(await _alice.GetStringAsync(next)));
    }

    [StorageTheory]
    [InlineData("\"parcel")]
    [InlineData("parcel OR NEAR(a b")]
    [InlineData("-parcel *")]
    [InlineData("^{}:()")]
    [InlineData("a*")]
    public async Task QuerySyntaxTyped_IsTakenAsText_NeverAnError(string typed)
    {
        var response = await _alice.GetAsync("/?q=" + Uri.EscapeDataString(typed));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var letters = Regex.Matches(typed, "[A-Za-z]+").Select(m => m.Value).ToList();
        if (letters.Count == 0) Assert.Empty(Numbers(await response.Content.ReadAsStringAsync()));
    }

    private List<string> Expected(Func<(long Id, Severity Severity, string Text), bool> predicate) =>
        [.. _tickets.Where(predicate).OrderByDescending(t => t.Id).Select(t => TicketNumber.Format(t.Id))];

    private async Task<List<string>> ShownAsync(string url) => Numbers(await _alice.GetStringAsync(url));

    private static Regex Word(string word) => new($@"\b{Regex.Escape(word)}\b", RegexOptions.IgnoreCase);

    private static List<string> Numbers(string html) =>
        RowNumber().Matches(html).Select(m => m.Groups[1].Value).ToList();

    [GeneratedRegex("<td class=\"font-monospace\"><a href=\"/tickets/(D-[0-9]+)\"")]
    private static partial Regex RowNumber();

    [GeneratedRegex("href=\"(/\\?[^\"]*after=[^\"]+)\"")]
    private static partial Regex NextLink();
}

public sealed class QueueSearchTestsOnSqlite(QueueDesk factory) : QueueSearchTests(factory), IClassFixture<QueueDesk>;

public sealed class QueueSearchTestsOnPostgres(PostgresQueueDesk factory) : QueueSearchTests(factory), IClassFixture<PostgresQueueDesk>, IRunsOnPostgres;

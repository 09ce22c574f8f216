using Desk.Web.Data;
using System.Linq.Expressions;
using System.Text.RegularExpressions;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Web;

public abstract partial class QueueFilterTests(QueueDesk factory) : IAsyncLifetime
{
    private static readonly TicketState[] Open =
        [TicketState.New, TicketState.Acknowledged, TicketState.InProgress, TicketState.AwaitingCustomer, TicketState.Escalated];
    private static readonly DateTime Now = DeskWebFactory.Now;
    private HttpClient _alice = null!;

    public async Task InitializeAsync() => _alice = await factory.SignedInAsync("alice");

    public Task DisposeAsync() => Task.CompletedTask;

    [StorageFact]
    public Task MyOpen_ShowsOpenTicketsAssignedToMe() =>
        AssertShows("/?view=mine", t => t.AssignedTo == "alice" && Open.Contains(t.State));

    [StorageFact]
    public Task Unassigned_ShowsOpenTicketsWithoutAgent() =>
        AssertShows("/?view=unassigned", t => t.AssignedTo == null && Open.Contains(t.State));

    [StorageFact]
    public Task Overdue_ShowsOpenTicketsPastTheirResolutionTarget() =>
        AssertShows("/?view=overdue&sort=Received", t => Open.Contains(t.State) && t.ResolutionDueAt < Now); // its own order: QueueOrderTests

    [StorageFact]
    public Task FollowUpsDue_ShowsFollowUpsEndingWithinTwoDays() =>
        AssertShows("/?view=followups", t => t.State == TicketState.FollowUp && t.FollowUpDueAt <= Now.AddDays(2));

    [StorageFact]
    public Task Filters_Combine() =>
        AssertShows("/?view=all&severity=Major&kind=Complaint&channel=Email",
            t => t.Severity == Severity.Major && t.Kind == TicketKind.Complaint && t.Channel == Channel.Email);

    [StorageFact]
    public Task RootCauseFilter_TopLevelCause_IncludesItsSubCauses() =>
        AssertShows("/?view=all&rootCause=70", t => t.RootCauseId >= 71 && t.RootCauseId <= 74);

    [StorageFact]
    public Task SlaMissed_ShowsTicketsResolvedLate() =>
        AssertShows("/?view=all&sla=Missed", t => t.ResolvedAt != null && t.ResolvedAt > t.ResolutionDueAt);

    [StorageFact]
    public Task SlaDueSoon_ShowsOpenTicketsDueWithinFourHours() =>
        AssertShows("/?view=all&sla=DueSoon", t => Open.Contains(t.State) && t.ResolutionDueAt >= Now && t.ResolutionDueAt < Now.AddHours(4), allowEmpty: true);

    [StorageFact]
    public Task AssigneeNobody_ShowsUnassignedInAnyState() =>
        AssertShows("/?view=all&assignee=-", t => t.AssignedTo == null);

    [StorageFact]
    public async Task NextPage_KeepsTheFilters()
    {
        var html = await _alice.GetStringAsync("/?view=all&severity=Minor");
        var next = NextLink().Match(html).Groups[1].Value.Replace("&amp;", "&", StringComparison.Ordinal);
        Assert.Contains("severity=Minor", next);
        Assert.Contains("after=", next);
        var shown = Numbers(await _alice.GetStringAsync(next));
        await using var db = factory.Database.NewContext();
        var expected = await db.Tickets.Where(t => t.Severity == Severity.Minor)
            .OrderByDescending(t => t.ReceivedAt).ThenByDescending(t => t.Id).Skip(50).Take(50).Select(t => t.Id).ToListAsync();
        Assert.Equal(expected.Select(TicketNumber.Format), shown);
    }

    private async Task AssertShows(string url, Expression<Func<Ticket, bool>> predicate, bool allowEmpty = false)
    {
        await using var db = factory.Database.NewContext();
        var expected = await db.Tickets.Where(predicate)
            .OrderByDescending(t => t.ReceivedAt).ThenByDescending(t => t.Id).Take(50).Select(t => t.Id).ToListAsync();
        if (!allowEmpty) Assert.True(expected.Count > 0, $"the demo data has no ticket for {url}: the test would prove nothing");
        var shown = Numbers(await _alice.GetStringAsync(url));
        Assert.Equal(expected.Select(TicketNumber.Format), shown);
    }

    private static List<string> Numbers(string html) =>
        RowNumber().Matches(html).Select(m => m.Groups[1].Value).ToList();

    [GeneratedRegex("<td class=\"font-monospace\"><a href=\"/tickets/(D-[0-9]+)\"")]
    private static partial Regex RowNumber();

    [GeneratedRegex("href=\"(/\\?[^\"]*after=[^\"]+)\"")]
    private static partial Regex NextLink();
}

public sealed class QueueFilterTestsOnSqlite(QueueDesk factory) : QueueFilterTests(factory), IClassFixture<QueueDesk>;

public sealed class QueueFilterTestsOnPostgres(PostgresQueueDesk factory) : QueueFilterTests(factory), IClassFixture<PostgresQueueDesk>, IRunsOnPostgres;

/// <summary>A larger demo desk, so every saved view and filter has tickets to show.</summary>
public class QueueDesk : DeskWebFactory
{
    public override int DemoTickets => 1500;
}

public sealed class PostgresQueueDesk : QueueDesk
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}

using System.Net;
using System.Text.RegularExpressions;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Web;

/// <summary>
/// The queue's bulk steps (every ticket through its own workflow; refusals listed per ticket), an agent's saved views,
/// and tags (on the ticket page, the admins' list, the queue's filter, the report's breakdown), on each provider.
/// </summary>
public abstract partial class BulkViewsTagsTests(DeskWebFactory factory) : IAsyncLifetime
{
    private static int _picked;
    private HttpClient _alice = null!;

    public async Task InitializeAsync() => _alice = await factory.SignedInAsync("alice");

    public Task DisposeAsync() => Task.CompletedTask;

    // ---- bulk ----

    [StorageFact]
    public async Task BulkAssign_SomeRefused_AssignsTheOthersAndListsEachRefusal()
    {
        var open = await TicketsIn(TicketState.Acknowledged, 3);
        var resolved = (await TicketsIn(TicketState.Resolved, 1))[0];
        var changed = (await TicketsIn(TicketState.Acknowledged, 1))[0];

        var response = await BulkAsync("Assign", [.. open, resolved, (changed, changed.Version - 1)], new() { ["Assignee"] = "wang.fang" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("Done for 3 of 5 tickets.", html);
        var refused = Refusals(html);
        Assert.Equal(new[] { resolved.Number, changed.Number }.Order(), refused.Keys.Order());
        Assert.Contains("it cannot be assigned now", refused[resolved.Number]);
        Assert.Contains("changed by someone else", refused[changed.Number]);
        foreach (var t in open)
        {
            var stored = await Reload(t);
            Assert.Equal((TicketState.InProgress, "wang.fang", t.Version + 1), (stored.State, stored.AssignedTo, stored.Version));
            Assert.Equal("alice", stored.AuditTrail.OrderBy(a => a.Id).Last().Actor);
        }
        Assert.Equal(resolved.Version, (await Reload(resolved)).Version);
        Assert.Equal((changed.Version, (string?)changed.AssignedTo), ((await Reload(changed)).Version, (await Reload(changed)).AssignedTo));
    }

    [StorageFact]
    public async Task BulkAssign_ForAChineseReader_ListsRefusalsInChinese()
    {
        var resolved = (await TicketsIn(TicketState.Resolved, 1))[0];
        var response = await BulkAsync("Assign", [resolved], [], culture: "zh-CN");
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains($"工单 {resolved.Number}", Refusals(html)[resolved.Number]);
        Assert.DoesNotContain("cannot", Refusals(html)[resolved.Number]);
    }

    [StorageFact]
    public async Task BulkEscalate_WithoutReason_IsRefusedBeforeAnyTicketChanges()
    {
        var tickets = await TicketsIn(TicketState.InProgress, 2);
        var response = await BulkAsync("Escalate", tickets, new() { ["Reason"] = "  " });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("A reason for the escalation is required.", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
        foreach (var t in tickets) Assert.Equal((TicketState.InProgress, t.Version), ((await Reload(t)).State, (await Reload(t)).Version));
    }

    [StorageFact]
    public async Task BulkEscalate_WithReason_EscalatesEachWithTheReason()
    {
        var tickets = await TicketsIn(TicketState.InProgress, 2);
        var response = await BulkAsync("Escalate", tickets, new() { ["Reason"] = "Recall of the whole batch" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        foreach (var t in tickets)
        {
            var stored = await Reload(t);
            Assert.Equal((TicketState.Escalated, "Recall of the whole batch"), (stored.State, stored.EscalationReason));
        }
    }

    [StorageFact]
    public async Task BulkSetSeverity_KeepsImpactAndRefusesWhereAssessmentIsNotPermitted()
    {
        var working = await TicketsIn(TicketState.InProgress, 2);
        var waiting = (await TicketsIn(TicketState.AwaitingCustomer, 1))[0];
        var response = await BulkAsync("SetSeverity", [.. working, waiting], new() { ["Severity"] = "Major" });

        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("Done for 2 of 3 tickets.", html);
        Assert.Equal([waiting.Number], Refusals(html).Keys);
        foreach (var t in working)
        {
            var stored = await Reload(t);
            Assert.Equal((Severity.Major, t.Impact, t.SafetyRisk, TicketTrigger.Assess), (stored.Severity, stored.Impact, stored.SafetyRisk, stored.AuditTrail.OrderBy(a => a.Id).Last().Trigger));
        }
        Assert.Equal(waiting.Version, (await Reload(waiting)).Version);
    }

    [StorageFact]
    public async Task BulkMerge_IntoOneOfTheChosen_MergesTheOthersAndKeepsTheTarget()
    {
        var chosen = await TicketsIn(TicketState.Acknowledged, 3);
        var closed = (await TicketsIn(TicketState.Closed, 1))[0];
        var target = chosen[0];
        var response = await BulkAsync("Merge", [.. chosen, closed], new() { ["MergeInto"] = target.Number });

        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("Done for 2 of 3 tickets.", html);
        Assert.Contains($"{target.Number} is the ticket the others were merged into", html);
        Assert.Equal([closed.Number], Refusals(html).Keys);
        foreach (var t in chosen.Skip(1))
        {
            var stored = await Reload(t);
            Assert.Equal((TicketState.Rejected, (long?)target.Id, (RejectionReason?)RejectionReason.Duplicate), (stored.State, stored.MergedIntoTicketId, stored.RejectionReason));
        }
        Assert.Equal((TicketState.Acknowledged, target.Version), ((await Reload(target)).State, (await Reload(target)).Version));
    }

    [StorageFact]
    public async Task BulkMerge_IntoATicketThatDoesNotExist_ChangesNothing()
    {
        var chosen = await TicketsIn(TicketState.Acknowledged, 2);
        var response = await BulkAsync("Merge", chosen, new() { ["MergeInto"] = "D-987654" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        foreach (var t in chosen) Assert.Equal(t.Version, (await Reload(t)).Version);
    }

    [StorageFact]
    public async Task BulkRejectAsSpam_RejectsWhereTheWorkflowAllowsIt()
    {
        var fresh = await TicketsIn(TicketState.Acknowledged, 2);
        var working = (await TicketsIn(TicketState.InProgress, 1))[0];
        var response = await BulkAsync("RejectAsSpam", [.. fresh, working], []);

        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("Done for 2 of 3 tickets.", html);
        Assert.Contains("it cannot be rejected now", Refusals(html)[working.Number]);
        foreach (var t in fresh)
            Assert.Equal((TicketState.Rejected, (RejectionReason?)RejectionReason.Spam), ((await Reload(t)).State, (await Reload(t)).RejectionReason));
    }

    [StorageFact]
    public async Task Bulk_WithoutAntiforgeryToken_IsRefused()
    {
        var ticket = (await TicketsIn(TicketState.Acknowledged, 1))[0];
        var response = await _alice.PostAsync("/queue/bulk", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Step"] = "Assign", ["Tickets"] = $"{ticket.Id}:{ticket.Version}",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(ticket.Version, (await Reload(ticket)).Version);
    }

    [StorageFact]
    public async Task Queue_ShowsACheckBoxPerRowCarryingItsVersion()
    {
        var html = await _alice.GetStringAsync("/?view=all");
        await using var db = factory.Database.NewContext();
        var newest = await db.Tickets.AsNoTracking().OrderByDescending(t => t.ReceivedAt).ThenByDescending(t => t.Id).FirstAsync();
        Assert.Contains($"form=\"bulk-form\" name=\"Tickets\" value=\"{newest.Id}:{newest.Version}\"", html);
        Assert.Equal(50, Regex.Matches(html, "class=\"form-check-input bulk-ticket\"").Count);
        // Each form carries its own antiforgery token (a browser posts only the form's fields).
        Assert.True(FormHasToken(html, "bulk-form"), "the bulk bar's form has no antiforgery token");
        Assert.True(FormHasToken(html, "save-view"), "the view saver's form has no antiforgery token");
        var ticket = (await TicketsIn(TicketState.InProgress, 1))[0];
        Assert.True(FormHasToken(await _alice.GetStringAsync($"/tickets/{ticket.Number}"), "add-tag"), "the tag form has no antiforgery token");
    }

    private static bool FormHasToken(string html, string id) =>
        Regex.Match(html, $"<form[^>]*id=\"{id}\"[^>]*>((?:(?!</form>)[\\s\\S])*)</form>").Groups[1].Value.Contains("__RequestVerificationToken", StringComparison.Ordinal);

    // ---- saved views ----

    [StorageFact]
    public async Task SavedView_IsListedForItsOwnerOnly_AndDeletedByThem()
    {
        var name = $"Major mail {Interlocked.Increment(ref _picked)}";
        var save = await Forms.PostAsync(_alice, "/", "/queue/views", new()
        {
            ["view"] = "all", ["severity"] = "Major", ["channel"] = "Email", ["name"] = name,
        });
        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        Assert.Equal("/?view=all&severity=Major&channel=Email", save.Headers.Location!.OriginalString);

        var mine = WebUtility.HtmlDecode(await _alice.GetStringAsync("/"));
        Assert.Contains($"href=\"/?view=all&severity=Major&channel=Email\">☆ {name}</a>", mine);
        var bob = await factory.SignedInAsync("bob");
        Assert.DoesNotContain(name, WebUtility.HtmlDecode(await bob.GetStringAsync("/")));

        await using var db = factory.Database.NewContext();
        var id = await db.SavedViews.Where(v => v.Name == name).Select(v => v.Id).SingleAsync();
        await Forms.PostAsync(bob, "/", $"/queue/views/{id}/delete", []); // not bob's: nothing happens
        Assert.True(await db.SavedViews.AnyAsync(v => v.Id == id));
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.PostAsync(_alice, "/", $"/queue/views/{id}/delete", [])).StatusCode);
        Assert.False(await db.SavedViews.AnyAsync(v => v.Id == id));
        Assert.DoesNotContain(name, WebUtility.HtmlDecode(await _alice.GetStringAsync("/")));
    }

    [StorageFact]
    public async Task SavedView_SameNameAgain_ReplacesItsFilter()
    {
        var name = $"Mine {Interlocked.Increment(ref _picked)}";
        await Forms.PostAsync(_alice, "/", "/queue/views", new() { ["view"] = "mine", ["name"] = name });
        await Forms.PostAsync(_alice, "/", "/queue/views", new() { ["view"] = "mine", ["tag"] = "Refund", ["name"] = name });
        await using var db = factory.Database.NewContext();
        Assert.Equal("?view=mine&tag=Refund", await db.SavedViews.Where(v => v.Name == name).Select(v => v.Query).SingleAsync());
    }

    [StorageFact]
    public async Task SavedView_WithoutName_IsRefused()
    {
        var response = await Forms.PostAsync(_alice, "/", "/queue/views", new() { ["view"] = "all", ["name"] = " " });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("A name for the view is required.", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    // ---- tags ----

    [StorageFact]
    public async Task AddTag_ShowsOnTheTicketAndInTheAuditTrail_RemoveTakesItOff()
    {
        var ticket = (await TicketsIn(TicketState.InProgress, 1))[0];
        var tag = UniqueTag("Kettle Recall");
        var added = await Forms.PostAsync(_alice, $"/tickets/{ticket.Number}", $"/tickets/{ticket.Number}/tags", new() { ["tag"] = "  " + tag.ToUpperInvariant() + " " });
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);

        var stored = await Reload(ticket);
        Assert.Equal([tag], stored.Tags.Select(t => t.Name));
        var line = stored.AuditTrail.OrderBy(a => a.Id).Last();
        Assert.Equal(("alice", (TicketTrigger?)null, (TicketState?)TicketState.InProgress, $"Tag added: {tag}"), (line.Actor, line.Trigger, line.FromState, line.Comment));
        var page = WebUtility.HtmlDecode(await _alice.GetStringAsync($"/tickets/{ticket.Number}"));
        Assert.Contains($"class=\"badge text-bg-light border fw-normal fs-6 ticket-tag\">{tag}", page);

        await Forms.PostAsync(_alice, $"/tickets/{ticket.Number}", $"/tickets/{ticket.Number}/tags/remove", new() { ["tag"] = tag });
        stored = await Reload(ticket);
        Assert.Empty(stored.Tags);
        Assert.Equal($"Tag removed: {tag}", stored.AuditTrail.OrderBy(a => a.Id).Last().Comment);
    }

    [StorageFact]
    public async Task AddTag_NotOnANonEmptyList_IsRefused_OnTheListIsTaken()
    {
        var admin = await factory.SignedInAsync("admin");
        var listed = UniqueTag("listed");
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.PostAsync(admin, "/admin/tags", "/admin/tags", new() { ["tag"] = listed })).StatusCode);
        try
        {
            var ticket = (await TicketsIn(TicketState.InProgress, 1))[0];
            var free = await Forms.PostAsync(_alice, $"/tickets/{ticket.Number}", $"/tickets/{ticket.Number}/tags", new() { ["tag"] = UniqueTag("free") });
            Assert.Equal(HttpStatusCode.UnprocessableEntity, free.StatusCode);
            Assert.Contains("is not on the desk's list of tags", WebUtility.HtmlDecode(await free.Content.ReadAsStringAsync()));
            Assert.Empty((await Reload(ticket)).Tags);

            await Forms.PostAsync(_alice, $"/tickets/{ticket.Number}", $"/tickets/{ticket.Number}/tags", new() { ["tag"] = listed });
            Assert.Equal([listed], (await Reload(ticket)).Tags.Select(t => t.Name));
        }
        finally
        {
            await Forms.PostAsync(admin, "/admin/tags", "/admin/tags/remove", new() { ["tag"] = listed });
        }
        await using var db = factory.Database.NewContext();
        Assert.False(await db.CuratedTags.AnyAsync(t => t.Name == listed));
    }

    [StorageFact]
    public async Task TagList_IsForAdminsOnly()
    {
        var response = await _alice.GetAsync("/admin/tags");
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [StorageFact]
    public async Task TagFilter_ListsExactlyTheTaggedTickets_NewestFirst()
    {
        var tag = UniqueTag("filter");
        var tagged = await TicketsIn(TicketState.InProgress, 3);
        await TagAsync(tag, tagged);

        var html = await _alice.GetStringAsync($"/?view=all&tag={Uri.EscapeDataString(tag)}");
        var expected = tagged.OrderByDescending(t => t.ReceivedAt).ThenByDescending(t => t.Id).Select(t => t.Number);
        Assert.Equal(expected, RowNumber().Matches(html).Select(m => m.Groups[1].Value));
        Assert.Empty(RowNumber().Matches(await _alice.GetStringAsync("/?view=all&tag=no-such-tag-at-all")));
    }

    [StorageFact]
    public async Task TagReport_CountsComplaintsAndRepurchaseByTag()
    {
        var maria = await factory.SignedInAsync("maria");
        await maria.GetStringAsync("/reports/tags"); // brings the kept outcomes up to date
        await using var db = factory.Database.NewContext();
        var complaints = await db.Database.SqlQueryRaw<long>("""SELECT "TicketId" AS "Value" FROM "ComplaintOutcomes" ORDER BY "TicketId" """).ToListAsync();
        var start = Interlocked.Add(ref _picked, 4) % Math.Max(1, complaints.Count - 4);
        var picked = complaints.Skip(start).Take(4).ToList();
        Assert.Equal(4, picked.Count);
        var (big, small) = (UniqueTag("report big"), UniqueTag("report small"));
        var tickets = await db.Tickets.AsNoTracking().Where(t => picked.Contains(t.Id)).ToListAsync();
        await TagAsync(big, tickets.Take(3).ToList());
        await TagAsync(small, tickets.Skip(3).ToList());

        var html = WebUtility.HtmlDecode(await maria.GetStringAsync("/reports/tags?culture=en"));
        Assert.Contains($"data-tag=\"{big}\" data-complaints=\"3\"", html);
        Assert.Contains($"data-tag=\"{small}\" data-complaints=\"1\"", html);
        // Bought again among the measured ones, as the recovery report counts them: window ended, revenue in it.
        var window = (long)((await db.RecoverySettings.AsNoTracking().SingleOrDefaultAsync()) ?? Desk.Domain.Recovery.RecoverySettings.Default).RepurchaseWindow.TotalMilliseconds;
        var now = StoredValues.UnixMilliseconds(DeskWebFactory.Now);
        var bigIds = tickets.Take(3).Select(t => t.Id).ToList();
        var kept = (await db.Database.SqlQueryRaw<KeptOutcome>("""SELECT "TicketId", "Anchor", "Revenue" FROM "ComplaintOutcomes" """).ToListAsync())
            .Where(k => bigIds.Contains(k.TicketId)).ToList();
        var measured = kept.Count(k => k.Anchor + window <= now);
        var bought = kept.Count(k => k.Anchor + window <= now && k.Revenue is not null);
        Assert.Matches($"data-tag=\"{Regex.Escape(big)}\" data-complaints=\"3\">\\s*<td>.*?</td>\\s*<td class=\"text-end\">3</td>\\s*<td class=\"text-end\">{bought} / {measured}</td>", html);
    }

    private sealed class KeptOutcome
    {
        public long TicketId { get; set; }
        public long Anchor { get; set; }
        public long? Revenue { get; set; }
    }

    private async Task TagAsync(string tag, IReadOnlyList<Ticket> tickets)
    {
        foreach (var t in tickets)
            Assert.Equal(HttpStatusCode.Redirect,
                (await Forms.PostAsync(_alice, $"/tickets/{t.Number}", $"/tickets/{t.Number}/tags", new() { ["tag"] = tag })).StatusCode);
    }

    private static string UniqueTag(string stem) => $"{stem} {Interlocked.Increment(ref _picked)}".ToLowerInvariant();

    private async Task<HttpResponseMessage> BulkAsync(string step, IEnumerable<object> tickets, Dictionary<string, string> fields, string? culture = null)
    {
        var pairs = fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)).ToList();
        pairs.Add(new("Step", step));
        foreach (var t in tickets)
            pairs.Add(new("Tickets", t switch
            {
                Ticket ticket => $"{ticket.Id}:{ticket.Version}",
                ValueTuple<Ticket, int> stale => $"{stale.Item1.Id}:{stale.Item2}",
                _ => throw new ArgumentException("a ticket or (ticket, version)"),
            }));
        pairs.Add(new("__RequestVerificationToken", await Forms.AntiforgeryTokenAsync(_alice, "/")));
        return await _alice.PostAsync("/queue/bulk" + (culture is null ? "" : $"?culture={culture}"), new FormUrlEncodedContent(pairs));
    }

    /// <summary>The refusals the bulk answer lists: ticket number → why.</summary>
    private static Dictionary<string, string> Refusals(string html) =>
        RefusalLine().Matches(html).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Trim());

    /// <summary>Tickets no other test of this class has picked, in <paramref name="state"/>, oldest id first.</summary>
    private async Task<List<Ticket>> TicketsIn(TicketState state, int count)
    {
        await using var db = factory.Database.NewContext();
        var candidates = await db.Tickets.AsNoTracking().Where(t => t.State == state && !t.ContactUnverified).OrderBy(t => t.Id).ToListAsync();
        Assert.True(candidates.Count >= count, $"the demo desk has fewer than {count} tickets in {state}");
        var picked = new List<Ticket>();
        for (var i = 0; i < count; i++)
            picked.Add(candidates[(Interlocked.Increment(ref _picked) * 7) % candidates.Count]);
        return picked.DistinctBy(t => t.Id).Count() == count ? picked : [.. candidates.Take(count)];
    }

    private async Task<Ticket> Reload(Ticket ticket)
    {
        await using var db = factory.Database.NewContext();
        return await db.Tickets.AsNoTracking().Include(t => t.AuditTrail).Include(t => t.Tags).SingleAsync(t => t.Id == ticket.Id);
    }

    [GeneratedRegex("<li class=\"list-group-item\"><a class=\"font-monospace me-2\" href=\"/tickets/(D-[0-9]+)\">D-[0-9]+</a>([^<]*)</li>")]
    private static partial Regex RefusalLine();

    [GeneratedRegex("<td class=\"font-monospace\"><a href=\"/tickets/(D-[0-9]+)\"")]
    private static partial Regex RowNumber();
}

public sealed class BulkViewsTagsTestsOnSqlite(QueueDesk factory) : BulkViewsTagsTests(factory), IClassFixture<QueueDesk>;

public sealed class BulkViewsTagsTestsOnPostgres(PostgresQueueDesk factory) : BulkViewsTagsTests(factory), IClassFixture<PostgresQueueDesk>, IRunsOnPostgres;

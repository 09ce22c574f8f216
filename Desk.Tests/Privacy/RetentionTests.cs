using Desk.Domain.Tickets;
using Desk.Tests.Reports;
using Desk.Tests.Seed;
using Desk.Tests.Support;
using Desk.Web.Data;
using Desk.Web.Email.Intake;
using Desk.Web.Features.Attachments;
using Desk.Web.Features.Privacy;
using Desk.Web.Features.Reports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Desk.Tests.Privacy;

/// <summary>The retention settings applied by <see cref="Retention"/> at a fake clock's time, on both databases.</summary>
public abstract class RetentionTests : IDisposable
{
    private readonly TestDatabase _database;
    private readonly FakeTimeProvider _clock = new(GeneratedDesk.Now);

    protected RetentionTests(DatabaseProvider provider)
    {
        _database = new TestDatabase(provider);
        GeneratedDesk.Generate(_database, 1_500, seed: 5, GeneratedDesk.Now);
    }

    public void Dispose()
    {
        _database.Dispose();
        GC.SuppressFinalize(this);
    }

    private Retention RetentionOn(DeskDbContext db, PrivacyOptions options) => new(db, Microsoft.Extensions.Options.Options.Create(options), _clock);

    [StorageFact]
    public async Task RunAsync_NoPeriodSet_RemovesNothing_ButRecordsTheRun()
    {
        await using var db = _database.NewContext();
        var (oldMail, _, oldFile, _) = await AddMailsAndFilesAsync(db);

        var removed = await RetentionOn(db, new PrivacyOptions()).RunAsync(CancellationToken.None);

        Assert.True(removed.IsEmpty);
        Assert.True(await db.InboundMails.AnyAsync(m => m.Id == oldMail && m.Size > 0));
        Assert.True(await db.Attachments.AnyAsync(a => a.Id == oldFile));
        Assert.Equal(0, await db.Tickets.CountAsync(t => t.PersonalDataRemovedAt != null));
        var run = await db.PrivacyEvents.SingleAsync();
        Assert.Equal((PrivacyAction.Retention, GeneratedDesk.Now, (long?)null), (run.Action, run.At, run.CustomerId));
    }

    [StorageFact]
    public async Task RunAsync_PeriodsSet_RemovesOnlyWhatIsOlder_InBatches_AndTheReportsCountTheSame()
    {
        await using var db = _database.NewContext();
        var (oldMail, youngMail, oldFile, youngFile) = await AddMailsAndFilesAsync(db);
        var yearAgo = GeneratedDesk.Now.AddDays(-365);
        var due = await db.Tickets.Where(t => t.State == TicketState.Closed && t.ClosedAt < yearAgo).Select(t => t.Id).ToListAsync();
        var notDue = await db.Tickets.Where(t => t.State == TicketState.Closed && t.ClosedAt >= yearAgo).Select(t => t.Id).FirstAsync();
        Assert.True(due.Count > 20, $"only {due.Count} tickets closed over a year ago");
        await ReportOutcomes.RefreshAsync(db, GeneratedDesk.Now, null, CancellationToken.None);
        var keptBefore = await KeptOutcomesTests.SnapshotAsync(db);

        var options = new PrivacyOptions { RawMailDays = 30, AttachmentDays = 30, ClosedTicketPersonalDataDays = 365, BatchSize = 7 };
        var removed = await RetentionOn(db, options).RunAsync(CancellationToken.None);

        Assert.Equal((due.Count, 1L, 1L), (removed.Tickets, removed.RawMails, removed.Attachments));
        db.ChangeTracker.Clear();
        Assert.Equal(0L, (await db.InboundMails.AsNoTracking().SingleAsync(m => m.Id == oldMail)).Size);
        Assert.Empty((await db.InboundMails.AsNoTracking().SingleAsync(m => m.Id == oldMail)).Raw);
        Assert.True((await db.InboundMails.AsNoTracking().SingleAsync(m => m.Id == youngMail)).Size > 0);
        Assert.False(await db.Attachments.AnyAsync(a => a.Id == oldFile));
        Assert.True(await db.Attachments.AnyAsync(a => a.Id == youngFile));
        var anonymised = await db.Tickets.AsNoTracking().Include(t => t.Conversation).Where(t => due.Contains(t.Id)).ToListAsync();
        Assert.All(anonymised, t =>
        {
            Assert.Equal((Ticket.Removed, (DateTime?)GeneratedDesk.Now), (t.Subject, t.PersonalDataRemovedAt));
            Assert.All(t.Conversation, e => Assert.Equal(Ticket.Removed, e.Body));
        });
        Assert.NotEqual(Ticket.Removed, (await db.Tickets.AsNoTracking().SingleAsync(t => t.Id == notDue)).Subject);
        var run = await db.PrivacyEvents.SingleAsync();
        Assert.Equal((due.Count, 1L, 1L), (run.Tickets, run.RawMails, run.Attachments));

        await ReportOutcomes.RefreshAsync(db, GeneratedDesk.Now, null, CancellationToken.None);
        Assert.Equal(keptBefore, await KeptOutcomesTests.SnapshotAsync(db));

        // Again at the same time: nothing is left to remove.
        Assert.True((await RetentionOn(db, options).RunAsync(CancellationToken.None)).IsEmpty);
        // Forty days on, the file that was ten days old has come of age too.
        _clock.Advance(TimeSpan.FromDays(40));
        Assert.Equal(1L, (await RetentionOn(db, options).RunAsync(CancellationToken.None)).Attachments);
    }

    /// <summary>A mail and a file 40 days old and 10 days old, on a ticket still open (so only their own periods apply).</summary>
    private static async Task<(long OldMail, long YoungMail, long OldFile, long YoungFile)> AddMailsAndFilesAsync(DeskDbContext db)
    {
        var ticket = await db.Tickets.Include(t => t.Conversation).Where(t => t.State == TicketState.InProgress).OrderBy(t => t.Id).FirstAsync();
        var entry = ticket.Conversation.First();
        var mails = new[] { 40, 10 }.Select(days =>
        {
            var mail = new InboundMail($"mid:retention-{days}@example.org", $"retention-{days}@example.org", "test", "someone@example.org", "Lamp",
                GeneratedDesk.Now.AddDays(-days), InboundOutcome.Added, null, "From: someone@example.org\r\n\r\nLamp"u8.ToArray());
            mail.LinkTo(ticket.Id, entry.Id, null);
            return mail;
        }).ToList();
        var files = new[] { 40, 10 }.Select(days => new Attachment(ticket.Id, entry.Id, $"photo-{days}.png", "image/png", [0x89, 0x50, 0x4E, 0x47], GeneratedDesk.Now.AddDays(-days))).ToList();
        db.InboundMails.AddRange(mails);
        db.Attachments.AddRange(files);
        await db.SaveChangesAsync();
        return (mails[0].Id, mails[1].Id, files[0].Id, files[1].Id);
    }
}

public sealed class RetentionTestsOnSqlite() : RetentionTests(DatabaseProvider.Sqlite);

public sealed class RetentionTestsOnPostgres() : RetentionTests(DatabaseProvider.Postgres), IRunsOnPostgres;

using System.Diagnostics;
using System.Globalization;
using Desk.Domain.Loyalty;
using Desk.Tests.Reports;
using Desk.Tests.Support;
using Desk.Web.Data;
using Desk.Web.Features.Reports;
using MailKit.Net.Smtp;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Npgsql;
using Xunit.Abstractions;

namespace Desk.Tests.Cluster;

/// <summary>
/// Nothing lost, nothing doubled when a desk of two dies: two desk processes and nginx on one PostgreSQL database and one
/// Dovecot mailbox; 500 mails sent over SMTP while 200 complaints are filed on the public form (fetched through one desk
/// and posted to the other, directly or through nginx); one desk SIGKILLed at a random moment ten times and restarted.
/// Afterwards every mail and every complaint is exactly one ticket with exactly one acknowledgement, delivered once;
/// nothing is quarantined; the queue counters, the search index and the report rollups equal a rebuild; and the mailbox
/// of a killed desk is taken over within <see cref="TakeoverLimit"/>.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterChaosTests(MailStack stack, ITestOutputHelper output)
{
    private const int Mails = 500;
    private const int Complaints = 200;
    private const int Kills = 10;
    private const string Password = "Chaos-Pw-2026";
    private const string DeskAddress = "desk@desk.chaos.test";
    private const string MailSubject = "Chaos mail ";
    private const string WebSubject = "Chaos web ";

    /// <summary>How long mail and complaints keep coming, and the kills with them.</summary>
    private static readonly TimeSpan Load = TimeSpan.FromSeconds(60);

    /// <summary>The longest a killed desk's mailbox may go untended before the other desk (or the restarted one) takes mail in again.</summary>
    private static readonly TimeSpan TakeoverLimit = TimeSpan.FromSeconds(20);

    /// <summary>How long the desks get to finish after the load, at most.</summary>
    private static readonly TimeSpan QuietDeadline = TimeSpan.FromSeconds(120);

    private static string MailCustomer(int i) => $"mail{i}@customers.chaos.test";
    private static string WebCustomer(int i) => $"web{i}@customers.chaos.test";

    [ClusterFact(mailStack: true)]
    public async Task ChaosRun_TwoDesksOneKilledTenTimes_NothingLostNothingDoubled()
    {
        var run = Stopwatch.StartNew();
        var seed = Environment.TickCount & 0xFFFF;
        var random = new Random(seed);
        var runId = Guid.NewGuid().ToString("N")[..8];
        output.WriteLine($"seed {seed}");

        await stack.AddUsersAsync([(DeskAddress, Password),
            .. Enumerable.Range(1, Mails).Select(i => (MailCustomer(i), Password)),
            .. Enumerable.Range(1, Complaints).Select(i => (WebCustomer(i), Password))]);
        var settings = new Dictionary<string, string>
        {
            ["Desk__Mail__Address"] = DeskAddress,
            ["Desk__Mail__Mailboxes__0__Host"] = stack.Host,
            ["Desk__Mail__Mailboxes__0__Port"] = stack.ImapPort.ToString(CultureInfo.InvariantCulture),
            ["Desk__Mail__Mailboxes__0__Security"] = "None",
            ["Desk__Mail__Mailboxes__0__User"] = DeskAddress,
            ["Desk__Mail__Mailboxes__0__Password"] = Password,
            ["Desk__Mail__Smtp__Host"] = stack.Host,
            ["Desk__Mail__Smtp__Port"] = stack.SmtpPort.ToString(CultureInfo.InvariantCulture),
            ["Desk__Mail__Smtp__Security"] = "None",
            ["Desk__Mail__Smtp__User"] = DeskAddress,
            ["Desk__Mail__Smtp__Password"] = Password,
        };
        await using var cluster = await DeskCluster.StartAsync(2, settings);
        output.WriteLine($"700 mailboxes, two desks and nginx up in {run.Elapsed.TotalSeconds:0.0} s");
        try
        {
            // The load: mail, complaints and kills at once, for about a minute.
            var schedule = new LoadSchedule(DateTime.UtcNow);
            var mails = SendMailsAsync(schedule, runId);
            var complaints = FileComplaintsAsync(schedule, cluster);
            var kills = KillAsync(schedule, cluster, random);
            await Task.WhenAll(mails, complaints, kills);
            var loadTime = DateTime.UtcNow - schedule.Start;

            var quiet = await WaitUntilQuietAsync(cluster.Database);
            var drainTime = DateTime.UtcNow - schedule.Start - loadTime;
            foreach (var desk in cluster.Desks) desk.Kill(); // still: nothing moves while it is counted
            await AssertNothingLostNothingDoubledAsync(cluster, mails.Result, complaints.Result, kills.Result, quiet, loadTime, drainTime);
            output.WriteLine($"run time {run.Elapsed.TotalSeconds:0.0} s");
        }
        catch
        {
            cluster.KeepFolder = true;
            output.WriteLine($"Logs kept in {cluster.Folder}\n{cluster.Logs(15)}");
            throw;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // the load

    /// <summary>
    /// When each mail, complaint and kill is due: evenly over <see cref="Load"/>, the kills one per tenth of it, in its
    /// first half. Mail and complaints due after a kill wait until it has happened, so every kill finds mail and
    /// complaints coming: on a slow machine, where a restart takes longer than a tenth, the load stretches rather than
    /// running out before the last kills.
    /// </summary>
    private sealed class LoadSchedule(DateTime start)
    {
        private readonly TaskCompletionSource[] _killed = [.. Enumerable.Range(0, Kills).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))];

        public DateTime Start { get; } = start;

        public TimeSpan Slot => Load / Kills;

        /// <summary>Waits until the item at <paramref name="fraction"/> of the load is due.</summary>
        public async Task TurnAsync(double fraction)
        {
            await DelayUntilAsync(Start + Load * fraction);
            // A tenth's kill comes in its first half: the second half waits for it, the first for the one before.
            var slot = (int)(fraction * Kills);
            var kill = fraction * Kills - slot >= 0.5 ? slot : slot - 1;
            if (kill >= 0) await _killed[kill].Task;
        }

        public void Killed(int k) => _killed[k].TrySetResult();

        /// <summary>The killer gave up: nobody waits for its kills any more.</summary>
        public void Abandon()
        {
            foreach (var kill in _killed) kill.TrySetResult();
        }
    }

    /// <summary>The mails, evenly over <see cref="Load"/>, each from its own customer with its own Message-ID; when each was sent.</summary>
    private async Task<DateTime[]> SendMailsAsync(LoadSchedule schedule, string runId)
    {
        var sentAt = new DateTime[Mails + 1];
        SmtpClient? smtp = null;
        try
        {
            for (var i = 1; i <= Mails; i++)
            {
                await schedule.TurnAsync((i - 1.0) / Mails);
                var message = new MimeMessage
                {
                    Subject = MailSubject + i,
                    Body = new TextPart("plain") { Text = $"Complaint {i} by mail: the kettle I ordered leaks at the seam." },
                    MessageId = $"chaos-{runId}-{i}@customers.chaos.test",
                    Date = DateTimeOffset.UtcNow,
                };
                message.From.Add(new MailboxAddress($"Mail customer {i}", MailCustomer(i)));
                message.To.Add(new MailboxAddress("Desk", DeskAddress));
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        smtp ??= await stack.ConnectSmtpAsync();
                        await smtp.SendAsync(message);
                        break;
                    }
                    catch (Exception e) when (attempt < 5 && e is IOException or MailKit.ServiceNotConnectedException or MailKit.ProtocolException
                        or SmtpCommandException or System.Net.Sockets.SocketException)
                    {
                        smtp?.Dispose();
                        smtp = null;
                        await Task.Delay(200);
                    }
                }
                sentAt[i] = DateTime.UtcNow;
            }
            await smtp!.DisconnectAsync(quit: true);
        }
        finally
        {
            smtp?.Dispose();
        }
        return sentAt;
    }

    /// <summary>
    /// The complaints, evenly over <see cref="Load"/>, two customers at a time. Odd ones fetch the form straight from one
    /// desk and post it straight to the other (desks alternating); even ones fetch and post through nginx, whose
    /// round-robin sends the two requests to different desks whenever nobody else comes between them.
    /// </summary>
    private static async Task<FiledComplaint[]> FileComplaintsAsync(LoadSchedule schedule, DeskCluster cluster)
    {
        using var filer = new ComplaintFiler(cluster.BalancerUrl);
        var filed = new FiledComplaint[Complaints];
        await Parallel.ForEachAsync(Enumerable.Range(1, Complaints), new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (i, _) =>
        {
            await schedule.TurnAsync((i - 1.0) / Complaints);
            var (formFrom, postTo) = i % 2 == 1
                ? (cluster.Desks[i / 2 % 2].Url, cluster.Desks[1 - i / 2 % 2].Url)
                : (cluster.BalancerUrl, cluster.BalancerUrl);
            filed[i - 1] = await filer.FileAsync(i, formFrom, postTo, new Dictionary<string, string>
            {
                ["Name"] = $"Web customer {i}",
                ["Email"] = WebCustomer(i),
                ["Kind"] = "Complaint",
                ["OrderReference"] = "",
                ["Subject"] = WebSubject + i,
                ["Description"] = $"Complaint {i} on the form: the courier left the parcel in the rain.",
                ["RemedySoughtId"] = "",
            });
        });
        return filed;
    }

    private sealed record Kill(int Number, string Desk, DateTime At, TimeSpan Down);

    /// <summary>
    /// Ten kills, one in each tenth of <see cref="Load"/> at a random moment of its first half; the desks take turns (the
    /// first at random), so whichever holds the mailbox dies several times. The killed desk starts again after a random
    /// 0.3–1.5 s, and both run together 1.5–3 s before the next kill (on a slow machine a tenth overruns: the
    /// next kill comes then, and the load waits for it).
    /// </summary>
    private static async Task<List<Kill>> KillAsync(LoadSchedule schedule, DeskCluster cluster, Random random)
    {
        var kills = new List<Kill>();
        var first = random.Next(cluster.Desks.Count);
        try
        {
            for (var k = 0; k < Kills; k++)
            {
                await DelayUntilAsync(schedule.Start + schedule.Slot * (k + 0.1 + random.NextDouble() * 0.4));
                var desk = cluster.Desks[(first + k) % cluster.Desks.Count];
                var at = DateTime.UtcNow;
                desk.Kill();
                schedule.Killed(k);
                await Task.Delay(random.Next(200, 800)); // down a moment before it is started again
                await desk.StartAsync();
                kills.Add(new Kill(k + 1, desk.Name, at, DateTime.UtcNow - at));
                await Task.Delay(random.Next(1000, 2000)); // both serve a while: forms cross from one to the other

            }
        }
        finally
        {
            schedule.Abandon();
        }
        return kills;
    }

    private static async Task DelayUntilAsync(DateTime at)
    {
        var wait = at - DateTime.UtcNow;
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // waiting until the desks are done

    private sealed record Progress(long MailTickets, long Inbound, long Queued, long Sent, long Marked);

    /// <summary>
    /// Waits until the desks are done: every mail taken in, nothing left in the outbox, no customer's report rows waiting,
    /// and nothing moved for 3 s; or nothing moved for 20 s (stuck: the assertions say where); at most <see cref="QuietDeadline"/>.
    /// </summary>
    private static async Task<Progress> WaitUntilQuietAsync(TestDatabase database)
    {
        var deadline = Stopwatch.StartNew();
        Progress? last = null;
        var unchanged = Stopwatch.StartNew();
        while (true)
        {
            var now = await ProgressAsync(database);
            if (now != last) unchanged.Restart();
            last = now;
            var done = now.MailTickets >= Mails && now.Queued == 0 && now.Marked == 0;
            if ((done && unchanged.Elapsed > TimeSpan.FromSeconds(3)) || unchanged.Elapsed > TimeSpan.FromSeconds(20) || deadline.Elapsed > QuietDeadline)
                return now;
            await Task.Delay(500);
        }
    }

    private static async Task<Progress> ProgressAsync(TestDatabase database)
    {
        await using var connection = (NpgsqlConnection)database.OpenConnection();
        return new Progress(
            await ScalarAsync(connection, $"""SELECT COUNT(*) FROM "Tickets" WHERE "Channel" = 'Email' AND "Subject" LIKE '{MailSubject}%'"""),
            await ScalarAsync(connection, """SELECT COUNT(*) FROM "InboundMails" """),
            await ScalarAsync(connection, """SELECT COUNT(*) FROM "OutboundMails" WHERE "State" = 'Queued'"""),
            await ScalarAsync(connection, """SELECT COUNT(*) FROM "OutboundMails" WHERE "State" = 'Sent'"""),
            await ScalarAsync(connection, """SELECT COUNT(*) FROM "OutcomesDirty" """));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // the proof

    private async Task AssertNothingLostNothingDoubledAsync(DeskCluster cluster, DateTime[] mailsSentAt, FiledComplaint[] filed,
        List<Kill> kills, Progress quiet, TimeSpan loadTime, TimeSpan drainTime)
    {
        var database = cluster.Database;
        await using var connection = (NpgsqlConnection)database.OpenConnection();
        var mailTickets = await ScalarAsync(connection, $"""SELECT COUNT(*) FROM "Tickets" WHERE "Channel" = 'Email' AND "Subject" LIKE '{MailSubject}%'""");
        var distinctMailTickets = await ScalarAsync(connection, $"""SELECT COUNT(DISTINCT "Subject") FROM "Tickets" WHERE "Channel" = 'Email' AND "Subject" LIKE '{MailSubject}%'""");
        var webTickets = await ScalarAsync(connection, $"""SELECT COUNT(*) FROM "Tickets" WHERE "Channel" = 'Web' AND "Subject" LIKE '{WebSubject}%'""");
        var distinctWebTickets = await ScalarAsync(connection, $"""SELECT COUNT(DISTINCT "Subject") FROM "Tickets" WHERE "Channel" = 'Web' AND "Subject" LIKE '{WebSubject}%'""");
        var otherTickets = await ScalarAsync(connection, $"""SELECT COUNT(*) FROM "Tickets" WHERE "Subject" NOT LIKE '{MailSubject}%' AND "Subject" NOT LIKE '{WebSubject}%'""");
        var inboundOpened = await ScalarAsync(connection, """SELECT COUNT(*) FROM "InboundMails" WHERE "Outcome" = 'Opened'""");
        var quarantined = await ScalarAsync(connection, """SELECT COUNT(*) FROM "QuarantinedMails" """);
        var ticketsWithoutOneAck = await ScalarAsync(connection, """
            SELECT COUNT(*) FROM "Tickets" AS t
            WHERE (SELECT COUNT(*) FROM "OutboundMails" AS o WHERE o."TicketId" = t."Id" AND o."Kind" = 'Acknowledgement') <> 1
            """);
        var acks = await ScalarAsync(connection, """SELECT COUNT(*) FROM "OutboundMails" WHERE "Kind" = 'Acknowledgement'""");
        var acksSent = await ScalarAsync(connection, """SELECT COUNT(*) FROM "OutboundMails" WHERE "Kind" = 'Acknowledgement' AND "State" = 'Sent'""");
        var ackMessageIds = await ScalarAsync(connection, """SELECT COUNT(DISTINCT "MessageId") FROM "OutboundMails" WHERE "Kind" = 'Acknowledgement'""");
        var otherOutbound = await ScalarAsync(connection, """SELECT COUNT(*) FROM "OutboundMails" WHERE "Kind" <> 'Acknowledgement'""");
        var delivered = await DeliveredAsync();
        var (counters, recounted) = await CountersAsync(connection);
        var (index, rebuiltIndex) = await SearchIndexAsync(connection);
        var (marked, rollups, rebuiltRollups) = await RollupsAsync(database);
        var takeovers = await TakeoversAsync(connection, kills, mailsSentAt);

        var failed = filed.Where(f => !f.Filed).ToList();
        var retried = filed.Count(f => f.Posts > 1);
        var maxTakeover = takeovers.Where(t => t.Gap is not null).Select(t => t.Gap!.Value).DefaultIfEmpty().Max();
        output.WriteLine($"load {loadTime.TotalSeconds:0.0} s, then quiet after {drainTime.TotalSeconds:0.0} s more ({quiet})");
        output.WriteLine($"mails: {Mails} sent over SMTP, {inboundOpened} opened a ticket, {mailTickets} mail tickets ({distinctMailTickets} distinct), {quarantined} quarantined");
        output.WriteLine($"complaints: {Complaints} filed by customers, {filed.Count(f => f.Filed)} answered with a status link, {retried} retried after a dead desk "
            + $"({filed.Sum(f => Math.Max(0, f.Posts - 1))} posts sent again, {filed.Sum(f => f.FormFetches - 1)} forms fetched again), {failed.Count} failed; "
            + $"{webTickets} web tickets ({distinctWebTickets} distinct)");
        foreach (var reason in failed.GroupBy(f => f.Failure).OrderByDescending(g => g.Count()))
            output.WriteLine($"  {reason.Count()} × {reason.Key}");
        output.WriteLine($"acknowledgements: {acks} in the outbox ({ackMessageIds} distinct Message-IDs, {acksSent} sent), tickets without exactly one: {ticketsWithoutOneAck}; "
            + $"delivered: {delivered.Total} to {delivered.Customers} customers, {delivered.Missing} got none, {delivered.Doubled} got more than one ({delivered.SameMessageIdTwice} the same Message-ID twice)");
        output.WriteLine($"kills: {kills.Count}; takeover (kill to the next mail taken in): max {maxTakeover.TotalSeconds:0.0} s");
        foreach (var t in takeovers)
            output.WriteLine($"  kill {t.Kill.Number,2} of desk {t.Kill.Desk} at +{(t.Kill.At - kills[0].At).TotalSeconds,5:0.0} s, back after {t.Kill.Down.TotalSeconds:0.0} s; "
                + (t.Gap is { } gap ? $"next mail taken in after {gap.TotalSeconds:0.0} s" : "no mail in flight"));
        output.WriteLine($"queue counters: {counters.Count} kept, {recounted.Count} recounted; search index: {index.Count} documents, {rebuiltIndex.Count} rebuilt; "
            + $"report rows: {marked} customers still marked, {rollups.Count(c => c == '\n')} rows and rollups {(rollups == rebuiltRollups ? "equal to" : "differ from")} a rebuild");

        Assert.Multiple(
            () => Assert.True(mailTickets == Mails && distinctMailTickets == Mails,
                $"{Mails} mails should make {Mails} tickets: {mailTickets} mail tickets, {distinctMailTickets} distinct (lost: {Mails - distinctMailTickets}, doubled: {mailTickets - distinctMailTickets})."),
            () => Assert.True(failed.Count == 0, $"{failed.Count} complaints were not filed: " + string.Join("; ", failed.GroupBy(f => f.Failure).Select(g => $"{g.Count()} × {g.Key}"))),
            () => Assert.True(webTickets == Complaints && distinctWebTickets == Complaints,
                $"{Complaints} complaints should make {Complaints} tickets: {webTickets} web tickets, {distinctWebTickets} distinct (lost: {Complaints - distinctWebTickets}, doubled: {webTickets - distinctWebTickets}; {retried} posts were sent again)."),
            () => Assert.Equal(0, otherTickets),
            () => Assert.True(quarantined == 0, $"{quarantined} mails were quarantined."),
            () => Assert.True(ticketsWithoutOneAck == 0 && acks == mailTickets + webTickets && ackMessageIds == acks,
                $"Every ticket should have exactly one acknowledgement: {ticketsWithoutOneAck} tickets do not; {acks} acknowledgements with {ackMessageIds} distinct Message-IDs for {mailTickets + webTickets} tickets."),
            () => Assert.True(acksSent == acks, $"{acks - acksSent} acknowledgements were never sent."),
            // At least once, as the README says: a desk killed after the mail server took a mail and before the desk
            // marked it sent leaves it to be sent again, with the same Message-ID (clients show it once). The sender marks
            // each mail as soon as it is known, so a kill doubles at most the one mail in flight; a second Message-ID, a
            // lost mail or more doubles than kills is a fault.
            () => Assert.True(delivered.Missing == 0 && delivered.Doubled == delivered.SameMessageIdTwice && delivered.SameMessageIdTwice <= kills.Count,
                $"Every customer should get one acknowledgement (the same mail again at most once per kill): {delivered.Missing} got none, "
                + $"{delivered.Doubled} more than one ({delivered.SameMessageIdTwice} the same mail twice, {kills.Count} kills)."),
            () => Assert.Equal(0, otherOutbound),
            () => Assert.Equal(recounted, counters),
            () => Assert.True(index.Count == rebuiltIndex.Count && index.All(d => rebuiltIndex.GetValueOrDefault(d.Key) == d.Value),
                $"The search index should equal a rebuild: {index.Count} documents kept, {rebuiltIndex.Count} rebuilt, "
                + $"{index.Count(d => rebuiltIndex.GetValueOrDefault(d.Key) != d.Value)} differ, {rebuiltIndex.Keys.Count(k => !index.ContainsKey(k))} missing."),
            () => Assert.True(rollups == rebuiltRollups, $"The report rows and rollups should equal a rebuild; first difference:\n{FirstDifference(rollups, rebuiltRollups)}"),
            () => Assert.Equal(Kills, kills.Count),
            () => Assert.True(maxTakeover <= TakeoverLimit,
                $"A killed desk's mailbox should be taken over within {TakeoverLimit.TotalSeconds:0} s; the longest wait for the next mail was {maxTakeover.TotalSeconds:0.0} s."));
    }

    private sealed record Deliveries(int Customers, int Total, int Missing, int Doubled, int SameMessageIdTwice);

    /// <summary>
    /// The acknowledgements in the customers' own mailboxes (each customer gets nothing else): read from the Maildirs, once
    /// their count has stopped moving (Exim hands mail to Dovecot a moment after the desk's SMTP session ends).
    /// </summary>
    private async Task<Deliveries> DeliveredAsync()
    {
        var customers = Enumerable.Range(1, Mails).Select(MailCustomer).Concat(Enumerable.Range(1, Complaints).Select(WebCustomer)).ToList();
        List<string[]> Read() => [.. customers.Select(c => new[] { "new", "cur" }
            .Select(sub => Path.Combine(stack.MaildirOf(c), sub)).Where(Directory.Exists).SelectMany(Directory.GetFiles).ToArray())];
        var files = Read();
        for (var i = 0; i < 20; i++)
        {
            await Task.Delay(250);
            var again = Read();
            if (again.Sum(f => f.Length) == files.Sum(f => f.Length)) break;
            files = again;
        }
        var sameTwice = 0;
        foreach (var mailbox in files.Where(f => f.Length > 1))
        {
            var ids = mailbox.Select(path => MimeMessage.Load(path).MessageId).ToList();
            if (ids.Distinct().Count() < ids.Count) sameTwice++;
        }
        return new(customers.Count, files.Sum(f => f.Length), files.Count(f => f.Length == 0), files.Count(f => f.Length > 1), sameTwice);
    }

    /// <summary>The queue's counters as the triggers kept them, and as a recount from the tickets makes them (rolled back).</summary>
    private static async Task<(SortedDictionary<string, long> Kept, SortedDictionary<string, long> Recounted)> CountersAsync(NpgsqlConnection connection)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        var kept = await CountersAsync(connection, transaction);
        await using (var recount = new NpgsqlCommand(QueueCounterKeys.Recount(), connection, transaction))
            await recount.ExecuteNonQueryAsync();
        var recounted = await CountersAsync(connection, transaction);
        await transaction.RollbackAsync();
        return (kept, recounted);
    }

    private static async Task<SortedDictionary<string, long>> CountersAsync(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        var counters = new SortedDictionary<string, long>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand($"""SELECT "Key", "Count" FROM "{QueueCounterKeys.Table}" WHERE "Count" <> 0""", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) counters[reader.GetString(0)] = Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
        return counters;
    }

    /// <summary>Every ticket's search document as the triggers kept it, and as a rebuild makes it (rolled back).</summary>
    private static async Task<(Dictionary<long, string> Kept, Dictionary<long, string> Rebuilt)> SearchIndexAsync(NpgsqlConnection connection)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        var kept = await DocumentsAsync(connection, transaction);
        await using (var rebuild = new NpgsqlCommand(Desk.Web.Data.Postgres.TicketSearchSql.Rebuild(), connection, transaction) { CommandTimeout = 120 })
            await rebuild.ExecuteNonQueryAsync();
        var rebuilt = await DocumentsAsync(connection, transaction);
        await transaction.RollbackAsync();
        return (kept, rebuilt);
    }

    private static async Task<Dictionary<long, string>> DocumentsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        var documents = new Dictionary<long, string>();
        await using var command = new NpgsqlCommand($"""SELECT "TicketId", "Document"::text FROM "{Desk.Web.Data.Postgres.TicketSearchSql.Table}" """, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) documents[reader.GetInt64(0)] = reader.GetString(1);
        return documents;
    }

    /// <summary>
    /// The report rows and rollups the desks kept (any customer still marked brought up to date first, as the next report
    /// would), and what a rebuild from nothing makes of the same data at the same cutoff (KeptOutcomesTests' snapshot).
    /// </summary>
    private static async Task<(long Marked, string Kept, string Rebuilt)> RollupsAsync(TestDatabase database)
    {
        await using var db = database.NewContext();
        var thresholds = new LoyaltyThresholds(); // the desks' own: Desk:Loyalty is not set
        var marked = await ReportOutcomes.BacklogAsync(db, CancellationToken.None, thresholds);
        await db.Database.OpenConnectionAsync();
        await using var cutoff = db.Database.GetDbConnection().CreateCommand();
        cutoff.CommandText = ReportDialect.Cutoff;
        // At the desks' cutoff: a refresh moves the rollups on only when they lag an hour behind it, and the rebuild ends there too.
        var at = await cutoff.ExecuteScalarAsync() is long ms ? DateTime.UnixEpoch.AddMilliseconds(ms) : DateTime.UtcNow;
        await ReportOutcomes.RefreshAsync(db, at, null, CancellationToken.None, thresholds);
        var kept = await KeptOutcomesTests.SnapshotAsync(db);
        await db.Database.ExecuteSqlRawAsync(KeptOutcomesTests.RebuildAll);
        await ReportOutcomes.RefreshAsync(db, at, null, CancellationToken.None, thresholds);
        return (marked, kept, await KeptOutcomesTests.SnapshotAsync(db));
    }

    private sealed record Takeover(Kill Kill, TimeSpan? Gap);

    /// <summary>
    /// For each kill while mail was still coming: how long until the next mail was taken in (by whichever desk). With mail
    /// arriving every eighth of a second, a gap much longer than that is the mailbox standing untended.
    /// </summary>
    private static async Task<List<Takeover>> TakeoversAsync(NpgsqlConnection connection, List<Kill> kills, DateTime[] mailsSentAt)
    {
        var taken = new List<long>();
        await using (var command = new NpgsqlCommand("""SELECT "ReceivedAt" FROM "InboundMails" ORDER BY 1""", connection))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) taken.Add(reader.GetInt64(0));
        var lastSent = mailsSentAt.Max();
        return [.. kills.Select(kill =>
        {
            if (kill.At >= lastSent) return new Takeover(kill, null);
            var at = StoredValues.UnixMilliseconds(kill.At);
            var next = taken.FirstOrDefault(t => t > at);
            return new Takeover(kill, next == 0 ? QuietDeadline : TimeSpan.FromMilliseconds(next - at));
        })];
    }

    private static string FirstDifference(string kept, string rebuilt)
    {
        var (a, b) = (kept.Split('\n'), rebuilt.Split('\n'));
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
            if (i >= a.Length || i >= b.Length || a[i] != b[i])
                return $"line {i + 1}: kept    {(i < a.Length ? a[i] : "(none)")}\n         rebuilt {(i < b.Length ? b[i] : "(none)")}";
        return "(none)";
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}

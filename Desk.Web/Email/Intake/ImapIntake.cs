using Desk.Web.Data;
using Desk.Web.Email.Outbound;
using Desk.Web.Email.Servers;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Desk.Web.Email.Intake;

/// <summary>
/// Takes mail in from IMAP mailboxes, one loop per mailbox: fetched by UID above the checkpoint (never by the unread flag),
/// each mail committed as a ticket before it is marked done on the server (moved, or flagged) and the checkpoint moves
/// on; then IMAP IDLE waits for the next mail where the server offers it, polling otherwise. A mailbox that fails is
/// retried with back-off and reported stale on /healthz once it stays down. However many desks share the database, one
/// at a time reads each mailbox (the mailbox's lease, see <see cref="WorkLeases"/>); another takes over when it dies.
/// The mailboxes are the settings file's and the ones admins keep on /admin/mail (<see cref="MailServers"/>): they are
/// read again whenever an admin changes one on any desk (<see cref="DeskSignals.MailSources"/>) and every
/// <see cref="RecheckEvery"/> besides (a signal lost while a desk reconnects), and a mailbox added, changed or removed is
/// started, restarted or stopped without a restart of the desk.
/// </summary>
public sealed class ImapIntake(IServiceScopeFactory scopes, IOptions<MailOptions> options, MailStatus status, OAuth2Tokens tokens, WorkLeases leases,
    DeskSignals signals, ILogger<ImapIntake> log) : BackgroundService
{
    /// <summary>The keyword set on taken-in mail when there is no done folder, for people reading the mailbox.</summary>
    public const string DoneKeyword = "$DeskDone";

    /// <summary>How often the mailboxes are read again without a signal: the backstop for a signal a desk did not hear.</summary>
    public static readonly TimeSpan RecheckEvery = TimeSpan.FromSeconds(30);

    private readonly OutboxSignal _changed = new();

    /// <summary>A mailbox being polled (or waiting for its lease): what it was started with, and how to stop it.</summary>
    private sealed record Poller(string Settings, CancellationTokenSource Stop, Task Running);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        signals.On(DeskSignals.MailSources, _changed.Pulse);
        var pollers = new Dictionary<string, Poller>(StringComparer.OrdinalIgnoreCase);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await FollowAsync(pollers, stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    log.LogError(e, "Could not follow the mailboxes' changes; looking again shortly."); // never the end of every poller
                }
                try { await _changed.WaitAsync(RecheckEvery, stoppingToken); }
                catch (OperationCanceledException) { break; }
            }
        }
        finally
        {
            foreach (var poller in pollers.Values) await poller.Stop.CancelAsync();
            await Task.WhenAll(pollers.Values.Select(p => p.Running));
        }
    }

    /// <summary>Starts the mailboxes that are new, restarts the changed ones and stops the ones that are gone or disabled.</summary>
    private async Task FollowAsync(Dictionary<string, Poller> pollers, CancellationToken stoppingToken)
    {
        IReadOnlyList<MailboxOptions> wanted;
        var complete = true;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            wanted = [.. (await scope.ServiceProvider.GetRequiredService<MailServers>().MailboxesAsync(stoppingToken)).Select(m => m.Options)];
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // The database is away: the settings file's mailboxes still run, and the page's keep what they had.
            log.LogWarning("Could not read the mail servers ({Error}); trying again shortly.", e.Message);
            wanted = options.Value.Mailboxes;
            complete = false;
        }
        catch (OperationCanceledException)
        {
            return;
        }
        wanted = [.. wanted.DistinctBy(m => m.DisplayName, StringComparer.OrdinalIgnoreCase)]; // one poller per name, whatever the settings say
        var settings = wanted.ToDictionary(m => m.DisplayName, m => System.Text.Json.JsonSerializer.Serialize(m), StringComparer.OrdinalIgnoreCase);
        foreach (var (name, poller) in pollers.ToList())
        {
            if (settings.TryGetValue(name, out var now) ? now == poller.Settings : !complete) continue;
            log.LogInformation("Mailbox {Mailbox}: {Change}; its poller stops.", name, settings.ContainsKey(name) ? "changed" : "removed or disabled");
            await poller.Stop.CancelAsync();
            await poller.Running;
            poller.Stop.Dispose();
            pollers.Remove(name);
        }
        foreach (var mailbox in wanted)
        {
            if (pollers.ContainsKey(mailbox.DisplayName)) continue;
            var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var running = leases.RunWhileHeldAsync("mailbox " + mailbox.DisplayName, ct => RunAsync(mailbox, ct), stop.Token);
            pollers[mailbox.DisplayName] = new Poller(settings[mailbox.DisplayName], stop, running);
        }
    }

    private async Task RunAsync(MailboxOptions mailbox, CancellationToken ct)
    {
        var name = mailbox.DisplayName;
        status.Expect(name);
        var wait = TimeSpan.FromSeconds(2);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                using var client = new ImapClient();
                await ConnectAsync(client, mailbox, tokens, ct);
                var folder = await client.GetFolderAsync(mailbox.Folder, ct);
                await folder.OpenAsync(FolderAccess.ReadWrite, ct);
                var done = mailbox.DoneFolder is { Length: > 0 } doneName ? await client.GetFolderAsync(doneName, ct) : null;
                // Mail that arrives while a round is being taken in is announced during it (EXISTS), before IDLE listens.
                var arrived = false;
                folder.CountChanged += (_, _) => arrived = true;
                log.LogInformation("Mailbox {Mailbox}: connected, {Count} mails in {Folder}, IDLE {Idle}.", name, folder.Count, folder.FullName,
                    client.Capabilities.HasFlag(ImapCapabilities.Idle) ? "yes" : "no");
                wait = TimeSpan.FromSeconds(2);
                while (!ct.IsCancellationRequested)
                {
                    arrived = false;
                    var taken = await DrainAsync(name, folder, done, ct);
                    var idle = client.Capabilities.HasFlag(ImapCapabilities.Idle);
                    status.Succeeded(name, taken, idle);
                    if (taken > 0 || arrived) continue;
                    if (idle) await IdleAsync(client, folder, ct);
                    else
                    {
                        await Task.Delay(TimeSpan.FromSeconds(options.Value.PollSeconds), ct);
                        await client.NoOpAsync(ct);
                    }
                }
                await client.DisconnectAsync(true, CancellationToken.None);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                status.Failed(name, e.Message);
                log.LogWarning("Mailbox {Mailbox}: {Error} — trying again in {Wait} s.", name, e.Message, wait.TotalSeconds);
                try { await Task.Delay(wait, ct); }
                catch (OperationCanceledException) { return; }
                wait = TimeSpan.FromSeconds(Math.Min(60, wait.TotalSeconds * 2));
            }
        }
    }

    /// <summary>Takes in every mail above the checkpoint, oldest UID first; returns how many.</summary>
    private async Task<int> DrainAsync(string name, IMailFolder folder, IMailFolder? done, CancellationToken ct)
    {
        using var batch = scopes.CreateScope(); // one unit of work for the batch: its connection and SLA targets are set up once
        var db = batch.ServiceProvider.GetRequiredService<DeskDbContext>();
        var start = await db.MailboxCheckpoints.FindAsync([name], ct);
        if (start is null) db.MailboxCheckpoints.Add(start = new MailboxCheckpoint(name));
        start.SeeUidValidity(folder.UidValidity);
        await db.SaveChangesAsync(ct); // a new mailbox, or a new UIDVALIDITY; nothing otherwise
        var lastUid = start.LastUid;
        if (folder.Count == 0) return 0;
        var range = new UniqueIdRange(new UniqueId(folder.UidValidity, (uint)Math.Min(uint.MaxValue - 1, lastUid + 1)), UniqueId.MaxValue);
        var uids = (await folder.SearchAsync(SearchQuery.Uids(range), ct)).Where(u => u.Id > lastUid).OrderBy(u => u.Id).Take(500).ToList();
        var intake = batch.ServiceProvider.GetRequiredService<MailIntake>();
        var sizes = (await folder.FetchAsync(uids, MessageSummaryItems.UniqueId | MessageSummaryItems.Size, ct))
            .ToDictionary(m => m.UniqueId.Id, m => (long)(m.Size ?? 0));
        foreach (var chunk in MailIntake.Batches(uids, uid => sizes.GetValueOrDefault(uid.Id)))
        {
            var raws = new Dictionary<uint, byte[]>(chunk.Count);
            async Task Keep(ImapFolder _, int index, UniqueId uid, Stream stream, CancellationToken token)
            {
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, token);
                raws[uid.Id] = buffer.ToArray();
            }
            await ((ImapFolder)folder).GetStreamsAsync(chunk, Keep, ct); // one FETCH for the batch
            var fetched = chunk.Where(uid => raws.ContainsKey(uid.Id)).ToList(); // a mail expunged meanwhile is simply gone
            var results = await intake.TakeManyAsync(fetched.Select(uid => raws[uid.Id]).ToList(), name, ct);
            for (var i = 0; i < fetched.Count; i++)
                log.LogDebug("Mailbox {Mailbox} UID {Uid}: {Outcome} {Ticket}", name, fetched[i].Id, results[i].Outcome, results[i].TicketId);

            // Committed: now (and only now) the server may forget them, then the checkpoint moves on. A crash in between
            // fetches them again, and the intake's dedupe makes that a no-op.
            if (fetched.Count > 0)
            {
                if (done is not null) await folder.MoveToAsync(fetched, done, ct);
                else await folder.StoreAsync(fetched, new StoreFlagsRequest(StoreAction.Add, MessageFlags.Seen) { Keywords = { DoneKeyword }, Silent = true }, ct);
            }
            db.ChangeTracker.Clear();
            var checkpoint = (await db.MailboxCheckpoints.FindAsync([name], ct))!;
            checkpoint.Took(chunk[^1].Id);
            await db.SaveChangesAsync(ct);
        }
        return uids.Count;
    }

    private static async Task IdleAsync(ImapClient client, IMailFolder folder, CancellationToken ct)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(ct);
        done.CancelAfter(TimeSpan.FromMinutes(9)); // servers drop IDLE after 30 min; RFC 2177 asks to renew within 29
        void Arrived(object? sender, EventArgs e) => done.Cancel();
        folder.CountChanged += Arrived;
        try
        {
            await client.IdleAsync(done.Token, ct);
        }
        finally
        {
            folder.CountChanged -= Arrived;
        }
    }

    public static async Task ConnectAsync(ImapClient client, MailboxOptions mailbox, OAuth2Tokens tokens, CancellationToken ct)
    {
        if (mailbox.TrustAnyCertificate) client.ServerCertificateValidationCallback = (_, _, _, _) => true;
        client.Timeout = 60_000;
        await client.ConnectAsync(mailbox.Host, mailbox.Port, Outbound.MailSender.SocketOptions(mailbox.Security), ct);
        if (mailbox.OAuth2.IsConfigured)
            await tokens.AuthenticateAsync(client, mailbox.User, mailbox.OAuth2, ct);
        else if (mailbox.OAuth2AccessToken is { Length: > 0 } token)
            await client.AuthenticateAsync(new SaslMechanismOAuth2(mailbox.User, token), ct);
        else
            await client.AuthenticateAsync(mailbox.User, mailbox.Password ?? "", ct);
    }
}

using Desk.Web.Data;
using Desk.Web.Email.Outbound;
using Microsoft.Extensions.Options;

namespace Desk.Web.Email.Intake;

/// <summary>
/// The embedded default when no mailbox is configured: every .eml file put in the drop folder is taken in, then moved to
/// its processed/ folder — only after the ticket is committed, so a crash in between takes the file in again, which the
/// intake's dedupe turns into a no-op. Nothing is lost and nothing doubled. Desks sharing a database (and the folder)
/// take turns: the one holding the folder's lease reads it.
/// The folder is the one set on /admin/mail when an admin set one (on or off), else the settings file's
/// <c>Desk:Mail:DropFolder</c> while the settings name no mailbox; it is read again when an admin changes it on any desk
/// (<see cref="DeskSignals.MailSources"/>) and every <see cref="ImapIntake.RecheckEvery"/> besides, without a restart.
/// </summary>
public sealed class DropFolderIntake(IServiceScopeFactory scopes, IOptions<MailOptions> options, MailStatus status,
    IHostEnvironment environment, WorkLeases leases, DeskSignals signals, ILogger<DropFolderIntake> log) : BackgroundService
{
    public const string Source = "drop folder";

    private readonly OutboxSignal _changed = new();
    private volatile string? _inUse = options.Value.Mailboxes.Count == 0 ? Servers.MailServers.SettingsDropFolder(options.Value, environment) : null;

    /// <summary>The settings file's drop folder (the default when the page sets none).</summary>
    public string Folder => Servers.MailServers.SettingsDropFolder(options.Value, environment);

    /// <summary>The folder read now (null: none), as last read from the page or the settings.</summary>
    public string? InUse => _inUse;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        signals.On(DeskSignals.MailSources, _changed.Pulse);
        return leases.RunWhileHeldAsync(Source, RunAsync, stoppingToken);
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        var expected = false;
        var recheckAt = 0L;
        var reread = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (reread || Environment.TickCount64 >= recheckAt)
            {
                await FollowAsync(stoppingToken);
                recheckAt = Environment.TickCount64 + (long)ImapIntake.RecheckEvery.TotalMilliseconds;
                reread = false;
            }
            var folder = _inUse;
            if (folder is null) // turned off, or none: nothing to read until that changes
            {
                expected = false;
                try { reread = await _changed.WaitAsync(ImapIntake.RecheckEvery, stoppingToken); }
                catch (OperationCanceledException) { return; }
                continue;
            }
            if (!expected)
            {
                status.Expect(Source);
                log.LogInformation("Taking mail in from the drop folder {Folder} (.eml files).", folder);
                expected = true;
            }
            try
            {
                var taken = await DrainAsync(folder, stoppingToken);
                status.Succeeded(Source, taken);
                if (taken > 0) continue;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                status.Failed(Source, e.Message);
                log.LogError(e, "The drop folder could not be read; trying again shortly.");
            }
            try { reread = await _changed.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>Reads which folder to take mail from; when the database is away, the last one read stays.</summary>
    private async Task FollowAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var now = (await scope.ServiceProvider.GetRequiredService<Servers.MailServers>().DropFolderAsync(ct)).Folder;
            if (now != _inUse) log.LogInformation("The drop folder is now {Folder}.", now ?? "(none)");
            _inUse = now;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            log.LogWarning("Could not read the drop folder's settings ({Error}); trying again shortly.", e.Message);
        }
    }

    /// <summary>Takes in every .eml file in the folder in use now, oldest name first; returns how many (none when there is no folder).</summary>
    public Task<int> DrainAsync(CancellationToken ct) => _inUse is { } folder ? DrainAsync(folder, ct) : Task.FromResult(0);

    private async Task<int> DrainAsync(string folder, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        var processed = Path.Combine(folder, "processed");
        Directory.CreateDirectory(processed);
        // Written to within the settle time: perhaps still being written, so left for a later round. File times are the
        // file system's, so they are compared with the real clock, not the desk's.
        var settled = DateTime.UtcNow - TimeSpan.FromSeconds(options.Value.DropFolderSettleSeconds);
        var files = Directory.EnumerateFiles(folder, "*.eml").Order(StringComparer.Ordinal)
            .Where(file => File.GetLastWriteTimeUtc(file) <= settled).Take(500).ToList();
        if (files.Count == 0) return 0;
        using var scope = scopes.CreateScope(); // one unit of work for the round: its connection and SLA targets are set up once
        var intake = scope.ServiceProvider.GetRequiredService<MailIntake>();
        var chunks = MailIntake.Batches(files, file => new FileInfo(file).Length).ToList();
        // The next batch is read from disk and parsed while this one is stored: parsing needs no database, storing
        // mostly waits on it, so the two overlap.
        Task<(List<(string File, byte[] Raw)> Read, MailIntake.ReadMails Mails)>? next = ReadAheadAsync(intake, chunks[0], ct);
        try
        {
            for (var c = 0; c < chunks.Count; c++)
            {
                var (read, mails) = await next!;
                next = c + 1 < chunks.Count ? ReadAheadAsync(intake, chunks[c + 1], ct) : null;
                if (read.Count == 0) continue;
                var results = await intake.TakeManyAsync(mails, Source, ct);
                for (var i = 0; i < read.Count; i++) // committed: now the files may go
                {
                    log.LogDebug("{File}: {Outcome} {Ticket}", Path.GetFileName(read[i].File), results[i].Outcome, results[i].TicketId);
                    try
                    {
                        File.Move(read[i].File, Path.Combine(processed, Path.GetFileName(read[i].File)), overwrite: true);
                    }
                    catch (FileNotFoundException) // moved meanwhile by another drain of the same folder (its intake was a no-op dedupe)
                    {
                    }
                }
            }
        }
        finally
        {
            // A batch that failed to store leaves the one read ahead unused: it is read again next round.
            if (next is not null) await next.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        return files.Count;
    }

    /// <summary>A batch's files read (one still being written, or gone, is left for a later round) and parsed, on the thread pool.</summary>
    private static Task<(List<(string File, byte[] Raw)> Read, MailIntake.ReadMails Mails)> ReadAheadAsync(MailIntake intake, List<string> chunk, CancellationToken ct) =>
        Task.Run(async () =>
        {
            var read = new List<(string File, byte[] Raw)>(chunk.Count);
            foreach (var file in chunk)
            {
                try
                {
                    read.Add((file, await File.ReadAllBytesAsync(file, ct)));
                }
                catch (IOException) // still being written, or gone: next round
                {
                }
            }
            return (read, intake.Read(read.ConvertAll(r => r.Raw), ct));
        }, ct);
}

using Desk.Web.Data;
using Microsoft.Extensions.Options;

namespace Desk.Web.Email.Intake;

/// <summary>
/// The embedded default when no mailbox is configured: every .eml file put in the drop folder is taken in, then moved to
/// its processed/ folder — only after the ticket is committed, so a crash in between takes the file in again, which the
/// intake's dedupe turns into a no-op. Nothing is lost and nothing doubled. Desks sharing a database (and the folder)
/// take turns: the one holding the folder's lease reads it.
/// </summary>
public sealed class DropFolderIntake(IServiceScopeFactory scopes, IOptions<MailOptions> options, MailStatus status,
    IHostEnvironment environment, WorkLeases leases, ILogger<DropFolderIntake> log) : BackgroundService
{
    public const string Source = "drop folder";

    public string Folder => Path.Combine(environment.ContentRootPath, options.Value.DropFolder);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => leases.RunWhileHeldAsync(Source, RunAsync, stoppingToken);

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        status.Expect(Source);
        log.LogInformation("Taking mail in from the drop folder {Folder} (.eml files).", Folder);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var taken = await DrainAsync(stoppingToken);
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
            try { await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>Takes in every .eml file there now, oldest name first; returns how many.</summary>
    public async Task<int> DrainAsync(CancellationToken ct)
    {
        var folder = Folder;
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
        foreach (var chunk in MailIntake.Batches(files, file => new FileInfo(file).Length))
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
            if (read.Count == 0) continue;
            var results = await intake.TakeManyAsync(read.Select(r => r.Raw).ToList(), Source, ct);
            for (var i = 0; i < read.Count; i++) // committed: now the files may go
            {
                log.LogDebug("{File}: {Outcome} {Ticket}", Path.GetFileName(read[i].File), results[i].Outcome, results[i].TicketId);
                File.Move(read[i].File, Path.Combine(processed, Path.GetFileName(read[i].File)), overwrite: true);
            }
        }
        return files.Count;
    }
}

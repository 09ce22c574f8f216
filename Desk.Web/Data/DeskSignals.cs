using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Desk.Web.Data;

/// <summary>
/// Wakes whoever waits for news on a channel — in this desk at once, and in every other desk on the same database
/// through it (PostgreSQL's LISTEN/NOTIFY). A signal carries no data: whoever wakes reads the database, so a signal
/// lost while a desk reconnects costs only a wait until its next look (and on reconnecting every channel is raised).
/// </summary>
public sealed class DeskSignals(IDeskDatabaseProvider provider, IOptions<DeskDatabaseOptions> database, IHostEnvironment environment,
    ILogger<DeskSignals> log) : BackgroundService
{
    /// <summary>Mail was queued in the outbox: a sender should look.</summary>
    public const string Outbox = "desk_outbox";

    /// <summary>The queue's filter lists (root causes) changed: every desk drops its cached copy.</summary>
    public const string QueueChoices = "desk_queue_choices";

    /// <summary>A user's security stamp or lockout changed: every desk drops its kept stamps (see <c>SessionStamps</c>).</summary>
    public const string Sessions = "desk_sessions";

    /// <summary>An agent read notices: every desk drops its kept bell counts (see <c>BellCounts</c>).</summary>
    public const string Notices = "desk_notices";

    /// <summary>A ticket was added or changed (committed): every desk's live feed looks (see <c>Features/Live</c>).</summary>
    public const string Tickets = "desk_tickets";

    /// <summary>An admin added, changed or removed a mail server: every desk's pollers re-read them (see <c>ImapIntake</c>).</summary>
    public const string MailSources = "desk_mail_sources";

    /// <summary>Every channel a desk listens on.</summary>
    public static readonly IReadOnlyList<string> Channels = [MailSources, Notices, Outbox, QueueChoices, Sessions, Tickets];

    private readonly ConcurrentDictionary<string, ImmutableActions> _listeners = new(StringComparer.Ordinal);

    private string ConnectionString => provider.Resolve(database.Value.ConnectionString, environment.ContentRootPath);

    /// <summary>Calls <paramref name="heard"/> whenever <paramref name="channel"/> is raised, here or on another desk; it must return quickly.</summary>
    public void On(string channel, Action heard) =>
        _listeners.AddOrUpdate(channel, _ => new([heard]), (_, old) => new([.. old.Actions, heard]));

    /// <summary>Raises <paramref name="channel"/>: this desk's listeners now, the other desks' as soon as the database carries it.</summary>
    public void Raise(string channel)
    {
        Heard(channel);
        if (provider.SignalsOtherDesks) _ = Task.Run(() => TellOtherDesksAsync(channel, CancellationToken.None));
    }

    /// <summary>
    /// As <see cref="Raise"/>, but done when the other desks have been told (or telling them failed and was logged): for a
    /// command that exits right after, and for changes whose every desk must know before the caller answers.
    /// </summary>
    public async Task RaiseAsync(string channel, CancellationToken ct)
    {
        Heard(channel);
        if (provider.SignalsOtherDesks) await TellOtherDesksAsync(channel, ct);
    }

    private async Task TellOtherDesksAsync(string channel, CancellationToken ct)
    {
        try
        {
            await provider.NotifyAsync(ConnectionString, channel, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("Could not tell the other desks about {Channel} ({Error}); they will see it at their next look.", channel, e.Message);
        }
    }

    private void Heard(string channel)
    {
        if (!_listeners.TryGetValue(channel, out var listeners)) return;
        foreach (var heard in listeners.Actions)
        {
            try
            {
                heard();
            }
            catch (Exception e)
            {
                log.LogError(e, "A listener on {Channel} failed.", channel);
            }
        }
    }

    /// <summary>Listens for the other desks' signals for as long as the desk runs, listening again after a dropped connection.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!provider.SignalsOtherDesks) return;
        var wait = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await provider.ListenAsync(ConnectionString, Channels, Heard, () =>
                {
                    wait = TimeSpan.FromSeconds(1);
                    // Whatever was raised while this desk was not listening: everyone looks once.
                    foreach (var channel in Channels) Heard(channel);
                }, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogWarning("Not hearing the other desks' signals ({Error}); listening again in {Wait} s.", e.Message, wait.TotalSeconds);
                try { await Task.Delay(wait, stoppingToken); }
                catch (OperationCanceledException) { return; }
                wait = TimeSpan.FromSeconds(Math.Min(30, wait.TotalSeconds * 2));
            }
        }
    }

    private sealed record ImmutableActions(Action[] Actions);
}

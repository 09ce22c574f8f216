using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Live;

/// <summary>
/// This desk's side of the live pages: the agents' open event streams (<see cref="LiveClient"/>) and one loop that reads
/// the database for all of them, so the cost grows with changes, not with open tabs. What wakes it:
/// <list type="bullet">
/// <item>a ticket change, through <see cref="DeskSignals.Tickets"/> — raised by <see cref="TicketChangeSignal"/> in this
/// desk and carried by PostgreSQL's NOTIFY from the others;</item>
/// <item>on SQLite (no signal between processes) a poll every second of a change marker: the last change time and what
/// changed at it, one index seek (also while nobody listens, so a stream opened just after a change still hears of it);</item>
/// <item>every two seconds while someone has a ticket page open: who else is on it (presence rows, any desk).</item>
/// </list>
/// Events carry no ticket data: the queue fetches its own rows, the ticket page asks what changed, both as the agent.
/// Waits use the real clock; times written to the database come from the desk's <see cref="TimeProvider"/>.
/// </summary>
public sealed class LiveFeed(IServiceScopeFactory scopes, DeskSignals signals, IDeskDatabaseProvider provider, TimeProvider clock,
    ILogger<LiveFeed> log) : BackgroundService
{
    /// <summary>A presence row not renewed for this long (its desk went away) no longer counts.</summary>
    public static readonly TimeSpan PresenceCounts = TimeSpan.FromSeconds(30);

    /// <summary>"Typing" lasts this long after the last key.</summary>
    public static readonly TimeSpan TypingCounts = TimeSpan.FromSeconds(8);

    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PresenceEvery = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan HeartbeatEvery = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PurgeEvery = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<LiveClient, byte> _clients = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private int _ticketsChanged;
    private int _presenceChanged;

    /// <summary>How many event streams this desk holds open.</summary>
    public int Clients => _clients.Count;

    /// <summary>An agent's page opened its stream; <paramref name="ticketId"/> is the ticket page's, shown at <paramref name="version"/>.</summary>
    public LiveClient Join(string user, long? ticketId, int version)
    {
        var client = new LiveClient(user, ticketId, version);
        _clients[client] = 0;
        if (ticketId is not null) PresenceChanged();
        return client;
    }

    /// <summary>The stream closed: the agent is no longer on the ticket here (unless another tab of theirs is).</summary>
    public async Task LeaveAsync(LiveClient client)
    {
        _clients.TryRemove(client, out _);
        if (client.TicketId is not { } ticketId) return;
        if (!_clients.Keys.Any(c => c.TicketId == ticketId && c.User == client.User))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<DeskDbContext>();
                await using var write = await db.BeginWriteAsync();
                await db.Set<TicketPresence>().Where(p => p.TicketId == ticketId && p.UserName == client.User).ExecuteDeleteAsync();
                await write.CommitAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogInformation("Could not remove {User}'s presence on ticket {Ticket} ({Error}); it lapses by itself.", client.User, ticketId, e.Message);
            }
        }
        PresenceChanged();
    }

    /// <summary>Someone started or stopped being on a ticket, or typed: look at presence now rather than at the next round.</summary>
    public void PresenceChanged()
    {
        Interlocked.Exchange(ref _presenceChanged, 1);
        _wake.Writer.TryWrite(true);
    }

    private void TicketsChanged()
    {
        Interlocked.Exchange(ref _ticketsChanged, 1);
        _wake.Writer.TryWrite(true);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        signals.On(DeskSignals.Tickets, TicketsChanged);
        var pollsMarker = !provider.SignalsOtherDesks;
        Marker? marker = null;
        var sincePresence = Stopwatch.StartNew();
        var sinceHeartbeat = Stopwatch.StartNew();
        var sincePurge = Stopwatch.StartNew();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
                {
                    wait.CancelAfter(Tick);
                    try { await _wake.Reader.ReadAsync(wait.Token); }
                    catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested) { }
                }
                // SQLite keeps its marker current even while nobody listens, so a page that opens its stream just after a
                // change (rendered before it) still hears of it. PostgreSQL reads nothing without listeners.
                if (_clients.IsEmpty && !pollsMarker) continue;
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<DeskDbContext>();

                var changed = Interlocked.Exchange(ref _ticketsChanged, 0) == 1;
                if (pollsMarker)
                {
                    var now = await ReadMarkerAsync(db, stoppingToken);
                    if (marker is not null && now != marker) changed = true;
                    marker = now;
                }
                if (_clients.IsEmpty) continue;
                var presenceChanged = Interlocked.Exchange(ref _presenceChanged, 0) == 1;
                var clients = _clients.Keys.ToList();
                if (changed)
                    foreach (var client in clients) client.Send("tickets", "");
                var watched = clients.Where(c => c.TicketId is not null).ToList();
                if (watched.Count == 0) continue;
                if (changed || presenceChanged) await SendVersionsAsync(db, watched, stoppingToken);
                if (sinceHeartbeat.Elapsed >= HeartbeatEvery || presenceChanged)
                {
                    await HeartbeatAsync(db, watched, stoppingToken);
                    sinceHeartbeat.Restart();
                }
                if (sincePresence.Elapsed >= PresenceEvery || presenceChanged)
                {
                    await SendPresenceAsync(db, watched, stoppingToken);
                    sincePresence.Restart();
                }
                if (sincePurge.Elapsed >= PurgeEvery)
                {
                    await PurgeAsync(db, stoppingToken);
                    sincePurge.Restart();
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogWarning("The live feed could not read the database ({Error}); trying again.", e.Message);
                try { await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>The last change time, and how many tickets and versions stand at it: any new ticket or change moves one of them.</summary>
    private readonly record struct Marker(DateTime? At, int Count, long Versions, long LastId);

    private static async Task<Marker> ReadMarkerAsync(DeskDbContext db, CancellationToken ct)
    {
        var at = await db.Tickets.MaxAsync(t => (DateTime?)t.UpdatedAt, ct);
        if (at is null) return default;
        var at1 = at.Value;
        var rows = await db.Tickets.Where(t => t.UpdatedAt == at1).OrderBy(t => t.Id).Select(t => new { t.Id, t.Version }).Take(1000).ToListAsync(ct);
        return new Marker(at, rows.Count, rows.Sum(r => (long)r.Version), rows.Count == 0 ? 0 : rows.Max(r => r.Id));
    }

    private static async Task SendVersionsAsync(DeskDbContext db, List<LiveClient> watched, CancellationToken ct)
    {
        var ids = watched.Select(c => c.TicketId!.Value).Distinct().ToList();
        var versions = await db.Tickets.AsNoTracking().Where(t => ids.Contains(t.Id)).Select(t => new { t.Id, t.Version }).ToDictionaryAsync(t => t.Id, t => t.Version, ct);
        foreach (var client in watched)
            if (versions.TryGetValue(client.TicketId!.Value, out var version) && version > client.Version)
            {
                client.Version = version;
                client.Send("ticket", version.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
    }

    private async Task HeartbeatAsync(DeskDbContext db, List<LiveClient> watched, CancellationToken ct)
    {
        var now = StoredValues.UnixMilliseconds(clock.GetUtcNow().UtcDateTime);
        await using var write = await db.BeginWriteAsync(ct);
        foreach (var (ticket, user) in watched.Select(c => (c.TicketId!.Value, c.User)).Distinct())
            await db.Database.ExecuteSqlRawAsync(LiveSql.Here, [ticket, user, now], ct);
        await write.CommitAsync(ct);
    }

    private async Task SendPresenceAsync(DeskDbContext db, List<LiveClient> watched, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var counts = now - PresenceCounts;
        var typing = now - TypingCounts;
        var ids = watched.Select(c => c.TicketId!.Value).Distinct().ToList();
        var rows = await db.Set<TicketPresence>().AsNoTracking()
            .Where(p => ids.Contains(p.TicketId) && p.SeenAt >= counts)
            .OrderBy(p => p.UserName)
            .Select(p => new { p.TicketId, p.UserName, p.TypingAt })
            .ToListAsync(ct);
        var byTicket = rows.ToLookup(r => r.TicketId);
        foreach (var client in watched)
        {
            var others = byTicket[client.TicketId!.Value].Where(r => r.UserName != client.User)
                .Select(r => new PresenceLine(r.UserName, r.TypingAt >= typing)).ToList();
            var json = JsonSerializer.Serialize(others, JsonSerializerOptions.Web);
            if (json == client.LastPresence) continue;
            client.LastPresence = json;
            client.Send("presence", json);
        }
    }

    private async Task PurgeAsync(DeskDbContext db, CancellationToken ct)
    {
        var old = clock.GetUtcNow().UtcDateTime - TimeSpan.FromMinutes(10);
        await using var write = await db.BeginWriteAsync(ct);
        await db.Set<TicketPresence>().Where(p => p.SeenAt < old).ExecuteDeleteAsync(ct);
        await write.CommitAsync(ct);
    }

    private sealed record PresenceLine(string Name, bool Typing);
}

/// <summary>One open event stream: an agent's queue or ticket page. Messages wait in a short queue; a slow reader loses the oldest.</summary>
public sealed class LiveClient(string user, long? ticketId, int version)
{
    private readonly Channel<string> _messages = Channel.CreateBounded<string>(
        new BoundedChannelOptions(32) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public string User { get; } = user;
    public long? TicketId { get; } = ticketId;

    /// <summary>The ticket's version the page knows of; the feed tells of newer ones.</summary>
    public int Version { get; set; } = version;

    /// <summary>The presence last sent, so that an unchanged one is not sent again.</summary>
    public string? LastPresence { get; set; }

    public ChannelReader<string> Messages => _messages.Reader;

    /// <summary>Queues a server-sent event; <paramref name="data"/> is one line.</summary>
    public void Send(string name, string data) => _messages.Writer.TryWrite($"event: {name}\ndata: {data}\n\n");
}

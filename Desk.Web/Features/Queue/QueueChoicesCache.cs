using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Desk.Web.Features.Queue;

/// <summary>
/// The queue's filter lists (agents, top-level root causes), read on every queue page and changed rarely, cached in
/// each desk's memory. How a desk learns of changes made elsewhere: an admin's change to the root causes calls
/// <see cref="Forget"/>, which drops this desk's copy at once and every other desk's through the
/// <see cref="DeskSignals.QueueChoices"/> signal (PostgreSQL's NOTIFY); anything that changes without a signal — a
/// user added by the create-admin command, a signal lost while a desk reconnects — shows within <see cref="Expiry"/>.
/// </summary>
public sealed class QueueChoicesCache
{
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(30);

    private const string Key = "queue:choices";
    private readonly IMemoryCache _cache;
    private readonly DeskSignals _signals;

    public QueueChoicesCache(IMemoryCache cache, DeskSignals signals)
    {
        _cache = cache;
        _signals = signals;
        signals.On(DeskSignals.QueueChoices, () => _cache.Remove(Key));
    }

    public async Task<QueueChoices> GetAsync(DeskDbContext db, CancellationToken ct) =>
        (await _cache.GetOrCreateAsync(Key, async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = Expiry;
            return new QueueChoices(
                await db.Users.OrderBy(u => u.UserName).Select(u => u.UserName!).ToListAsync(ct),
                await db.RootCauses.Where(c => c.ParentId == null).OrderBy(c => c.SortOrder)
                    .Select(c => new RootCauseOption(c.Id, c.Name, c.NameZh)).ToListAsync(ct))
            {
                CuratedTags = await db.CuratedTags.OrderBy(t => t.Name).Select(t => t.Name).ToListAsync(ct),
            };
        }))!;

    /// <summary>After a change to what the lists show, once it is committed: every desk reads them again.</summary>
    public void Forget() => _signals.Raise(DeskSignals.QueueChoices);
}

using System.Collections.Concurrent;
using System.Diagnostics;
using Desk.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Desk.Web.Identity;

/// <summary>
/// The users' security stamps and lockouts as the session check reads them, kept per desk so that a signed-in request
/// does not cost a database round trip (on PostgreSQL that read was a third of a cheap page's cost). How a desk learns
/// of a change: every change goes through <see cref="DeskUserManager"/>, which raises <see cref="DeskSignals.Sessions"/>
/// after it is saved — this desk forgets at once, every other desk on the same PostgreSQL database as soon as NOTIFY
/// reaches it. A change made outside a desk's reach (the <c>end-sessions</c> command in another process on SQLite, where
/// no signal crosses processes) is seen when the kept copy expires, after <see cref="KeptFor"/> at most.
/// </summary>
public sealed class SessionStamps
{
    public static readonly TimeSpan KeptFor = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _generation;

    public SessionStamps(DeskSignals signals) => signals.On(DeskSignals.Sessions, Forget);

    /// <summary>Drops every kept stamp; a read that began before this does not keep what it read.</summary>
    public void Forget()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    /// <summary>The user's stamp and lockout end, or null when there is no such user.</summary>
    public async Task<UserStamp?> ReadAsync(DeskDbContext db, string userId, CancellationToken ct)
    {
        if (_entries.TryGetValue(userId, out var kept) && Stopwatch.GetElapsedTime(kept.ReadAt) < KeptFor) return kept.Stamp;
        var generation = Interlocked.Read(ref _generation);
        var read = Stopwatch.GetTimestamp();
        var stamp = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new UserStamp(u.SecurityStamp, u.LockoutEnabled, u.LockoutEnd))
            .SingleOrDefaultAsync(ct);
        if (Interlocked.Read(ref _generation) == generation) _entries[userId] = new Entry(stamp, read);
        return stamp;
    }

    public sealed record UserStamp(string? SecurityStamp, bool LockoutEnabled, DateTimeOffset? LockoutEnd);

    private sealed record Entry(UserStamp? Stamp, long ReadAt);
}

/// <summary>
/// Identity's user manager, telling every desk's <see cref="SessionStamps"/> when a user changed (a new security stamp
/// on sign-out, a password change, a lockout): every Identity change to a user is saved through <see cref="UpdateUserAsync"/>.
/// </summary>
public sealed class DeskUserManager(IUserStore<DeskUser> store, IOptions<IdentityOptions> optionsAccessor, IPasswordHasher<DeskUser> passwordHasher,
    IEnumerable<IUserValidator<DeskUser>> userValidators, IEnumerable<IPasswordValidator<DeskUser>> passwordValidators, ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors, IServiceProvider services, ILogger<UserManager<DeskUser>> logger, DeskSignals signals)
    : UserManager<DeskUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    protected override async Task<IdentityResult> UpdateUserAsync(DeskUser user)
    {
        var result = await base.UpdateUserAsync(user);
        if (result.Succeeded) await signals.RaiseAsync(DeskSignals.Sessions, CancellationToken);
        return result;
    }
}

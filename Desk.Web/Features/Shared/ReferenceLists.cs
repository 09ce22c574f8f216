using Desk.Domain.RootCauses;
using Desk.Domain.Sla;
using Desk.Web.Data;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.Extensions.Caching.Memory;

namespace Desk.Web.Features.Shared;

/// <summary>
/// What the desk's pages choose from and rarely changes — SLA targets, the root-cause taxonomy, remedy kinds, the
/// admins' tags, the users and who works tickets, the repurchase window, the teams, the agents' signatures — read together and kept in each desk's memory,
/// so that a ticket page or a queue page does not read six small tables on every view. Shared read-only: nobody changes
/// the kept objects.
/// </summary>
public sealed record ReferenceLists(
    IReadOnlyList<SlaTarget> SlaTargets, IReadOnlyList<RootCause> RootCauses, IReadOnlyList<RemedyOption> Remedies,
    IReadOnlyList<string> CuratedTags, IReadOnlyList<string> Users, IReadOnlyList<string> Agents, TimeSpan RepurchaseWindow,
    IReadOnlyList<Macros.Macro> Macros)
{
    /// <summary>The teams' names, in order (escalation targets).</summary>
    public IReadOnlyList<string> TeamNames { get; init; } = [];

    /// <summary>Each agent's signature, by user name (only those who wrote one).</summary>
    public IReadOnlyDictionary<string, string> Signatures { get; init; } = new Dictionary<string, string>();

    /// <summary>The canned replies <paramref name="agent"/> may use (shared and their own), in the canned-replies page's order.</summary>
    public IEnumerable<Macros.Macro> MacrosFor(string agent) => Macros.Where(m => m.Owner == null || m.Owner == agent);
}

/// <summary>
/// Keeps <see cref="ReferenceLists"/> per desk. How a desk learns of a change: any save through EF that adds, changes or
/// deletes one of those rows (an admin page, the create-admin command, a user's roles) drops this desk's copy once
/// committed and every other desk's through <see cref="DeskSignals.QueueChoices"/> (PostgreSQL's NOTIFY); anything that
/// changes past EF or a signal lost while a desk reconnects shows within <see cref="Expiry"/>.
/// </summary>
public sealed class ReferenceCache : CommittedChangeSignal
{
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(30);

    private const string Key = "desk:reference-lists";
    private readonly IMemoryCache _cache;
    private readonly DeskSignals _signals;

    public ReferenceCache(IMemoryCache cache, DeskSignals signals)
    {
        _cache = cache;
        _signals = signals;
        signals.On(DeskSignals.QueueChoices, () => _cache.Remove(Key));
    }

    /// <summary>The kept lists, read from <paramref name="db"/> when this desk has none (at most every <see cref="Expiry"/>).</summary>
    public ReferenceLists Get(DeskDbContext db) =>
        _cache.GetOrCreate(Key, entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = Expiry;
            return Read(db);
        })!;

    /// <summary>After a change made past EF, once it is committed: every desk reads the lists again.</summary>
    public void Forget() => _signals.Raise(DeskSignals.QueueChoices);

    protected override bool Concerns(EntityEntry entry) => entry.Entity switch
    {
        // A user's row changes at every failed sign-in or new stamp; the lists hold only the names.
        DeskUser => entry.State != EntityState.Modified || entry.Property(nameof(DeskUser.UserName)).IsModified,
        SlaTarget or RootCause or Desk.Domain.Remedies.RemedyKind or Tags.CuratedTag or Macros.Macro
            or Desk.Domain.Recovery.RecoverySettings or IdentityUserRole<string> or IdentityRole
            or Teams.Team or Signatures.AgentSignature => true,
        _ => false,
    };

    protected override void Committed() => Forget();

    // Synchronous on purpose: the SLA policy is built in a constructor, and this runs once in a while, not per view.
    private static ReferenceLists Read(DeskDbContext db)
    {
        var agents = (from u in db.Users
                      join ur in db.UserRoles on u.Id equals ur.UserId
                      join r in db.Roles on ur.RoleId equals r.Id
                      where r.Name == DeskRoles.Agent || r.Name == DeskRoles.Manager || r.Name == DeskRoles.Admin
                      select u.UserName!).Distinct().OrderBy(n => n).ToList();
        var settings = db.RecoverySettings.AsNoTracking().SingleOrDefault() ?? Desk.Domain.Recovery.RecoverySettings.Default;
        return new ReferenceLists(
            db.SlaTargets.AsNoTracking().ToList(),
            db.RootCauses.AsNoTracking().OrderBy(c => c.SortOrder).ToList(),
            db.RemedyKinds.AsNoTracking().OrderBy(k => k.SortOrder).ThenBy(k => k.Id)
                .Select(k => new RemedyOption(k.Id, k.Name, k.NameZh, k.IsActive)).ToList(),
            db.CuratedTags.OrderBy(t => t.Name).Select(t => t.Name).ToList(),
            db.Users.OrderBy(u => u.UserName).Select(u => u.UserName!).ToList(),
            agents,
            settings.RepurchaseWindow,
            Macros.MacroChoices.VisibleTo(db, agent: null, search: null).ToList())
        {
            TeamNames = db.Set<Teams.Team>().AsNoTracking().OrderBy(t => t.Name).Select(t => t.Name).ToList(),
            Signatures = db.Set<Signatures.AgentSignature>().AsNoTracking().Where(s => s.Text != "")
                .Select(s => new { s.Agent, s.Text }).AsEnumerable().ToDictionary(s => s.Agent, s => s.Text, StringComparer.Ordinal),
        };
    }
}

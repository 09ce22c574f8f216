using Desk.Domain;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Identity;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Teams;

/// <summary>Whom a ticket can be escalated to — the desk's agents and its teams — for the Escalate form, and the check of a posted choice.</summary>
public sealed class EscalationTargets(DeskDbContext db)
{
    /// <summary>The team names, in order (agents come with the ticket page).</summary>
    public Task<List<string>> TeamNamesAsync(CancellationToken ct = default) =>
        db.Set<Team>().AsNoTracking().OrderBy(t => t.Name).Select(t => t.Name).ToListAsync(ct);

    /// <summary>
    /// The target <paramref name="key"/> names ("agent:alice", "team:Billing"); null for an empty choice. Refuses, with a
    /// message, a key that names no agent or team the desk has.
    /// </summary>
    public static EscalationTarget? Check(DeskDbContext db, string? key)
    {
        if (string.IsNullOrWhiteSpace(key)) return null;
        if (!EscalationTarget.TryParse(key, out var target)) throw new DomainException("Choose an agent or a team to escalate to.");
        var exists = target!.Kind == EscalationTargetKind.Team
            ? db.Set<Team>().Any(t => t.Name == target.Name)
            : (from u in db.Users
               join ur in db.UserRoles on u.Id equals ur.UserId
               join r in db.Roles on ur.RoleId equals r.Id
               where u.UserName == target.Name && (r.Name == DeskRoles.Agent || r.Name == DeskRoles.Manager || r.Name == DeskRoles.Admin)
               select u.Id).Any();
        return exists ? target : throw new DomainException("There is no agent or team \"{0}\" to escalate to.", target.Name);
    }
}

using Desk.Domain;
using Desk.Web.Data;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Desk.Web.Features.Teams;

/// <summary>
/// Teams of agents (admins): create one, set its members, remove it. Tickets escalated to a removed team keep its name in
/// their trail; nobody is told about them any more.
/// </summary>
[Authorize(Policy = DeskPolicies.ConfiguresDesk)]
public sealed class TeamsController(DeskDbContext db, IStringLocalizer<SharedResource> text) : Controller
{
    private const string Page = "/admin/teams";

    [HttpGet(Page)]
    public async Task<IActionResult> Index(CancellationToken ct) => View("Teams", await PageAsync(null, ct));

    [HttpPost(Page)]
    public async Task<IActionResult> Add(string? name, CancellationToken ct)
    {
        try
        {
            var checkedName = Team.CheckedName(name);
            if (await db.Set<Team>().AnyAsync(t => t.Name == checkedName, ct))
                throw new DomainException("There is already a team \"{0}\".", checkedName);
            db.Set<Team>().Add(new Team(checkedName));
            await db.SaveChangesAsync(ct);
            return Redirect(Page);
        }
        catch (Exception e) when (e is DomainException || e is DbUpdateException && db.Provider.IsConflict(e))
        {
            return await Refused(e is DomainException d ? d : new DomainException("There is already a team \"{0}\".", name ?? ""), ct);
        }
    }

    /// <summary>The members become exactly the agents ticked ("Members" fields); names that are not agents are refused.</summary>
    [HttpPost(Page + "/{id:int}/members")]
    public async Task<IActionResult> Members(int id, string[]? members, CancellationToken ct)
    {
        var team = await db.Set<Team>().Include(t => t.Members).SingleOrDefaultAsync(t => t.Id == id, ct);
        if (team is null) return NotFound();
        var agents = await AgentsAsync(ct);
        var chosen = (members ?? []).Where(m => !string.IsNullOrWhiteSpace(m)).ToList();
        if (chosen.FirstOrDefault(m => !agents.Contains(m)) is { } unknown)
            return await Refused(new DomainException("There is no agent \"{0}\".", unknown), ct);
        team.SetMembers(chosen);
        await db.SaveChangesAsync(ct);
        return Redirect(Page);
    }

    [HttpPost(Page + "/{id:int}/delete")]
    public async Task<IActionResult> Delete(int id, CancellationToken ct)
    {
        var team = await db.Set<Team>().SingleOrDefaultAsync(t => t.Id == id, ct);
        if (team is null) return NotFound();
        db.Remove(team);
        await db.SaveChangesAsync(ct);
        return Redirect(Page);
    }

    private async Task<IActionResult> Refused(DomainException e, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return View("Teams", await PageAsync(text.Localize(e), ct));
    }

    private async Task<TeamsPage> PageAsync(string? error, CancellationToken ct)
    {
        var teams = await db.Set<Team>().AsNoTracking().Include(t => t.Members).OrderBy(t => t.Name).ToListAsync(ct);
        return new TeamsPage(teams.Select(t => new TeamRow(t.Id, t.Name, t.Members.Select(m => m.UserName).OrderBy(n => n).ToList())).ToList(),
            [.. (await AgentsAsync(ct)).Order()], error);
    }

    /// <summary>Everyone who works tickets: agents, managers, admins.</summary>
    private async Task<HashSet<string>> AgentsAsync(CancellationToken ct) =>
        (await (from u in db.Users
                join ur in db.UserRoles on u.Id equals ur.UserId
                join r in db.Roles on ur.RoleId equals r.Id
                where r.Name == DeskRoles.Agent || r.Name == DeskRoles.Manager || r.Name == DeskRoles.Admin
                select u.UserName!).Distinct().ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
}

public sealed record TeamsPage(IReadOnlyList<TeamRow> Teams, IReadOnlyList<string> Agents, string? Error);

public sealed record TeamRow(int Id, string Name, IReadOnlyList<string> Members);

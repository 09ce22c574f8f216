using Desk.Domain.Tickets;
using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Teams;

/// <summary>The queue's "My team's" view: what an agent's teams have on their plate.</summary>
public static class TeamQueue
{
    private const string IsOpen = Data.Configurations.TicketConfiguration.OpenColumn;

    /// <summary>
    /// Open tickets assigned to anyone in a team of <paramref name="me"/> (themselves included), and escalated tickets
    /// waiting for one of their teams or for them. One SQL query with the teams as subqueries, on both providers.
    /// </summary>
    public static IQueryable<Ticket> Filter(IQueryable<Ticket> tickets, DeskDbContext db, string me)
    {
        var myTeamIds = db.Set<TeamMember>().Where(m => m.UserName == me).Select(m => m.TeamId);
        var teammates = db.Set<TeamMember>().Where(m => myTeamIds.Contains(m.TeamId)).Select(m => m.UserName);
        var myTeamNames = db.Set<Team>().Where(t => myTeamIds.Contains(t.Id)).Select(t => t.Name);
        return tickets.Where(t => EF.Property<int>(t, IsOpen) == 1
            && (teammates.Contains(t.AssignedTo!)
                || (t.State == TicketState.Escalated
                    && ((t.EscalatedToKind == EscalationTargetKind.Team && myTeamNames.Contains(t.EscalatedTo!))
                        || (t.EscalatedToKind == EscalationTargetKind.Agent && t.EscalatedTo == me)))));
    }
}

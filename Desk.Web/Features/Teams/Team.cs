namespace Desk.Web.Features.Teams;

/// <summary>
/// A group of agents (billing, returns, the second line): tickets can be escalated to it, its members are told, and each
/// member has a "My team's" queue view. Known by its name, which is unique; members by their user names.
/// </summary>
public sealed class Team
{
    private readonly List<TeamMember> _members = [];

    private Team() { } // for EF Core

    public Team(string name) => Name = CheckedName(name);

    public int Id { get; private set; }
    public string Name { get; private set; } = "";
    public IReadOnlyList<TeamMember> Members => _members;

    /// <summary>The members become exactly <paramref name="userNames"/> (duplicates and blanks ignored).</summary>
    public void SetMembers(IEnumerable<string> userNames)
    {
        var wanted = userNames.Select(n => n.Trim()).Where(n => n.Length is > 0 and <= 200).Distinct(StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
        _members.RemoveAll(m => !wanted.Contains(m.UserName));
        foreach (var name in wanted.Where(n => _members.All(m => m.UserName != n))) _members.Add(new TeamMember(name));
    }

    public static string CheckedName(string? name)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed)) throw new Desk.Domain.DomainException("{0} is required.", new Desk.Domain.Phrase("A team name"));
        if (trimmed.Length > 100) throw new Desk.Domain.DomainException("The text is too long ({0:N0} characters; at most {1:N0}).", trimmed.Length, 100);
        if (trimmed.Contains(':', StringComparison.Ordinal)) throw new Desk.Domain.DomainException("A team name cannot contain \":\".");
        return trimmed;
    }
}

/// <summary>One agent in one team.</summary>
public sealed class TeamMember
{
    private TeamMember() { } // for EF Core

    public TeamMember(string userName) => UserName = userName;

    public int TeamId { get; private set; }
    public string UserName { get; private set; } = "";
}

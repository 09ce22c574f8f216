namespace Desk.Domain.Tickets;

/// <summary>Whether an escalation goes to one agent or to a team.</summary>
public enum EscalationTargetKind { Agent, Team }

/// <summary>
/// Whom a ticket is escalated to: an agent (by user name) or a team (by its name). The domain only carries the name;
/// the application checks that the agent or team exists and tells them.
/// </summary>
public sealed record EscalationTarget
{
    private EscalationTarget(EscalationTargetKind kind, string name)
    {
        Kind = kind;
        Name = name;
    }

    public EscalationTargetKind Kind { get; }

    /// <summary>The agent's user name, or the team's name.</summary>
    public string Name { get; }

    public static EscalationTarget Agent(string userName) => new(EscalationTargetKind.Agent, Checked(userName, "The agent to escalate to"));

    public static EscalationTarget Team(string teamName) => new(EscalationTargetKind.Team, Checked(teamName, "The team to escalate to"));

    /// <summary>The form's value for this target: "agent:alice" or "team:Billing"; <see cref="TryParse"/> reads it back.</summary>
    public string Key => $"{(Kind == EscalationTargetKind.Team ? "team" : "agent")}:{Name}";

    /// <summary>Reads a <see cref="Key"/>; false for anything else (an empty choice included).</summary>
    public static bool TryParse(string? key, out EscalationTarget? target)
    {
        target = null;
        if (string.IsNullOrWhiteSpace(key)) return false;
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == key.Length - 1) return false;
        var name = key[(colon + 1)..].Trim();
        if (name.Length is 0 or > 200) return false;
        target = key[..colon] switch
        {
            "agent" => Agent(name),
            "team" => Team(name),
            _ => null,
        };
        return target is not null;
    }

    /// <summary>As the audit trail writes it: "agent alice", "team Billing".</summary>
    public override string ToString() => $"{(Kind == EscalationTargetKind.Team ? "team" : "agent")} {Name}";

    private static string Checked(string? name, string what)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed)) throw new DomainException("{0} is required.", new Phrase(what));
        if (trimmed.Length > 200) throw new DomainException("The text is too long ({0:N0} characters; at most {1:N0}).", trimmed.Length, 200);
        return trimmed;
    }
}

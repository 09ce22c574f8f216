using Desk.Domain.Customers;
using Desk.Domain.Tickets;

namespace Desk.Domain.Sla;

/// <summary>First-response and resolution targets for one severity and relationship level.</summary>
public sealed class SlaTarget
{
    private SlaTarget() { } // for EF Core

    public SlaTarget(Severity severity, RelationshipLevel level, TimeSpan firstResponse, TimeSpan resolution)
    {
        if (firstResponse <= TimeSpan.Zero || resolution <= TimeSpan.Zero)
            throw new DomainException("SLA targets must be longer than zero.");
        if (resolution < firstResponse)
            throw new DomainException("The resolution target cannot be shorter than the first-response target.");
        Severity = severity;
        Level = level;
        FirstResponseMinutes = (int)Math.Ceiling(firstResponse.TotalMinutes);
        ResolutionMinutes = (int)Math.Ceiling(resolution.TotalMinutes);
    }

    public int Id { get; private set; }
    public Severity Severity { get; private set; }
    public RelationshipLevel Level { get; private set; }
    public int FirstResponseMinutes { get; private set; }
    public int ResolutionMinutes { get; private set; }

    public TimeSpan FirstResponse => TimeSpan.FromMinutes(FirstResponseMinutes);
    public TimeSpan Resolution => TimeSpan.FromMinutes(ResolutionMinutes);

    public void Change(TimeSpan firstResponse, TimeSpan resolution)
    {
        var changed = new SlaTarget(Severity, Level, firstResponse, resolution); // validates
        FirstResponseMinutes = changed.FirstResponseMinutes;
        ResolutionMinutes = changed.ResolutionMinutes;
    }
}

/// <summary>When a ticket's first response and resolution fall due.</summary>
public readonly record struct SlaDueTimes(DateTime FirstResponseDueAt, DateTime ResolutionDueAt);

/// <summary>
/// The SLA targets by severity and relationship level. Due times run on the calendar clock from
/// the moment the ticket was received (the time is passed in; the policy never reads a clock).
/// </summary>
public sealed class SlaPolicy
{
    private readonly Dictionary<(Severity, RelationshipLevel), SlaTarget> _targets;

    public SlaPolicy(IEnumerable<SlaTarget> targets)
    {
        _targets = targets.ToDictionary(t => (t.Severity, t.Level));
        var missing = (from s in Enum.GetValues<Severity>()
                       from l in Enum.GetValues<RelationshipLevel>()
                       where !_targets.ContainsKey((s, l))
                       select $"{s}/{l}").ToList();
        if (missing.Count > 0)
            throw new DomainException("The SLA policy has no target for {0}.", string.Join(", ", missing));
    }

    public SlaTarget TargetFor(Severity severity, RelationshipLevel level) => _targets[(severity, level)];

    public SlaDueTimes DueTimes(Severity severity, RelationshipLevel level, DateTime receivedAt)
    {
        var target = TargetFor(severity, level);
        return new SlaDueTimes(receivedAt + target.FirstResponse, receivedAt + target.Resolution);
    }

    /// <summary>
    /// The starting targets: a major problem is answered within 2 hours (1 for partners) and solved within
    /// 2 days; a minor one within 8 hours and 5 days. Higher relationship levels get tighter targets.
    /// </summary>
    public static IReadOnlyList<SlaTarget> DefaultTargets { get; } =
    [
        .. from level in Enum.GetValues<RelationshipLevel>()
           let tighter = (int)level // 0 (basic) … 4 (partnership)
           from target in new[]
           {
               new SlaTarget(Severity.Minor, level, TimeSpan.FromHours(8 - tighter), TimeSpan.FromDays(5) - TimeSpan.FromHours(12 * tighter)),
               new SlaTarget(Severity.Major, level, TimeSpan.FromMinutes(120 - 15 * tighter), TimeSpan.FromHours(48 - 6 * tighter)),
           }
           select target,
    ];

    public static SlaPolicy Default { get; } = new(DefaultTargets);
}

namespace Desk.Domain.Tickets;

public sealed partial class Ticket
{
    private readonly List<TicketTag> _tags = [];

    /// <summary>The ticket's tags (load them with the ticket before changing them).</summary>
    public IReadOnlyList<TicketTag> Tags => _tags;

    /// <summary>
    /// Files the ticket under <paramref name="tag"/> in any state (a tag is no workflow step), with a line in the audit
    /// trail. False, changing nothing, when the ticket has the tag already. Whether the tag must come from the admins'
    /// list is the application's rule, not the ticket's.
    /// </summary>
    public bool AddTag(string actor, DateTime now, string tag)
    {
        var name = TagName.Normalize(tag);
        if (_tags.Any(t => t.Name == name)) return false;
        var who = Require(actor, "Who takes the step", 200);
        _tags.Add(new TicketTag(Id, name));
        _auditTrail.Add(AuditEntry.Tags(who, now, State, $"Tag added: {name}"));
        Touch(now);
        return true;
    }

    /// <summary>Takes <paramref name="tag"/> off, with a line in the audit trail; false, changing nothing, when the ticket does not have it.</summary>
    public bool RemoveTag(string actor, DateTime now, string tag)
    {
        var name = TagName.Normalize(tag);
        var existing = _tags.FirstOrDefault(t => t.Name == name);
        if (existing is null) return false;
        var who = Require(actor, "Who takes the step", 200);
        _tags.Remove(existing);
        _auditTrail.Add(AuditEntry.Tags(who, now, State, $"Tag removed: {name}"));
        Touch(now);
        return true;
    }
}

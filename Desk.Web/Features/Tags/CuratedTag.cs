namespace Desk.Web.Features.Tags;

/// <summary>
/// A tag on the admins' list. While the list is empty, agents tag freely; once it has tags, agents choose from it
/// (so the reports' tag breakdown is not split by spellings), and tags already on tickets stay until taken off.
/// </summary>
public sealed class CuratedTag
{
    private CuratedTag() { } // for EF Core

    public CuratedTag(string name, DateTime addedAt)
    {
        Name = name;
        AddedAt = addedAt;
    }

    /// <summary>The tag as <see cref="Desk.Domain.Tickets.TagName.Normalize"/> writes it.</summary>
    public string Name { get; private set; } = "";
    public DateTime AddedAt { get; private set; }
}

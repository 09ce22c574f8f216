namespace Desk.Web.Features.Queue;

/// <summary>An agent's own named queue view: the filter and search they saved, as the queue's query string.</summary>
public sealed class SavedView
{
    public const int MaxNameLength = 60;

    private SavedView() { } // for EF Core

    public SavedView(string userId, string name, string query, DateTime createdAt)
    {
        UserId = userId;
        Name = name;
        Query = query;
        CreatedAt = createdAt;
    }

    public long Id { get; private set; }
    /// <summary>The owner (<see cref="Identity.DeskUser"/>); a removed user's views go with them.</summary>
    public string UserId { get; private set; } = "";
    public string Name { get; private set; } = "";
    /// <summary>Written by <see cref="QueueFilter.ToQuery"/> from the bound filter, never taken as typed: "?view=…&amp;tag=…".</summary>
    public string Query { get; private set; } = "";
    public DateTime CreatedAt { get; private set; }

    /// <summary>Saving under the same name again replaces what the view shows.</summary>
    public void Replace(string query) => Query = query;
}

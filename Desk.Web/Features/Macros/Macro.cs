using Desk.Domain;

namespace Desk.Web.Features.Macros;

/// <summary>
/// A canned reply agents start from. Placeholders are filled when it is used:
/// {customer} (the customer's name), {number} (the ticket number), {agent} (who sends it).
/// Shared ones (no <see cref="Owner"/>) are offered to every agent and changed only by admins; a personal one is offered to
/// and changed by its owner alone.
/// </summary>
public sealed class Macro
{
    private Macro() { } // for EF Core

    public Macro(string title, string body, string author, DateTime now, string? group = null, string? owner = null)
    {
        Owner = owner;
        Change(title, body, group, author, now);
    }

    public int Id { get; private set; }
    public string Title { get; private set; } = "";
    public string Body { get; private set; } = "";
    /// <summary>The group it is listed under ("Delivery", "Refunds"…); null: not grouped.</summary>
    public string? Group { get; private set; }
    /// <summary>The agent whose own canned reply it is; null for a shared one.</summary>
    public string? Owner { get; private set; }
    public string UpdatedBy { get; private set; } = "";
    public DateTime UpdatedAt { get; private set; }

    public bool IsShared => Owner is null;

    /// <summary>Shared ones by admins, personal ones by their owner.</summary>
    public bool CanBeChangedBy(string user, bool isAdmin) => IsShared ? isAdmin : Owner == user;

    public void Change(string? title, string? body, string? group, string author, DateTime now)
    {
        Title = string.IsNullOrWhiteSpace(title) ? throw new DomainException("A canned reply needs a title.") : title.Trim();
        Body = string.IsNullOrWhiteSpace(body) ? throw new DomainException("A canned reply needs a text.") : body.Trim();
        if (Title.Length > 200) throw new DomainException("The title is too long (at most 200 characters).");
        Group = string.IsNullOrWhiteSpace(group) ? null : group.Trim();
        if (Group is { Length: > 100 }) throw new DomainException("The group's name is too long (at most 100 characters).");
        UpdatedBy = author;
        UpdatedAt = now;
    }

    public string Fill(string customerName, string ticketNumber, string agent) => Body
        .Replace("{customer}", customerName, StringComparison.Ordinal)
        .Replace("{number}", ticketNumber, StringComparison.Ordinal)
        .Replace("{agent}", agent, StringComparison.Ordinal);
}

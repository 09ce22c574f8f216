using Desk.Domain;

namespace Desk.Web.Features.Macros;

/// <summary>
/// A canned reply agents start from. Placeholders are filled when it is used:
/// {customer} (the customer's name), {number} (the ticket number), {agent} (who sends it).
/// </summary>
public sealed class Macro
{
    private Macro() { } // for EF Core

    public Macro(string title, string body, string author, DateTime now)
    {
        Change(title, body, author, now);
    }

    public int Id { get; private set; }
    public string Title { get; private set; } = "";
    public string Body { get; private set; } = "";
    public string UpdatedBy { get; private set; } = "";
    public DateTime UpdatedAt { get; private set; }

    public void Change(string? title, string? body, string author, DateTime now)
    {
        Title = string.IsNullOrWhiteSpace(title) ? throw new DomainException("A canned reply needs a title.") : title.Trim();
        Body = string.IsNullOrWhiteSpace(body) ? throw new DomainException("A canned reply needs a text.") : body.Trim();
        if (Title.Length > 200) throw new DomainException("The title is too long (at most 200 characters).");
        UpdatedBy = author;
        UpdatedAt = now;
    }

    public string Fill(string customerName, string ticketNumber, string agent) => Body
        .Replace("{customer}", customerName, StringComparison.Ordinal)
        .Replace("{number}", ticketNumber, StringComparison.Ordinal)
        .Replace("{agent}", agent, StringComparison.Ordinal);
}

namespace Desk.Domain.Tickets;

/// <summary>One tag on one ticket (see <see cref="Ticket.AddTag"/>): a short word agents file tickets under.</summary>
public sealed class TicketTag
{
    private TicketTag() { } // for EF Core

    internal TicketTag(long ticketId, string name)
    {
        TicketId = ticketId;
        Name = name;
    }

    public long TicketId { get; private set; }

    /// <summary>The tag as <see cref="TagName.Normalize"/> wrote it.</summary>
    public string Name { get; private set; } = "";
}

/// <summary>What a tag may be: one line of at most <see cref="MaxLength"/> characters, kept in lower case so "Refund" and "refund" are one tag.</summary>
public static class TagName
{
    public const int MaxLength = 40;

    /// <summary>The tag as stored: trimmed, inner runs of white space made one space, lower case. Refuses an empty or too long tag.</summary>
    public static string Normalize(string? typed)
    {
        var words = (typed ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var name = string.Join(' ', words).ToLowerInvariant();
        if (name.Length == 0) throw new DomainException("A tag is required.");
        if (name.Length > MaxLength) throw new DomainException("A tag is at most {0} characters.", MaxLength);
        if (name.Any(char.IsControl)) throw new DomainException("A tag is one line of text.");
        return name;
    }

    /// <summary>The tag as stored, or the empty string (which no ticket has) for something that cannot be a tag: for filters.</summary>
    public static string TryNormalize(string? typed)
    {
        try
        {
            return Normalize(typed);
        }
        catch (DomainException)
        {
            return "";
        }
    }
}

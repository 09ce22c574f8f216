using Desk.Domain.Tickets;
using Desk.Web.Features.Shared;

namespace Desk.Web.Features.Queue;

/// <summary>The queue's query string: a view (saved view or state), filters, a search, and where the page starts.</summary>
public sealed record QueueFilter
{
    public string? View { get; init; }
    public Severity? Severity { get; init; }
    public TicketKind? Kind { get; init; }
    public Channel? Channel { get; init; }
    public string? Assignee { get; init; }
    public SlaStatus? Sla { get; init; }
    public int? RootCause { get; init; }
    public string? Q { get; init; }
    /// <summary>Only tickets with this tag (see <see cref="Desk.Domain.Tickets.TagName"/>).</summary>
    public string? Tag { get; init; }
    public string? After { get; init; }

    // ---- order (live awareness): the sort and its direction; null takes the view's own (see QueueOrder.For) ----
    public QueueSort? Sort { get; init; }
    public SortDirection? Dir { get; init; }

    public bool HasFilters => Severity is not null || Kind is not null || Channel is not null || !string.IsNullOrEmpty(Assignee)
        || Sla is not null || RootCause is not null
        || !string.IsNullOrWhiteSpace(Tag);

    /// <summary>This filter as a query string, with <paramref name="after"/> as the page start (null: first page).</summary>
    public string ToQuery(string? after = null, string? view = null)
    {
        var parts = new List<KeyValuePair<string, string?>>
        {
            new("view", view ?? View), new("severity", Severity?.ToString()), new("kind", Kind?.ToString()),
            new("channel", Channel?.ToString()), new("assignee", Assignee), new("sla", Sla?.ToString()),
            new("rootCause", RootCause?.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("q", Q),
            new("tag", string.IsNullOrWhiteSpace(Tag) ? null : Tag.Trim()),
            new("after", after),
        };
        // A chosen order stays with the view it was chosen in; another view starts in its own order.
        if (view is null || string.Equals(view, View, StringComparison.OrdinalIgnoreCase))
            parts.AddRange([new("sort", Sort?.ToString()), new("dir", Dir?.ToString())]);
        return Microsoft.AspNetCore.Http.QueryString.Create(parts.Where(p => !string.IsNullOrEmpty(p.Value))).ToString();
    }
}

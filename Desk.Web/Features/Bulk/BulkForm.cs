using System.Globalization;
using Desk.Domain.Tickets;

namespace Desk.Web.Features.Bulk;

/// <summary>The steps the queue takes on many tickets at once, one of them per post.</summary>
public enum BulkStep { Assign, Escalate, SetSeverity, Merge, RejectAsSpam }

/// <summary>
/// What the queue's bulk bar posts: the chosen tickets, each as "id:version" (the version the agent saw, so a ticket
/// changed since is refused like a step on the ticket page), the step, and what the step needs.
/// </summary>
public sealed record BulkForm
{
    /// <summary>At most this many tickets per post (the queue shows 50 a page).</summary>
    public const int MaxTickets = 200;

    public string[] Tickets { get; init; } = [];
    public BulkStep Step { get; init; }
    /// <summary>Assign: the agent (empty: the one posting).</summary>
    public string? Assignee { get; init; }
    /// <summary>Escalate: why (required); reject as spam: a comment (optional).</summary>
    public string? Reason { get; init; }
    public Severity? Severity { get; init; }
    /// <summary>Merge: the ticket the others are merged into (a number, e.g. D-000123).</summary>
    public string? MergeInto { get; init; }
    /// <summary>The queue's query string the agent came from ("?view=…"), for the way back.</summary>
    public string? Back { get; init; }

    /// <summary>The chosen tickets with the versions the agent saw, first choice first, each once; unreadable entries left out.</summary>
    public IReadOnlyList<(long Id, int Version)> Chosen() =>
    [
        .. Tickets.Select(Parse).OfType<(long, int)>().DistinctBy(t => t.Item1).Take(MaxTickets),
    ];

    /// <summary>The way back to the queue as it was: only a query string of the queue page, never another address.</summary>
    public string BackToQueue => Back is { Length: > 1 } q && q[0] == '?' && !q.Contains('#', StringComparison.Ordinal) ? "/" + q : "/";

    private static (long, int)? Parse(string? value)
    {
        var parts = value?.Split(':');
        return parts is [var id, var version]
            && long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i > 0
            && int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? (i, v) : null;
    }
}

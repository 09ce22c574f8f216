using System.Globalization;
using Desk.Domain.Customers;
using Desk.Domain.Loyalty;
using Desk.Domain.Recovery;
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

    // ---- drill-down from the reports (see QueueDrillDown): each adds SQL only when present ----
    /// <summary>Received on or after this day (UTC, as the reports read their dates).</summary>
    public DateOnly? From { get; init; }
    /// <summary>Received on or before this day (inclusive, UTC).</summary>
    public DateOnly? To { get; init; }
    /// <summary>Only the complaints the reports count (kind Complaint, not rejected: the kept outcomes' rows).</summary>
    public bool? Reported { get; init; }
    /// <summary>How the complaint went, as the recovery matrix's columns: not resolved, resolved late, within target.</summary>
    public RecoveryColumn? Handled { get; init; }
    /// <summary>The first response against its target, as the SLA report settles it.</summary>
    public TargetOutcome? FirstResponse { get; init; }
    /// <summary>The resolution against its target, as the SLA report settles it (open past due counts as missed).</summary>
    public TargetOutcome? Resolution { get; init; }
    /// <summary>What the customer did after the complaint, as the recovery reports measure it.</summary>
    public RepurchaseDrill? Outcome { get; init; }
    public RelationshipLevel? Level { get; init; }
    public TenureBand? Tenure { get; init; }
    public LoyaltyClass? Loyalty { get; init; }
    /// <summary>The remedy given (a remedy kind's id), on a resolved complaint.</summary>
    public int? Remedy { get; init; }
    /// <summary>How the remedy given matched the one asked for.</summary>
    public Reports.Recovery.RemedyMatch? Asked { get; init; }
    /// <summary>A repeat complaint (a second failure within the repeat window), or a first one.</summary>
    public bool? Repeat { get; init; }
    /// <summary>The product as written on the ticket.</summary>
    public string? Product { get; init; }
    /// <summary>The follow-up survey: sent, or answered.</summary>
    public SurveyDrill? Survey { get; init; }
    /// <summary>One customer's tickets.</summary>
    public long? Customer { get; init; }

    /// <summary>Any filter that reads the reports' kept outcomes (the dates, the product and the customer read the ticket itself).</summary>
    public bool HasOutcomeFilters => Reported == true || Handled is not null || FirstResponse is not null || Resolution is not null
        || Outcome is not null || Level is not null || Tenure is not null || Loyalty is not null || Remedy is not null || Asked is not null
        || Repeat is not null || Survey is not null;

    /// <summary>Any drill-down filter: the queue then shows them as chips and counts the tickets.</summary>
    public bool HasDrillDown => From is not null || To is not null || !string.IsNullOrWhiteSpace(Product) || Customer is not null || HasOutcomeFilters;

    // ---- order (live awareness): the sort and its direction; null takes the view's own (see QueueOrder.For) ----
    public QueueSort? Sort { get; init; }
    public SortDirection? Dir { get; init; }

    public bool HasFilters => Severity is not null || Kind is not null || Channel is not null || !string.IsNullOrEmpty(Assignee)
        || Sla is not null || RootCause is not null
        || !string.IsNullOrWhiteSpace(Tag) || HasDrillDown;

    /// <summary>This filter as a query string, with <paramref name="after"/> as the page start (null: first page).</summary>
    public string ToQuery(string? after = null, string? view = null)
    {
        // Written straight into one builder (a queue page makes some thirty of these links): the pairs that have a value,
        // encoded as QueryString.Create encodes them.
        var query = new System.Text.StringBuilder(64);
        void Add(string key, string? value)
        {
            if (string.IsNullOrEmpty(value)) return;
            query.Append(query.Length == 0 ? '?' : '&').Append(key).Append('=').Append(System.Text.Encodings.Web.UrlEncoder.Default.Encode(value));
        }
        Add("view", view ?? View);
        Add("severity", Severity?.ToString());
        Add("kind", Kind?.ToString());
        Add("channel", Channel?.ToString());
        Add("assignee", Assignee);
        Add("sla", Sla?.ToString());
        Add("rootCause", RootCause?.ToString(CultureInfo.InvariantCulture));
        Add("q", Q);
        Add("tag", string.IsNullOrWhiteSpace(Tag) ? null : Tag.Trim());
        if (HasDrillDown)
            foreach (var (key, value) in DrillDownQuery()) Add(key, value);
        Add("after", after);
        // A chosen order stays with the view it was chosen in; another view starts in its own order.
        if (view is null || string.Equals(view, View, StringComparison.OrdinalIgnoreCase))
        {
            Add("sort", Sort?.ToString());
            Add("dir", Dir?.ToString());
        }
        return query.ToString();
    }

    /// <summary>The drill-down filters as query-string pairs (null values are left out by the caller).</summary>
    public IEnumerable<KeyValuePair<string, string?>> DrillDownQuery() =>
    [
        new("from", From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), new("to", To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        new("reported", Reported == true ? "true" : null), new("handled", Handled?.ToString()),
        new("firstResponse", FirstResponse?.ToString()), new("resolution", Resolution?.ToString()), new("outcome", Outcome?.ToString()),
        new("level", Level?.ToString()), new("tenure", Tenure?.ToString()), new("loyalty", Loyalty?.ToString()),
        new("remedy", Remedy?.ToString(CultureInfo.InvariantCulture)), new("asked", Asked?.ToString()),
        new("repeat", Repeat is { } r ? (r ? "true" : "false") : null),
        new("product", string.IsNullOrWhiteSpace(Product) ? null : Product.Trim()), new("survey", Survey?.ToString()),
        new("customer", Customer?.ToString(CultureInfo.InvariantCulture)),
    ];
}

/// <summary>A target time's outcome as the SLA report counts it: met, missed (late, or not done and past due), or either (settled).</summary>
public enum TargetOutcome { Met, Missed, Settled }

/// <summary>
/// The repurchase outcome as the recovery reports count it: bought again in the window, did not (window ended, no order),
/// either of those (measured), or the window still open (pending).
/// </summary>
public enum RepurchaseDrill { BoughtAgain, NotBoughtAgain, Measured, Pending }

/// <summary>The follow-up survey: sent by now, or sent and answered.</summary>
public enum SurveyDrill { Sent, Answered }

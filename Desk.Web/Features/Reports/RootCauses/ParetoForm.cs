using System.Globalization;
using Desk.Domain.Tickets;

namespace Desk.Web.Features.Reports.RootCauses;

/// <summary>The Pareto's filters: dates (inclusive), severity, channel, product.</summary>
public sealed class ParetoForm
{
    public DateOnly? From { get; set; }
    public DateOnly? To { get; set; }
    public Severity? Severity { get; set; }
    public Channel? Channel { get; set; }
    public string? Product { get; set; }

    public ParetoFilter ToFilter() => new(
        From?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), To?.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        Severity, Channel, string.IsNullOrWhiteSpace(Product) ? null : Product.Trim());

    /// <summary>The same filters over other dates (inclusive): the comparison strip's periods.</summary>
    public ParetoForm Within(DateOnly from, DateOnly to) => new() { From = from, To = to, Severity = Severity, Channel = Channel, Product = Product };

    public string Query => Microsoft.AspNetCore.Http.QueryString.Create(new Dictionary<string, string?>
    {
        ["from"] = From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["to"] = To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["severity"] = Severity?.ToString(), ["channel"] = Channel?.ToString(), ["product"] = string.IsNullOrWhiteSpace(Product) ? null : Product,
    }.Where(p => p.Value is not null)).ToString();

    /// <summary>The queue with the same filters (dates included) and one cause: the tickets behind a bar.</summary>
    public string DrillDown(int rootCause) => ReportDrill.Queue(this, new Queue.QueueFilter { RootCause = rootCause });
}

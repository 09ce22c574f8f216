using System.Globalization;
using Desk.Domain.Customers;

namespace Desk.Web.Features.Reports;

/// <summary>
/// What a manager filters a recovery report by: complaints received (or baseline orders placed) in [From, To), the
/// customers' relationship level (their segment), and their tenure at that moment.
/// </summary>
public sealed record RecoveryFilter(DateTime? From = null, DateTime? To = null, RelationshipLevel? Level = null, TenureBand? Tenure = null);

/// <summary>The filters every report takes: dates (inclusive, as a person picks them), the customers' relationship level (segment) and tenure.</summary>
public sealed class ReportFilterForm
{
    public DateOnly? From { get; set; }
    public DateOnly? To { get; set; }
    public RelationshipLevel? Level { get; set; }
    public TenureBand? Tenure { get; set; }

    public RecoveryFilter ToFilter() => new(
        From?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        To?.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        Level, Tenure);

    /// <summary>The same filters over other dates (inclusive): the comparison strip's periods.</summary>
    public ReportFilterForm Within(DateOnly from, DateOnly to) => new() { From = from, To = to, Level = Level, Tenure = Tenure };

    public string Query => string.Join("&", new[]
    {
        From is { } f ? "from=" + f.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
        To is { } t ? "to=" + t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
        Level is { } l ? "level=" + l : null,
        Tenure is { } b ? "tenure=" + b : null,
    }.OfType<string>());
}

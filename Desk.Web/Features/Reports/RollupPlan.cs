using Desk.Web.Data;

namespace Desk.Web.Features.Reports;

/// <summary>
/// How a report reads a date range from a weekly rollup and the kept rows together: the whole weeks inside
/// [From, To) come from the rollup (settled rows, added up per week); the rows of the part weeks at either end come
/// live from the kept rows, settled or not; and inside the whole weeks, the rows not settled by the cutoff come live too.
/// Weeks run Monday to Sunday, UTC (<see cref="ReportDialect.Week"/>).
/// </summary>
internal sealed record RollupPlan(long? FirstWeek, long? EndWeek, bool HasRollup, IReadOnlyList<(string Range, bool UnsettledOnly)> Live)
{
    private const long Day = 86_400_000L;

    public static RollupPlan Of(DateTime? from, DateTime? to, string time)
    {
        long? fromMs = from is { } f ? StoredValues.UnixMilliseconds(f) : null, toMs = to is { } t ? StoredValues.UnixMilliseconds(t) : null;
        // SQL's integer division truncates where this one floors: before the epoch's first whole week the two disagree,
        // so a range that reaches back there is read live.
        if (fromMs < 7 * Day || toMs < 7 * Day) return new RollupPlan(null, null, false, [(Between(time, fromMs, toMs), false)]);
        long? first = fromMs is { } a ? CeilingDivide(a + 3 * Day, 7 * Day) : null;
        long? end = toMs is { } b ? FloorDivide(b + 3 * Day, 7 * Day) : null;
        if (first is { } x && end is { } y && x >= y)
            return new RollupPlan(null, null, false, [(Between(time, fromMs, toMs), false)]);

        var live = new List<(string, bool)>();
        long? middleFrom = first is { } w1 ? ReportDialect.WeekStart(w1) : null, middleTo = end is { } w2 ? ReportDialect.WeekStart(w2) : null;
        if (fromMs is { } head && middleFrom is { } headEnd && head < headEnd) live.Add((Between(time, head, headEnd), false));
        if (toMs is { } tail && middleTo is { } tailStart && tailStart < tail) live.Add((Between(time, tailStart, tail), false));
        live.Add((Between(time, middleFrom, middleTo), true));
        return new RollupPlan(first, end, true, live);
    }

    /// <summary>The rollup's weeks inside the range, over a week column.</summary>
    public string Weeks(string week) =>
        string.Join(" AND ", new[] { "true", FirstWeek is { } a ? $"{week} >= {a}" : null, EndWeek is { } b ? $"{week} < {b}" : null }.OfType<string>());

    private static string Between(string time, long? from, long? to) =>
        string.Join(" AND ", new[] { "true", from is { } a ? $"{time} >= {a}" : null, to is { } b ? $"{time} < {b}" : null }.OfType<string>());

    private static long FloorDivide(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    private static long CeilingDivide(long a, long b) => -FloorDivide(-a, b);
}

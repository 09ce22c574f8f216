using System.Globalization;
using Desk.Web.Features.Shared;

namespace Desk.Web.Features.Reports;

/// <summary>
/// The two periods a report's comparison strip sets side by side, as inclusive days. With both dates chosen it is the
/// report's own range against the one before it of the same length (the dates moved back by the range's length, so
/// 1–30 November against 2–31 October); without both (the report then covers all dates, or an open end) the strip
/// compares the last <see cref="DefaultDays"/> days, today included, against the <see cref="DefaultDays"/> before,
/// and says so.
/// </summary>
public sealed record ComparedPeriods(DateOnly From, DateOnly To, bool Chosen)
{
    public const int DefaultDays = 30;

    public int Days => To.DayNumber - From.DayNumber + 1;

    public DateOnly PreviousFrom => From.AddDays(-Days);

    public DateOnly PreviousTo => From.AddDays(-1);

    /// <summary>The periods for a report filtered from <paramref name="from"/> to <paramref name="to"/> (inclusive) on <paramref name="today"/>.</summary>
    public static ComparedPeriods Of(DateOnly? from, DateOnly? to, DateOnly today) =>
        from is { } f && to is { } t && f <= t ? new(f, t, true) : new(today.AddDays(1 - DefaultDays), today, false);
}

/// <summary>
/// One key figure of a report over the period and the one before. <see cref="Now"/> and <see cref="Before"/> are the
/// values compared (a rate as a fraction, money and counts as numbers) and written invariant in the strip's data
/// attributes; the texts are how the page shows them.
/// </summary>
public sealed record ComparedFigure(string Id, string Label, double? Now, double? Before, string NowText, string BeforeText,
    bool? HigherIsBetter, ChangeUnit Unit = ChangeUnit.Relative)
{
    public TileChange Change => new(Now, Before, HigherIsBetter, Unit);

    public static string Raw(double? value) => value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "";
}

/// <summary>
/// What sits above a report's chart: one reading in plain words that says what to do (<see cref="Reading"/>), the key
/// figures against the period before, and the statistics behind both in a "How this is computed" disclosure.
/// </summary>
public sealed record ReportSummary(string Reading, IReadOnlyList<string> HowComputed, ComparedPeriods Periods, IReadOnlyList<ComparedFigure> Figures);

/// <summary>Number formats the readings and strips share, in the reader's culture.</summary>
public static class ReportText
{
    /// <summary>Below this many measured in a group, a reading does not compare or rank it: it says the data are too thin.</summary>
    public const int MinimumGroup = 5;

    public static string Pct(double? rate) => rate is { } r ? r.ToString("P0", CultureInfo.CurrentCulture) : "—";

    public static string Count(long n) => n.ToString("N0", CultureInfo.CurrentCulture);

    public static string Money(decimal m) => m.ToString("N0", CultureInfo.CurrentCulture);

    public static string Money(double? m) => m is { } v ? v.ToString("N0", CultureInfo.CurrentCulture) : "—";

    public static bool Chinese => CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal);

    public static string Name(string name, string nameZh) => Chinese ? nameZh : name;
}

/// <summary>Runs a report for its comparison strip.</summary>
public static class ReportComparisons
{
    /// <summary>
    /// The report over the strip's period and the one before, through the report's own query with the shifted filter; the
    /// page's own result stands for the period when the periods are the page's dates.
    /// </summary>
    public static async Task<(T Now, T Before)> RunAsync<T>(ComparedPeriods periods, T shown, Func<DateOnly, DateOnly, Task<T>> run)
    {
        var now = periods.Chosen ? shown : await run(periods.From, periods.To);
        return (now, await run(periods.PreviousFrom, periods.PreviousTo));
    }

    /// <summary>A sum of money as a reading says it, "about 8,400": two significant figures from 100 up, whole units below.</summary>
    public static decimal About(decimal amount)
    {
        if (amount < 100) return Math.Round(amount, 0, MidpointRounding.AwayFromZero);
        var step = (decimal)Math.Pow(10, Math.Floor(Math.Log10((double)amount)) - 1);
        return Math.Round(amount / step, 0, MidpointRounding.AwayFromZero) * step;
    }
}

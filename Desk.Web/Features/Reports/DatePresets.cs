using System.Globalization;
using Desk.Web.Features.Shared;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Primitives;

namespace Desk.Web.Features.Reports;

/// <summary>The date ranges a report's filter form offers in one click.</summary>
public enum DatePreset { ThisWeek, Last30Days, ThisQuarter, LastYear }

/// <summary>One preset as the form shows it: its name, the link with the dates filled in, and whether it is the range shown.</summary>
public sealed record DatePresetLink(DatePreset Preset, DateOnly From, DateOnly To, string Href, bool Active);

/// <summary>
/// Date presets, computed on the server from the desk's today in the reader's time zone (<see cref="AgentTime.Zone"/>),
/// so they work as plain links without JavaScript and a shared URL carries fixed dates, not "last 30 days".
/// Ranges are inclusive, as a person picks them in the two date inputs; a range never runs past today.
/// </summary>
public static class DatePresets
{
    /// <summary>The day it is for the reader: now in their zone.</summary>
    public static DateOnly Today(TimeProvider clock, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime);

    /// <summary>
    /// The inclusive range of a preset on <paramref name="today"/>: this week from Monday (ISO weeks), the last 30 days
    /// including today, this quarter from its first day, last year as the whole previous calendar year.
    /// </summary>
    public static (DateOnly From, DateOnly To) Range(DatePreset preset, DateOnly today) => preset switch
    {
        DatePreset.ThisWeek => (today.AddDays(-(((int)today.DayOfWeek + 6) % 7)), today),
        DatePreset.Last30Days => (today.AddDays(-29), today),
        DatePreset.ThisQuarter => (new DateOnly(today.Year, (today.Month - 1) / 3 * 3 + 1, 1), today),
        DatePreset.LastYear => (new DateOnly(today.Year - 1, 1, 1), new DateOnly(today.Year - 1, 12, 31)),
        _ => throw new ArgumentOutOfRangeException(nameof(preset)),
    };

    /// <summary>
    /// Every preset as a link to <paramref name="path"/> that keeps the request's other filters (level, tenure, severity,
    /// minimum …) and replaces only from and to; the one whose range equals the request's dates is active.
    /// </summary>
    public static IReadOnlyList<DatePresetLink> Links(string path, IQueryCollection query, DateOnly today)
    {
        var from = Day(query["from"]);
        var to = Day(query["to"]);
        return Enum.GetValues<DatePreset>().Select(preset =>
        {
            var (f, t) = Range(preset, today);
            var href = new QueryBuilder(query
                .Where(p => p.Key is not ("from" or "to") && !StringValues.IsNullOrEmpty(p.Value))
                .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string>(p.Key, v ?? "")))
                .Prepend(new("to", Iso(t))).Prepend(new("from", Iso(f))));
            return new DatePresetLink(preset, f, t, path + href, from == f && to == t);
        }).ToList();
    }

    /// <summary>True when the request has dates that match no preset: the two inputs are the range ("custom").</summary>
    public static bool IsCustom(IQueryCollection query, IReadOnlyList<DatePresetLink> links) =>
        (Day(query["from"]) is not null || Day(query["to"]) is not null) && !links.Any(l => l.Active);

    /// <summary>A day in the page's culture, as people read it beside the ISO inputs: 11/23/2026, 2026年11月23日.</summary>
    public static string Format(DateOnly day, CultureInfo culture) =>
        culture.Name.StartsWith("zh", StringComparison.Ordinal) ? day.ToString("yyyy年M月d日", culture) : day.ToString("d", culture);

    /// <summary>A range in the page's culture: "11/1/2026 – 11/23/2026"; an open end reads as "…".</summary>
    public static string Format(DateOnly? from, DateOnly? to, CultureInfo culture) =>
        $"{(from is { } f ? Format(f, culture) : "…")} – {(to is { } t ? Format(t, culture) : "…")}";

    public static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A query's date as the model binder reads it (invariant culture); null when absent or unreadable.</summary>
    public static DateOnly? Day(StringValues value) =>
        DateOnly.TryParse(value.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
}

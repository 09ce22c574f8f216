using System.Globalization;
using System.Text.RegularExpressions;
using Desk.Tests.Support;
using Desk.Web.Features.Reports;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.Time.Testing;

namespace Desk.Tests.Reports;

/// <summary>Which dates each preset gives for a fixed day, at the week's, quarter's and year's edges.</summary>
public sealed class DatePresetsTests
{
    public static TheoryData<string, DatePreset, string, string> Ranges => new()
    {
        // A Monday in the middle of a quarter (the test desk's day).
        { "2026-11-23", DatePreset.ThisWeek, "2026-11-23", "2026-11-23" },
        { "2026-11-23", DatePreset.Last30Days, "2026-10-25", "2026-11-23" },
        { "2026-11-23", DatePreset.ThisQuarter, "2026-10-01", "2026-11-23" },
        { "2026-11-23", DatePreset.LastYear, "2025-01-01", "2025-12-31" },
        // A Sunday: the week began on Monday six days before.
        { "2026-11-29", DatePreset.ThisWeek, "2026-11-23", "2026-11-29" },
        // The first day of a year: a week reaching back into the old year, a quarter of one day, last year the one just ended.
        { "2027-01-01", DatePreset.ThisWeek, "2026-12-28", "2027-01-01" },
        { "2027-01-01", DatePreset.Last30Days, "2026-12-03", "2027-01-01" },
        { "2027-01-01", DatePreset.ThisQuarter, "2027-01-01", "2027-01-01" },
        { "2027-01-01", DatePreset.LastYear, "2026-01-01", "2026-12-31" },
        // The last day of a quarter and of a year.
        { "2026-09-30", DatePreset.ThisQuarter, "2026-07-01", "2026-09-30" },
        { "2026-12-31", DatePreset.ThisQuarter, "2026-10-01", "2026-12-31" },
        { "2026-12-31", DatePreset.LastYear, "2025-01-01", "2025-12-31" },
        // March in a leap year: 30 days back crosses 29 February.
        { "2028-03-15", DatePreset.Last30Days, "2028-02-15", "2028-03-15" },
        { "2028-03-15", DatePreset.ThisQuarter, "2028-01-01", "2028-03-15" },
    };

    [Theory]
    [MemberData(nameof(Ranges))]
    public void Range_FixedDay_GivesTheInclusiveDates(string today, DatePreset preset, string from, string to)
    {
        var (f, t) = DatePresets.Range(preset, DateOnly.Parse(today, CultureInfo.InvariantCulture));

        Assert.Equal((from, to), (DatePresets.Iso(f), DatePresets.Iso(t)));
    }

    [Fact]
    public void Today_LateEveningUtcOnNewYearsEve_IsNewYearsDayInShanghai()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 31, 20, 0, 0, TimeSpan.Zero));

        Assert.Equal(new DateOnly(2026, 12, 31), DatePresets.Today(clock, TimeZoneInfo.Utc));
        Assert.Equal(new DateOnly(2027, 1, 1), DatePresets.Today(clock, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")));
    }

    [Fact]
    public void Links_OtherFiltersInTheQuery_KeepsThemAndReplacesOnlyTheDates()
    {
        var query = new QueryCollection(new Dictionary<string, StringValues>
        {
            ["from"] = "2026-10-25", ["to"] = "2026-11-23", ["level"] = "Proactive", ["minimum"] = "100", ["tenure"] = "",
        });

        var links = DatePresets.Links("/reports/win-back", query, new DateOnly(2026, 11, 23));

        Assert.Equal("/reports/win-back?from=2026-10-01&to=2026-11-23&level=Proactive&minimum=100",
            links.Single(l => l.Preset == DatePreset.ThisQuarter).Href);
        Assert.Equal([DatePreset.Last30Days], links.Where(l => l.Active).Select(l => l.Preset));
        Assert.False(DatePresets.IsCustom(query, links));
    }

    [Fact]
    public void IsCustom_DatesMatchingNoPreset_IsTrue_AndNoDatesIsNeither()
    {
        var today = new DateOnly(2026, 11, 23);
        var custom = new QueryCollection(new Dictionary<string, StringValues> { ["from"] = "2026-11-02" });
        var none = new QueryCollection();

        Assert.True(DatePresets.IsCustom(custom, DatePresets.Links("/r", custom, today)));
        Assert.False(DatePresets.IsCustom(none, DatePresets.Links("/r", none, today)));
        Assert.DoesNotContain(DatePresets.Links("/r", none, today), l => l.Active);
    }

    [Fact]
    public void Format_EachCulture_ReadsAsItsPeopleWriteDates()
    {
        var day = new DateOnly(2026, 11, 3);

        Assert.Equal("11/3/2026", DatePresets.Format(day, CultureInfo.GetCultureInfo("en")));
        Assert.Equal("2026年11月3日", DatePresets.Format(day, CultureInfo.GetCultureInfo("zh-CN")));
        Assert.Equal("… – 11/3/2026", DatePresets.Format(null, day, CultureInfo.GetCultureInfo("en")));
    }
}

/// <summary>The presets on real report pages (demo desk, its clock on Monday 23 November 2026, UTC).</summary>
public sealed partial class DatePresetsPageTests(DeskWebFactory factory) : IClassFixture<DeskWebFactory>
{
    [StorageFact]
    public async Task ReportPage_LastThirtyDaysAndALevel_ShowsThePresetsWithTheLevelKept_AndMarksLastThirtyDays()
    {
        var manager = await factory.SignedInAsync("maria");

        var page = await manager.GetStringAsync("/reports/loss-reasons?from=2026-10-25&to=2026-11-23&level=Proactive");

        Assert.Equal(new Dictionary<string, string>
        {
            ["ThisWeek"] = "/reports/loss-reasons?from=2026-11-23&to=2026-11-23&level=Proactive",
            ["Last30Days"] = "/reports/loss-reasons?from=2026-10-25&to=2026-11-23&level=Proactive",
            ["ThisQuarter"] = "/reports/loss-reasons?from=2026-10-01&to=2026-11-23&level=Proactive",
            ["LastYear"] = "/reports/loss-reasons?from=2025-01-01&to=2025-12-31&level=Proactive",
        }, PresetLinks().Matches(page).ToDictionary(m => m.Groups["preset"].Value, m => m.Groups["href"].Value.Replace("&amp;", "&")));
        Assert.Equal(["Last30Days"], ActivePresets().Matches(page).Select(m => m.Groups["preset"].Value));
        Assert.Contains("id=\"date-range\">10/25/2026 – 11/23/2026<", page);
        // The downloads carry the same filters, so a file matches the view it came from.
        Assert.Contains("href=\"/reports/loss-reasons.csv?from=2026-10-25&amp;to=2026-11-23&amp;level=Proactive\"", page);
    }

    [StorageFact]
    public async Task ParetoPage_InChinese_KeepsItsOwnFilters_MarksCustom_AndShowsChineseDates()
    {
        var manager = await factory.SignedInAsync("maria");
        manager.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");

        var page = await manager.GetStringAsync("/reports/root-causes?from=2026-11-02&to=2026-11-20&severity=Major");

        var links = PresetLinks().Matches(page).ToDictionary(m => m.Groups["preset"].Value, m => m.Groups["href"].Value.Replace("&amp;", "&"));
        Assert.Equal("/reports/root-causes?from=2026-10-01&to=2026-11-23&severity=Major", links["ThisQuarter"]);
        Assert.Empty(ActivePresets().Matches(page));
        Assert.Matches("class=\"btn btn-sm btn-secondary active\" data-preset=\"Custom\"", page);
        Assert.Contains("最近 30 天", page);
        Assert.Contains("id=\"date-range\">2026年11月2日 – 2026年11月20日<", page);
    }

    [StorageFact]
    public async Task EveryReportPage_ShowsThePresetsInsideItsGetForm()
    {
        var manager = await factory.SignedInAsync("maria");

        foreach (var path in new[] { "/reports/recovery", "/reports/root-causes", "/reports/loss-reasons", "/reports/win-back", "/reports/sla", "/reports/remedies", "/reports/three-faces", "/reports/tags" })
        {
            var page = await manager.GetStringAsync(path + "?level=Basic");
            var form = Regex.Match(page, "<form method=\"get\" action=\"" + Regex.Escape(path) + "\"[^>]*id=\"report-filters\">(?<body>.*?)</form>", RegexOptions.Singleline);
            Assert.True(form.Success, $"{path} has no GET filter form");
            Assert.Contains("id=\"date-presets\"", form.Groups["body"].Value);
            Assert.Contains($"href=\"{path}?from=2026-11-23&amp;to=2026-11-23&amp;level=Basic\" data-preset=\"ThisWeek\"", page);
            Assert.Contains("id=\"date-range\">All dates<", page);
        }
    }

    [GeneratedRegex("<a class=\"btn btn-sm [^\"]*\" href=\"(?<href>[^\"]+)\" data-preset=\"(?<preset>\\w+)\"")]
    private static partial Regex PresetLinks();

    [GeneratedRegex("<a class=\"btn btn-sm btn-secondary active\" href=\"[^\"]+\" data-preset=\"(?<preset>\\w+)\"")]
    private static partial Regex ActivePresets();
}

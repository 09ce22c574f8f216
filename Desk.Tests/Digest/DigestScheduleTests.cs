using Desk.Web.Features.Digest;

namespace Desk.Tests.Digest;

/// <summary>When a digest is due: on its day at the send hour in the subscriber's own zone, and never the day before.</summary>
public sealed class DigestScheduleTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Theory]
    [InlineData("2026-11-23T23:30:00", "2026-11-23T23:00:00", "2026-11-24")] // Tuesday 07:30 in Shanghai: today's, at 07:00 there
    [InlineData("2026-11-23T22:59:59", "2026-11-16T23:00:00", "2026-11-17")] // Tuesday 06:59 there: still last week's
    [InlineData("2026-11-23T09:00:00", "2026-11-16T23:00:00", "2026-11-17")] // Monday afternoon there, the day before: last week's
    public void Latest_WeeklyOnTuesdayInShanghai_IsTheLastTuesdayAtSevenThere(string now, string expectedUtc, string expectedDay)
    {
        var (at, day) = DigestSchedule.Latest(DigestFrequency.Weekly, DayOfWeek.Tuesday, Shanghai, 7, Utc(now));

        Assert.Equal((Utc(expectedUtc), DateOnly.Parse(expectedDay, System.Globalization.CultureInfo.InvariantCulture)), (at, day));
    }

    [Fact]
    public void LatestAndNext_Monthly_AreTheFirstOfTheMonth()
    {
        var now = Utc("2026-11-23T09:00:00");

        var (latest, day) = DigestSchedule.Latest(DigestFrequency.Monthly, DayOfWeek.Monday, TimeZoneInfo.Utc, 7, now);
        var (next, nextDay) = DigestSchedule.Next(DigestFrequency.Monthly, DayOfWeek.Monday, TimeZoneInfo.Utc, 7, now);

        Assert.Equal((Utc("2026-11-01T07:00:00"), "Monthly:2026-11-01"), (latest, DigestSchedule.Period(DigestFrequency.Monthly, day)));
        Assert.Equal((Utc("2026-12-01T07:00:00"), "Monthly:2026-12-01"), (next, DigestSchedule.Period(DigestFrequency.Monthly, nextDay)));
    }

    [Fact]
    public void Next_WeeklyOnItsDayBeforeTheSendHour_IsThatSameDay()
    {
        var (next, _) = DigestSchedule.Next(DigestFrequency.Weekly, DayOfWeek.Monday, TimeZoneInfo.Utc, 7, Utc("2026-11-23T06:59:00"));

        Assert.Equal(Utc("2026-11-23T07:00:00"), next);
    }

    private static DateTime Utc(string iso) =>
        DateTime.SpecifyKind(DateTime.Parse(iso, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);
}

namespace Desk.Web.Features.Digest;

/// <summary>How often a subscriber gets the digest.</summary>
public enum DigestFrequency
{
    /// <summary>Once a week, on the day they chose.</summary>
    Weekly,
    /// <summary>On the first day of every month.</summary>
    Monthly,
}

/// <summary>
/// A manager's (or admin's) wish to get the dashboard by mail: weekly on a day of their choice or monthly, in the language
/// they chose. One row per person, absent when they get none. The first digest comes at the first scheduled time after
/// <see cref="Since"/>: subscribing on a Wednesday for Mondays does not send last Monday's at once.
/// </summary>
public sealed class DigestSubscription
{
    private DigestSubscription() { } // for EF Core

    public DigestSubscription(string userName, DigestFrequency frequency, DayOfWeek day, string language, DateTime now)
    {
        UserName = userName;
        Change(frequency, day, language, now);
    }

    /// <summary>The subscriber's user name.</summary>
    public string UserName { get; private set; } = "";

    public DigestFrequency Frequency { get; private set; }

    /// <summary>The weekday a weekly digest comes on (kept, unused, for a monthly one: switching back keeps it).</summary>
    public DayOfWeek Day { get; private set; }

    /// <summary>"en" or "zh".</summary>
    public string Language { get; private set; } = "en";

    /// <summary>When it was last chosen: no digest is sent for a scheduled time before this.</summary>
    public DateTime Since { get; private set; }

    /// <summary>A new choice; a digest already sent this period stays the only one of its period.</summary>
    public void Change(DigestFrequency frequency, DayOfWeek day, string language, DateTime now)
    {
        if (!Enum.IsDefined(frequency)) throw new ArgumentOutOfRangeException(nameof(frequency));
        if (!Enum.IsDefined(day)) throw new ArgumentOutOfRangeException(nameof(day));
        var changed = Frequency != frequency || Day != day;
        Frequency = frequency;
        Day = day;
        Language = language == "zh" ? "zh" : "en";
        if (changed || Since == default) Since = now;
    }
}

/// <summary>
/// The claim on one subscriber's digest for one period, written in the same transaction as the digest's outbox mail. Its
/// unique (user, period) key is what makes "exactly one per period" hold with several desks: a second desk's insert
/// fails, and its mail rolls back with it.
/// </summary>
public sealed class DigestDelivery
{
    private DigestDelivery() { } // for EF Core

    public DigestDelivery(string userName, string period, DateTime scheduledFor, string messageId, DateTime now)
    {
        UserName = userName;
        Period = period;
        ScheduledFor = scheduledFor;
        MessageId = messageId;
        QueuedAt = now;
    }

    public long Id { get; private set; }
    public string UserName { get; private set; } = "";

    /// <summary>"Weekly:2026-11-24" or "Monthly:2026-12-01": the frequency and the subscriber's local day it was for.</summary>
    public string Period { get; private set; } = "";

    /// <summary>The scheduled time (UTC) this digest was for.</summary>
    public DateTime ScheduledFor { get; private set; }

    /// <summary>The Message-ID of the outbox mail that carries it (not a foreign key: the outbox keeps its rows its own way).</summary>
    public string MessageId { get; private set; } = "";

    public DateTime QueuedAt { get; private set; }
}

/// <summary>
/// When digests are due, in the subscriber's own time zone: a weekly one on its weekday, a monthly one on the 1st, each
/// at <see cref="DigestOptions.SendHour"/> local time. Pure: time and zone are passed in.
/// </summary>
public static class DigestSchedule
{
    /// <summary>The latest scheduled time at or before <paramref name="nowUtc"/> (UTC), with the local day it falls on.</summary>
    public static (DateTime At, DateOnly Day) Latest(DigestFrequency frequency, DayOfWeek day, TimeZoneInfo zone, int sendHour, DateTime nowUtc)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(nowUtc, DateTimeKind.Utc), zone));
        for (var candidate = today; ; candidate = candidate.AddDays(-1))
            if (Matches(frequency, day, candidate) && At(candidate, zone, sendHour) is var at && at <= nowUtc)
                return (at, candidate);
    }

    /// <summary>The first scheduled time after <paramref name="afterUtc"/>.</summary>
    public static (DateTime At, DateOnly Day) Next(DigestFrequency frequency, DayOfWeek day, TimeZoneInfo zone, int sendHour, DateTime afterUtc)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(afterUtc, DateTimeKind.Utc), zone));
        for (var candidate = today; ; candidate = candidate.AddDays(1))
            if (Matches(frequency, day, candidate) && At(candidate, zone, sendHour) is var at && at > afterUtc)
                return (at, candidate);
    }

    /// <summary>The claim's period key for a digest scheduled on <paramref name="localDay"/>.</summary>
    public static string Period(DigestFrequency frequency, DateOnly localDay) =>
        $"{frequency}:{localDay.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}";

    private static bool Matches(DigestFrequency frequency, DayOfWeek day, DateOnly date) =>
        frequency == DigestFrequency.Monthly ? date.Day == 1 : date.DayOfWeek == day;

    /// <summary><paramref name="date"/> at the send hour in <paramref name="zone"/>, as UTC (an hour later when the clocks skip it).</summary>
    private static DateTime At(DateOnly date, TimeZoneInfo zone, int sendHour)
    {
        var local = date.ToDateTime(new TimeOnly(sendHour, 0), DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local)) local = local.AddHours(1);
        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }
}

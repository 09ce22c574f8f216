using System.ComponentModel.DataAnnotations;

namespace Desk.Web.Features.Digest;

/// <summary>The digest's settings (<c>Desk:Digest</c>).</summary>
public sealed class DigestOptions
{
    public const string Section = "Desk:Digest";

    /// <summary>Off in tests that run the scheduler by hand; on everywhere else.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the scheduler looks for digests that are due.</summary>
    [Range(1, 3600)]
    public int CheckIntervalSeconds { get; set; } = 300;

    /// <summary>The hour of the scheduled day, in each subscriber's own time zone, from which their digest goes out.</summary>
    [Range(0, 23)]
    public int SendHour { get; set; } = 7;

    /// <summary>
    /// A digest whose time passed while no desk was running is still sent within this many hours of it; later, that period
    /// is skipped (a digest two days late is news nobody asked for) and the next one comes on time.
    /// </summary>
    [Range(1, 24 * 6)]
    public int CatchUpHours { get; set; } = 24;
}

namespace Desk.Domain.Tickets;

/// <summary>
/// A complaint is a repeat when the same customer complained within <see cref="Window"/> before it.
/// The recovery paradox holds after one failure, not after a second (Maxham &amp; Netemeyer 2002),
/// so the repeat is flagged for agents and shown apart in reports.
/// </summary>
public sealed record RepeatComplaintPolicy(TimeSpan Window)
{
    public static RepeatComplaintPolicy Default { get; } = new(TimeSpan.FromDays(90));

    public bool IsRepeat(DateTime? previousComplaintAt, DateTime now) =>
        previousComplaintAt is { } previous && previous <= now && now - previous <= Window;
}

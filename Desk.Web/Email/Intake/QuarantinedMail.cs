namespace Desk.Web.Email.Intake;

public enum QuarantineState { Waiting, Retried, Dismissed }

/// <summary>
/// A mail that could not be parsed or stored, kept with its reason and raw bytes so nothing is lost; admins retry it
/// (after a fix) or dismiss it. The poller moves on: one broken mail never holds up the others.
/// </summary>
public sealed class QuarantinedMail
{
    private QuarantinedMail() { } // for EF Core

    public QuarantinedMail(string source, DateTime receivedAt, string reason, byte[] raw)
    {
        Source = source;
        ReceivedAt = receivedAt;
        Reason = reason.Length <= 2_000 ? reason : reason[..2_000];
        Raw = raw;
        Size = raw.Length;
        Hash = InboundMail.HashOf(raw);
    }

    public long Id { get; private set; }
    public string Source { get; private set; } = "";
    public DateTime ReceivedAt { get; private set; }
    public string Reason { get; private set; } = "";
    /// <summary>The bytes' hash: the same broken mail fetched again is not quarantined twice.</summary>
    public string Hash { get; private set; } = "";
    public long Size { get; private set; }
    public byte[] Raw { get; private set; } = [];
    public QuarantineState State { get; private set; }
    public string? HandledBy { get; private set; }
    public DateTime? HandledAt { get; private set; }

    public void Dismiss(string by, DateTime now) => Handle(QuarantineState.Dismissed, by, now);

    public void MarkRetried(string by, DateTime now) => Handle(QuarantineState.Retried, by, now);

    /// <summary>A retry that failed again: still waiting, with the new reason.</summary>
    public void StillFailing(string reason) => Reason = reason.Length <= 2_000 ? reason : reason[..2_000];

    private void Handle(QuarantineState state, string by, DateTime now)
    {
        if (State != QuarantineState.Waiting)
            throw new Desk.Domain.DomainException("This mail was handled already.");
        State = state;
        HandledBy = by;
        HandledAt = now;
    }
}

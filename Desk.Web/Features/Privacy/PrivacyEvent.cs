namespace Desk.Web.Features.Privacy;

/// <summary>What the desk did with a customer's personal data.</summary>
public enum PrivacyAction
{
    /// <summary>Everything held on one customer was handed out (GDPR art. 15 and 20).</summary>
    Export,
    /// <summary>One customer's personal data was erased at their request (GDPR art. 17).</summary>
    Erasure,
    /// <summary>The retention job removed what had been kept longer than the desk's settings allow.</summary>
    Retention,
}

/// <summary>
/// One line of the desk's privacy trail: who did what, when, to which customer (by id) and how much was removed. It holds
/// no personal data itself, so it outlives the erasure it records.
/// </summary>
public sealed class PrivacyEvent
{
    private PrivacyEvent() { } // for EF Core

    public PrivacyEvent(PrivacyAction action, string actor, DateTime at, long? customerId, PrivacyCounts counts)
    {
        Action = action;
        Actor = string.IsNullOrWhiteSpace(actor) ? "desk" : actor.Trim();
        At = at;
        CustomerId = customerId;
        Tickets = counts.Tickets;
        RawMails = counts.RawMails;
        Attachments = counts.Attachments;
    }

    public long Id { get; private set; }
    public PrivacyAction Action { get; private set; }
    /// <summary>The desk user (or API key's name, or "retention") who did it.</summary>
    public string Actor { get; private set; } = "";
    public DateTime At { get; private set; }
    /// <summary>The customer's id; null for a retention run, which may touch many.</summary>
    public long? CustomerId { get; private set; }
    /// <summary>Tickets whose personal data was removed (or, for an export, handed out).</summary>
    public long Tickets { get; private set; }
    public long RawMails { get; private set; }
    public long Attachments { get; private set; }
}

/// <summary>How much an erasure, an export or a retention run touched.</summary>
public sealed record PrivacyCounts(long Tickets, long RawMails, long Attachments)
{
    public static PrivacyCounts None { get; } = new(0, 0, 0);

    public PrivacyCounts Add(PrivacyCounts other) => new(Tickets + other.Tickets, RawMails + other.RawMails, Attachments + other.Attachments);

    public bool IsEmpty => Tickets == 0 && RawMails == 0 && Attachments == 0;
}

namespace Desk.Domain.Tickets;

/// <summary>
/// What arrives with a complaint (ISO 10002 7.2): the facts and the remedy the customer asks for.
/// <see cref="UnverifiedContact"/>: filed under a known address by someone who has not shown it is theirs (see
/// <see cref="Ticket.ContactUnverified"/>). <see cref="FiledBy"/>: the desk user who filed it for the customer (a phone call,
/// a visit); null when the customer filed it themselves.
/// </summary>
public sealed record TicketIntake(
    TicketKind Kind,
    Channel Channel,
    Severity Severity,
    string Subject,
    string Description,
    int? RemedySoughtId = null,
    string? OrderReference = null,
    string? Product = null,
    long? FollowsTicketId = null,
    bool UnverifiedContact = false,
    string? FiledBy = null);
